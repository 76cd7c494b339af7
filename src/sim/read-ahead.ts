/**
 * A bound on how far a replay reads ahead of its deliveries. The encoders run several frames at
 * once and the device takes them in capture order; when encoding is faster than delivering (every
 * frame a hit of the frame cache), nothing else stopped frames being read and encoded hundreds
 * ahead, each holding its bytes until its turn: 461 frames (~100 MB at 720p) were measured waiting
 * in a cached run (docs/performance.md, issue 20). Frames are admitted in the order they ask, so
 * the next frame to deliver is never the one kept waiting: nothing later holds a place before it. Pure.
 */
export class ReadAhead {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param limit frames admitted and not yet delivered, at most */
  constructor(readonly limit: number) {}

  /** Frames admitted and not yet delivered. */
  get admitted(): number {
    return this.held;
  }

  /** Resolves once the frame may be read: at once while fewer than `limit` are admitted, else when one is delivered. */
  admit(): Promise<void> {
    if (this.held < this.limit) {
      this.held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** An admitted frame was delivered: its place goes to the longest waiting, if any. */
  delivered(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.held -= 1;
  }
}
