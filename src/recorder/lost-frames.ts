/**
 * The loss accounting of one recording (contract §12): every video frame captured from the
 * recording's first frame up to its stop that the file does not hold, and every audio sample of its
 * span it does not hold, counted with capture times and why. Pure: no I/O. The manifest's `lost` is {@link LossTally.summary}; a recording that
 * lost nothing says `lost: null` (always present, so "nothing lost" is stated, never implied).
 */

/**
 * Why a frame that belongs in a recording is not in it: a push the buffer refused while the
 * recording ran (`buffer-overflow`: the card fell behind and its backlog filled the arena;
 * `too-large`; `too-close`; an encoder or input failure), or the recording was cut off before the
 * card wrote it (`power-cut`, `storage`: a storage failure or a failed write).
 */
export type LossReason = string;

/** The audio part of the `lost` block: samples the recording's audio span should hold but does not. */
export interface LostAudio {
  readonly samples: number;
  /** Capture time of the first lost sample. */
  readonly fromUs: number;
  /** Capture time of the last lost sample. */
  readonly toUs: number;
  /** Samples lost for each reason (sums to `samples`). */
  readonly byReason: Readonly<Record<LossReason, number>>;
}

/** The manifest's `lost` block. Times are capture times (fixture µs). */
export interface LostFrames {
  /** Video frames lost (0 when only audio was). */
  readonly frames: number;
  /** Capture time of the first thing lost (a frame, or an audio sample). */
  readonly fromUs: number;
  /** Capture time of the last thing lost. */
  readonly toUs: number;
  /** Why the first thing was lost. */
  readonly reason: LossReason;
  /** Frames lost for each reason (extension; sums to `frames`). */
  readonly byReason: Readonly<Record<LossReason, number>>;
  /** Audio lost (extension), present only when some was. */
  readonly audio?: LostAudio;
}

/** A running tally of a recording's lost frames and audio. */
export class LossTally {
  private frames = 0;
  private fromUs = Infinity;
  private toUs = -Infinity;
  private firstReason: LossReason | null = null;
  private readonly byReason: Record<LossReason, number> = {};
  private samples = 0;
  private audioFromUs = Infinity;
  private audioToUs = -Infinity;
  private readonly samplesByReason: Record<LossReason, number> = {};

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

  /** Notes `samples` audio samples lost for `reason`, the first captured at `fromUs`, the last at `toUs`. */
  noteAudio(fromUs: number, toUs: number, samples: number, reason: LossReason): void {
    if (samples <= 0) return;
    this.samples += samples;
    this.audioFromUs = Math.min(this.audioFromUs, fromUs);
    this.audioToUs = Math.max(this.audioToUs, toUs);
    this.samplesByReason[reason] = (this.samplesByReason[reason] ?? 0) + samples;
    if (fromUs < this.fromUs) {
      this.fromUs = fromUs;
      this.firstReason = reason;
    }
    this.toUs = Math.max(this.toUs, toUs);
  }

  /** Frames lost so far. */
  get count(): number {
    return this.frames;
  }

  /** The manifest's `lost` block, or null when nothing was lost. */
  summary(): LostFrames | null {
    if ((this.frames === 0 && this.samples === 0) || this.firstReason === null) return null;
    const video = { frames: this.frames, fromUs: this.fromUs, toUs: this.toUs, reason: this.firstReason, byReason: { ...this.byReason } };
    if (this.samples === 0) return video;
    return { ...video, audio: { samples: this.samples, fromUs: this.audioFromUs, toUs: this.audioToUs, byReason: { ...this.samplesByReason } } };
  }
}

/** One line for a person: what a recording lost (the `run` command prints it on stderr). */
export function describeLoss(id: string, lost: LostFrames): string {
  const count = (byReason: Readonly<Record<LossReason, number>>): string => Object.entries(byReason).map(([reason, n]) => `${n} ${reason}`).join(', ');
  const frames = `${lost.frames} frame${lost.frames === 1 ? '' : 's'}`;
  if (lost.audio === undefined) return `recording ${id} lost ${frames} captured from ${lost.fromUs} µs to ${lost.toUs} µs (${count(lost.byReason)})`;
  const reasons = [lost.frames > 0 ? `frames: ${count(lost.byReason)}` : null, `audio samples: ${count(lost.audio.byReason)}`].filter((part) => part !== null).join('; ');
  return `recording ${id} lost ${frames} and ${lost.audio.samples} audio samples captured from ${lost.fromUs} µs to ${lost.toUs} µs (${reasons})`;
}
