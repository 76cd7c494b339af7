/** Host timers for tests: host time moves only when the test says so, and due timers fire in order as it moves. */
import type { HostTimers } from '../../src/time/index.js';

/** Host time that moves only when the test says so; timers fire in due order as it moves. */
export class ManualTimers implements HostTimers {
  ms = 1000;
  private seq = 0;
  readonly pending = new Map<number, { dueMs: number; work: () => void }>();
  nowMs = (): number => this.ms;
  setTimer = (work: () => void, delayMs: number): unknown => {
    this.seq += 1;
    this.pending.set(this.seq, { dueMs: this.ms + delayMs, work });
    return this.seq;
  };
  clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Moves host time to `ms`, firing due timers in order. */
  advance(toMs: number): void {
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.dueMs <= toMs).sort((a, b) => a[1].dueMs - b[1].dueMs || a[0] - b[0])[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.ms = Math.max(this.ms, due[1].dueMs);
      due[1].work();
    }
    this.ms = toMs;
  }
}

