/**
 * The loss accounting of one recording (contract §12): every video frame captured from the
 * recording's first frame up to its stop that the file does not hold, counted with its capture
 * time and why. Pure: no I/O. The manifest's `lost` is {@link LossTally.summary}; a recording that
 * lost nothing says `lost: null` (always present, so "nothing lost" is stated, never implied).
 */

/**
 * Why a frame that belongs in a recording is not in it: a push the buffer refused while the
 * recording ran (`buffer-overflow`: the card fell behind and its backlog filled the arena;
 * `too-large`; `too-close`; an encoder or input failure), or the recording was cut off before the
 * card wrote it (`power-cut`, `storage`: a storage failure or a failed write).
 */
export type LossReason = string;

/** The manifest's `lost` block. Times are capture times (fixture µs). */
export interface LostFrames {
  /** Video frames lost. */
  readonly frames: number;
  /** Capture time of the first lost frame. */
  readonly fromUs: number;
  /** Capture time of the last lost frame. */
  readonly toUs: number;
  /** Why the first frame was lost. */
  readonly reason: LossReason;
  /** Frames lost for each reason (extension; sums to `frames`). */
  readonly byReason: Readonly<Record<LossReason, number>>;
}

/** A running tally of a recording's lost frames. */
export class LossTally {
  private frames = 0;
  private fromUs = Infinity;
  private toUs = -Infinity;
  private firstReason: LossReason | null = null;
  private readonly byReason: Record<LossReason, number> = {};

  /** Notes `count` frames lost for `reason`, captured from `fromUs` to `toUs` (one frame: `fromUs` both). */
  note(fromUs: number, reason: LossReason, count = 1, toUs = fromUs): void {
    if (count <= 0) return;
    this.frames += count;
    if (fromUs < this.fromUs) {
      this.fromUs = fromUs;
      this.firstReason = reason;
    }
    this.toUs = Math.max(this.toUs, toUs);
    this.byReason[reason] = (this.byReason[reason] ?? 0) + count;
  }

  /** Frames lost so far. */
  get count(): number {
    return this.frames;
  }

  /** The manifest's `lost` block, or null when nothing was lost. */
  summary(): LostFrames | null {
    if (this.frames === 0 || this.firstReason === null) return null;
    return { frames: this.frames, fromUs: this.fromUs, toUs: this.toUs, reason: this.firstReason, byReason: { ...this.byReason } };
  }
}

/** One line for a person: what a recording lost (the `run` command prints it on stderr). */
export function describeLoss(id: string, lost: LostFrames): string {
  const reasons = Object.entries(lost.byReason).map(([reason, count]) => `${count} ${reason}`).join(', ');
  return `recording ${id} lost ${lost.frames} frame${lost.frames === 1 ? '' : 's'} captured from ${lost.fromUs} µs to ${lost.toUs} µs (${reasons})`;
}
