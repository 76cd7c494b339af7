/**
 * Scheduling helpers of the `Device`: named, cancellable timers and a queue of timed work on the
 * simulation clock. Each item runs through the device's `step` (one stimulus run to completion).
 */
import type { Subscription } from 'rxjs';
import type { SimulationClock } from '../time/index.js';

/** One pending action per name; setting a name replaces its pending action. */
export class NamedTimers<Name extends string> {
  private readonly pending = new Map<Name, Subscription>();

  constructor(private readonly clock: SimulationClock, private readonly step: (work: () => void) => void) {}

  /** Runs `work` (as a device step) at `atUs`, replacing any pending action of that name. */
  set(name: Name, atUs: number, work: () => void): void {
    this.cancel(name);
    this.pending.set(name, this.clock.scheduleAt(atUs, () => {
      this.pending.delete(name);
      this.step(work);
    }));
  }

  /** Cancels the pending action of `name`, if any. */
  cancel(name: Name): void {
    this.pending.get(name)?.unsubscribe();
    this.pending.delete(name);
  }

  /** True while `name` has a pending action. */
  has(name: Name): boolean {
    return this.pending.has(name);
  }
}

/**
 * Work at given instants, kept in the device and put on the clock one instant at a time: a long
 * scenario then costs one pending clock action, not thousands (the rxjs virtual scheduler sorts
 * its whole queue on every schedule). Items at one instant run in the order they were added.
 */
export class TimedQueue {
  private items: { readonly atUs: number; readonly seq: number; readonly work: () => void }[] = [];
  private cursor = 0;
  private seq = 0;
  private armed: { readonly atUs: number; readonly subscription: Subscription } | null = null;

  constructor(private readonly clock: SimulationClock, private readonly step: (work: () => void) => void) {}

  /** Adds items (in order) and arms the clock for the earliest. */
  addAll(items: readonly { readonly atUs: number; readonly work: () => void }[]): void {
    const added = items.map((item) => ({ ...item, seq: this.seq++ }));
    this.items = [...this.items.slice(this.cursor), ...added].sort((a, b) => a.atUs - b.atUs || a.seq - b.seq);
    this.cursor = 0;
    this.arm();
  }

  private arm(): void {
    const head = this.items[this.cursor];
    if (head === undefined || this.armed?.atUs === head.atUs) return;
    this.armed?.subscription.unsubscribe();
    this.armed = { atUs: head.atUs, subscription: this.clock.scheduleAt(head.atUs, () => this.fire()) };
  }

  private fire(): void {
    this.armed = null;
    const now = this.clock.nowUs();
    for (let head = this.items[this.cursor]; head !== undefined && head.atUs <= now; head = this.items[this.cursor]) {
      this.cursor += 1;
      this.step(head.work);
    }
    this.arm();
  }
}
