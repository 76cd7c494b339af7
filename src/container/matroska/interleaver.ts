/**
 * Puts blocks that arrive in capture/push order into timestamp order. An audio chunk covering
 * [a, a + 20 ms) is pushed after the video frames captured in that span, so a video frame may
 * only be written once the audio track has caught up with it.
 *
 * Rule: the earliest queued block (ties: lower track number) is released when every other
 * track has already received a block at or after its timestamp (nothing earlier can come from
 * that track: timestamps only grow per track), or when the newest timestamp received on any
 * track is `windowUs` past it (a silent or missing track cannot hold the queue forever). The
 * queue is therefore bounded by the window.
 */

/** A block waiting in the interleaver. */
export interface QueuedBlock {
  readonly trackNumber: number;
  readonly timestampUs: number;
  readonly ticks: number;
  readonly keyframe: boolean;
  readonly payload: Uint8Array;
  /** PCM frames in an audio block; 0 for video. */
  readonly audioSamples: number;
}

/** The timestamp-ordering queue of the Matroska writer. */
export class BlockInterleaver {
  private readonly queues = new Map<number, QueuedBlock[]>();
  private readonly lastReceivedUs = new Map<number, number>();
  private newestUs = -1;
  private queued = 0;

  /**
   * @param trackNumbers every track that may deliver blocks
   * @param windowUs how far the newest timestamp may run ahead of a held block before it is released anyway
   */
  constructor(trackNumbers: readonly number[], private readonly windowUs: number) {
    for (const track of trackNumbers) this.queues.set(track, []);
  }

  /** Number of blocks held. */
  get size(): number {
    return this.queued;
  }

  /** Queues a block (per track, timestamps must grow; the writer checks this). */
  push(block: QueuedBlock): void {
    const queue = this.queues.get(block.trackNumber);
    if (queue === undefined) throw new RangeError(`track ${block.trackNumber} is not interleaved`);
    queue.push(block);
    this.queued += 1;
    this.lastReceivedUs.set(block.trackNumber, block.timestampUs);
    if (block.timestampUs > this.newestUs) this.newestUs = block.timestampUs;
  }

  /** Removes and returns, in file order, the blocks that can be written now. */
  takeReady(): QueuedBlock[] {
    const ready: QueuedBlock[] = [];
    for (;;) {
      const head = this.earliestHead();
      if (head === undefined || !this.isReleasable(head)) break;
      this.queues.get(head.trackNumber)?.shift();
      this.queued -= 1;
      ready.push(head);
    }
    return ready;
  }

  /** Removes and returns every held block in file order (end of the stream). */
  takeAll(): QueuedBlock[] {
    const all: QueuedBlock[] = [];
    for (let head = this.earliestHead(); head !== undefined; head = this.earliestHead()) {
      this.queues.get(head.trackNumber)?.shift();
      this.queued -= 1;
      all.push(head);
    }
    return all;
  }

  private earliestHead(): QueuedBlock | undefined {
    let best: QueuedBlock | undefined;
    for (const queue of this.queues.values()) {
      const head = queue[0];
      if (head === undefined) continue;
      if (best === undefined || head.timestampUs < best.timestampUs
        || (head.timestampUs === best.timestampUs && head.trackNumber < best.trackNumber)) {
        best = head;
      }
    }
    return best;
  }

  private isReleasable(head: QueuedBlock): boolean {
    if (this.newestUs - head.timestampUs >= this.windowUs) return true;
    for (const track of this.queues.keys()) {
      if (track === head.trackNumber) continue;
      const last = this.lastReceivedUs.get(track);
      if (last === undefined || last < head.timestampUs) return false;
    }
    return true;
  }
}
