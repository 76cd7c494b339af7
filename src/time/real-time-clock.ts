/**
 * Real time for live mode (contract §7): the same {@link SimulationClock}, but fixture time follows
 * the host's monotonic clock. This is the one place where the host clock paces the device, by design.
 *
 * Inside, it is an rxjs VirtualTimeScheduler (1 unit = 1 µs of fixture time) that a host timer
 * advances to real time, so actions run in exactly the order a replay runs them: by (time,
 * scheduling order), each seeing `nowUs()` equal to its due time. A {@link ClockGate} holds the
 * clock at an instant until some asynchronous work (the next frame's encoding) is ready: the
 * device then sees that frame at its capture time, after every action due by then, as in a replay;
 * if the work is late, fixture time lags real time instead of running ahead of the frames.
 */
import { type SchedulerLike, type Subscription, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { assertArgument } from '../errors/index.js';
import type { SimulationClock } from './simulation-clock.js';

/** The host's monotonic clock and timers; tests pass their own. */
export interface HostTimers {
  /** Monotonic milliseconds (fractional), like `performance.now()`. */
  nowMs(): number;
  setTimer(work: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** `performance.now()` and `setTimeout`. */
export const SYSTEM_TIMERS: HostTimers = Object.freeze({
  nowMs: () => performance.now(),
  setTimer: (work: () => void, delayMs: number) => setTimeout(work, delayMs),
  clearTimer: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/** Options of a {@link RealTimeClock}. */
export interface RealTimeClockOptions {
  /** Fixture time at `originMs` (default 0). */
  readonly startUs?: number;
  /** Host time (`timers.nowMs()`) at which fixture time is `startUs`; default: now. Clocks sharing it stay in step. */
  readonly originMs?: number;
  readonly timers?: HostTimers;
  /** An action threw while the host timer ran the clock; default: rethrow. The clock's pending actions are dropped (rxjs). */
  readonly onError?: (error: unknown) => void;
}

/** An instant the clock does not pass until its work has run. */
export interface ClockGate {
  readonly atUs: number;
  /** Gives the gate its work: it runs once the clock reaches `atUs` (after every action due by then); then the clock moves on. */
  open(work: () => void): void;
  /** Removes the gate without running anything. */
  remove(): void;
}

/** Scheduler whose every scheduled action tells the clock to re-arm its host timer. */
class RealTimeScheduler extends VirtualTimeScheduler {
  constructor(readonly onSchedule: () => void) {
    super(RealTimeAction, Number.POSITIVE_INFINITY);
  }
}

class RealTimeAction<T> extends VirtualAction<T> {
  override schedule(state?: T, delay?: number): Subscription {
    const subscription = super.schedule(state, delay);
    (this.scheduler as RealTimeScheduler).onSchedule();
    return subscription;
  }
}

interface GateState {
  readonly atUs: number;
  work: (() => void) | null;
}

/** Fixture time paced by the host clock; see the module comment. */
export class RealTimeClock implements SimulationClock {
  /** rxjs scheduler; unit 1 µs; `now()` is {@link nowUs}. Call {@link sync} before scheduling relative delays from outside the clock. */
  readonly scheduler: SchedulerLike;
  private readonly virtual: RealTimeScheduler;
  private readonly timers: HostTimers;
  private readonly startUs: number;
  private originMs: number;
  private started = false;
  private readonly onError: ((error: unknown) => void) | null;
  private gate: GateState | null = null;
  private timer: unknown = null;
  private timerDueUs: number | null = null;
  private pumping = false;
  private detached = false;

  constructor(options: RealTimeClockOptions = {}) {
    this.timers = options.timers ?? SYSTEM_TIMERS;
    this.startUs = options.startUs ?? 0;
    assertArgument(Number.isSafeInteger(this.startUs) && this.startUs >= 0, 'startUs', 'a non-negative integer number of microseconds', this.startUs);
    this.originMs = options.originMs ?? this.timers.nowMs();
    assertArgument(Number.isFinite(this.originMs), 'originMs', 'a finite host time in milliseconds', this.originMs);
    this.onError = options.onError ?? null;
    this.virtual = new RealTimeScheduler(() => {
      if (!this.pumping) this.arm();
    });
    this.virtual.frame = this.startUs;
    this.scheduler = this.virtual;
  }

  /**
   * Moves the clock's origin: fixture time `startUs` is host time `originMs`. Only before the clock
   * has run anything (a fleet builds its devices, then starts their clocks together).
   */
  setOrigin(originMs: number): void {
    assertArgument(!this.started, 'setOrigin', 'a clock that has not run yet');
    assertArgument(Number.isFinite(originMs), 'originMs', 'a finite host time in milliseconds', originMs);
    this.originMs = originMs;
    if (this.timer !== null) {
      this.cancelTimer();
      this.arm();
    }
  }

  /** The clock's fixture time, µs. It moves only between actions (never inside one) and never backwards. */
  nowUs(): number {
    return this.virtual.frame;
  }

  /** The fixture time real time has reached (what {@link nowUs} catches up to). */
  realUs(): number {
    return this.startUs + Math.max(0, Math.floor((this.timers.nowMs() - this.originMs) * 1000));
  }

  /**
   * How far the clock is behind real time once it has caught up as far as it may (see
   * {@link sync}): the time a gate holds it back, µs; 0 when it keeps up or is detached.
   */
  lagUs(): number {
    if (this.detached) return 0;
    const nowUs = this.sync();
    return Math.max(0, this.realUs() - nowUs);
  }

  scheduleAt(atUs: number, work: () => void): Subscription {
    assertArgument(Number.isFinite(atUs), 'atUs', 'a finite time in microseconds', atUs);
    const delay = Math.max(0, Math.round(atUs) - this.virtual.frame);
    return this.virtual.schedule(work, delay);
  }

  /**
   * Catches up with real time now (up to the gate), running every action due by then, and returns
   * {@link nowUs}. Call it before acting from outside the clock (an HTTP request), so the action
   * happens at the current instant.
   */
  sync(): number {
    this.pump();
    return this.nowUs();
  }

  /**
   * Holds the clock at `atUs` (not before now) until the gate's work has run. One gate at a time.
   * @throws BodycamError `usage` when a gate is already set or `atUs` is in the past
   */
  hold(atUs: number): ClockGate {
    assertArgument(this.gate === null, 'hold', 'one gate at a time (the previous gate is still set)');
    assertArgument(Number.isSafeInteger(atUs) && atUs >= this.nowUs(), 'atUs', `an integer number of microseconds not before now (${this.nowUs()})`, atUs);
    const state: GateState = { atUs, work: null };
    this.gate = state;
    return {
      atUs,
      open: (work) => {
        if (this.gate !== state || state.work !== null) return;
        state.work = work;
        this.pump();
      },
      remove: () => {
        if (this.gate !== state) return;
        this.gate = null;
        this.pump();
      },
    };
  }

  /**
   * Stops following real time (shutdown): the host timer is cancelled and any gate removed. From
   * then on time moves only by {@link advanceTo}, as on a VirtualClock, so what is left (draining
   * recordings to storage) finishes without waiting.
   */
  detach(): void {
    this.pump();
    this.detached = true;
    this.gate = null;
    this.cancelTimer();
  }

  /** True after {@link detach}. */
  get isDetached(): boolean {
    return this.detached;
  }

  /** After {@link detach}: runs every action due by `targetUs`, then sets the clock to it. */
  advanceTo(targetUs: number): void {
    assertArgument(this.detached, 'advanceTo', 'a detached clock (call detach() first; a live clock follows real time)');
    assertArgument(Number.isSafeInteger(targetUs) && targetUs >= this.nowUs(), 'targetUs', `an integer number of microseconds not before now (${this.nowUs()})`, targetUs);
    this.advanceVirtual(targetUs);
  }

  /** Due time of the earliest pending action, or `undefined`. */
  nextDueUs(): number | undefined {
    const first = this.virtual.actions[0] as unknown as { delay: number } | undefined;
    return first?.delay;
  }

  private advanceVirtual(targetUs: number): void {
    this.virtual.maxFrames = targetUs;
    this.virtual.flush();
    this.virtual.frame = Math.max(this.virtual.frame, targetUs);
  }

  /** Advances to min(real time, gate), runs an open gate's work when reached, repeats; then re-arms. */
  private pump(): void {
    if (this.pumping || this.detached) return;
    this.pumping = true;
    this.started = true;
    try {
      for (;;) {
        const gate = this.gate;
        const realUs = this.realUs();
        this.advanceVirtual(Math.max(this.nowUs(), gate === null ? realUs : Math.min(realUs, gate.atUs)));
        if (gate === null || gate.work === null || this.nowUs() < gate.atUs) break;
        this.gate = null;
        gate.work();
      }
    } finally {
      this.pumping = false;
      this.arm();
    }
  }

  /** Sets the host timer for the next instant something can run. */
  private arm(): void {
    if (this.detached) return;
    const gate = this.gate;
    let wakeUs = this.nextDueUs() ?? null;
    if (gate !== null) {
      if (wakeUs !== null && wakeUs > gate.atUs) wakeUs = null; // held: nothing past the gate can run
      if (gate.work !== null) wakeUs = wakeUs === null ? gate.atUs : Math.min(wakeUs, gate.atUs);
    }
    if (this.timer !== null && wakeUs === this.timerDueUs) return;
    this.cancelTimer();
    if (wakeUs === null) return;
    const delayMs = Math.max(0, Math.ceil((wakeUs - this.realUs()) / 1000));
    this.timerDueUs = wakeUs;
    this.timer = this.timers.setTimer(() => this.onTimer(), delayMs);
  }

  private onTimer(): void {
    this.timer = null;
    this.timerDueUs = null;
    try {
      this.pump();
    } catch (error) {
      if (this.onError === null) throw error;
      this.onError(error);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimer(this.timer);
    this.timer = null;
    this.timerDueUs = null;
  }
}
