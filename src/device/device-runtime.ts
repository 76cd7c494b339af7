/**
 * Scheduling helpers of the `Device`: a serial runner (work arriving while other work runs is
 * queued and runs right after it, at the same instant) and named, cancellable timers on the
 * simulation clock.
 */
import type { Subscription } from 'rxjs';
import type { SimulationClock } from '../time/index.js';

/** Runs work one item at a time; re-entrant calls are queued, in order. */
export class SerialRunner {
  private busy = false;
  private readonly queue: (() => void)[] = [];

  /** @param before runs before each outermost item (the device flushes due gesture deadlines here) */
  constructor(private readonly before: () => void = () => undefined) {}

  /** Runs `work` now, or after the current item when called from inside one. */
  run(work: () => void): void {
    if (this.busy) {
      this.queue.push(work);
      return;
    }
    this.busy = true;
    try {
      this.before();
      work();
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) next();
    } finally {
      this.busy = false;
      this.queue.length = 0;
    }
  }
}

/** One pending action per name; setting a name replaces its pending action. */
export class NamedTimers<Name extends string> {
  private readonly pending = new Map<Name, Subscription>();

  constructor(private readonly clock: SimulationClock, private readonly runner: SerialRunner) {}

  /** Runs `work` (through the runner) at `atUs`, replacing any pending action of that name. */
  set(name: Name, atUs: number, work: () => void): void {
    this.cancel(name);
    this.pending.set(name, this.clock.scheduleAt(atUs, () => {
      this.pending.delete(name);
      this.runner.run(work);
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

  constructor(private readonly clock: SimulationClock, private readonly runner: SerialRunner) {}

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
      this.runner.run(head.work);
    }
    this.arm();
  }
}
