/**
 * The simulation clock. Time is injected, never global: a replay runs on a {@link VirtualClock}
 * (an rxjs VirtualTimeScheduler whose unit is one microsecond of fixture time), and live mode runs
 * the same device code on a real-time clock. Nothing in the device reads the host clock.
 */
import { type SchedulerLike, type Subscription, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { assertArgument } from '../errors/index.js';

/** A clock that device logic can read and schedule work on. */
export interface SimulationClock {
  /** The rxjs scheduler behind the clock; its time unit is one microsecond of fixture time. */
  readonly scheduler: SchedulerLike;
  /** The current fixture time in microseconds. */
  nowUs(): number;
  /**
   * Runs `work` at fixture time `atUs` (clamped to now). Work scheduled for the same instant runs
   * in the order it was scheduled. Unsubscribe the result to cancel.
   */
  scheduleAt(atUs: number, work: () => void): Subscription;
}

/**
 * Virtual time for replays. Time moves only when {@link advanceTo} is called, and every action
 * due by then runs first, in (time, scheduling order): the same inputs always give the same run.
 */
export class VirtualClock implements SimulationClock {
  readonly scheduler: VirtualTimeScheduler;

  constructor(startUs = 0) {
    this.scheduler = new VirtualTimeScheduler(VirtualAction, -1);
    this.scheduler.frame = startUs;
  }

  nowUs(): number {
    return this.scheduler.frame;
  }

  scheduleAt(atUs: number, work: () => void): Subscription {
    assertArgument(Number.isFinite(atUs), 'atUs', 'a finite time in microseconds', atUs);
    const delay = Math.max(0, Math.round(atUs) - this.scheduler.frame);
    return this.scheduler.schedule(work, delay);
  }

  /**
   * Runs every action due at or before `targetUs`, then sets the clock to `targetUs`.
   * Actions may schedule further actions; those due by `targetUs` run in the same call.
   */
  advanceTo(targetUs: number): void {
    assertArgument(Number.isSafeInteger(targetUs), 'targetUs', 'an integer number of microseconds', targetUs);
    assertArgument(targetUs >= this.scheduler.frame, 'targetUs', `a time not before now (${this.scheduler.frame} µs)`, targetUs);
    this.scheduler.maxFrames = targetUs;
    this.scheduler.flush();
    this.scheduler.frame = targetUs;
  }

  /** The due time of the earliest pending action, or `undefined` when nothing is scheduled. */
  nextDueUs(): number | undefined {
    // VirtualTimeScheduler keeps `actions` sorted by (delay, index); delay is the absolute due frame.
    const first = this.scheduler.actions[0] as unknown as { delay: number } | undefined;
    return first?.delay;
  }
}
