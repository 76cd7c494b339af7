/**
 * Entry metadata as a struct of preallocated typed arrays, indexed by `seq % slotCount`, so that a
 * steady-state push writes numbers into existing memory and allocates nothing.
 */
import type { BufferEntry } from './buffer-types.js';

/** `kind` codes in {@link SlotTable.kind}. */
export const KIND_VIDEO = 0;
export const KIND_AUDIO = 1;

/** "No seq" in the seq-valued columns. */
export const NO_SEQ = -1;

/** The metadata ring. Columns marked "leader" are meaningful on video keyframes only. */
export class SlotTable {
  readonly slotCount: number;
  readonly kind: Uint8Array;
  readonly keyframe: Uint8Array;
  readonly captureUs: Float64Array;
  readonly durationUs: Float64Array;
  readonly pushedUs: Float64Array;
  readonly sampleCount: Float64Array;
  /** Where the payload starts in the arena, and its length. */
  readonly offset: Float64Array;
  readonly length: Float64Array;
  /** Leader: seq of the next accepted video keyframe, or NO_SEQ while none. */
  readonly nextKeySeq: Float64Array;
  /** Leader: seq of the last video frame of its GOP so far; the unit runs from the leader to it. */
  readonly unitLastSeq: Float64Array;
  /** Leader: latest end (capture + duration) of the audio chunks inside its unit, -Infinity when none. */
  readonly unitAudioEndUs: Float64Array;
  /** Latest capture of a video frame dropped for capacity before this entry was pushed (-Infinity: none). */
  readonly capacityDropMarkUs: Float64Array;
  /** Latest capture of a P-frame rejected for a GOP reason before this entry was pushed (-Infinity: none). */
  readonly gopDropMarkUs: Float64Array;
  /** 1 for an orphan P-frame: stored for a recording that already read its keyframe, which the buffer no longer holds. */
  readonly orphan: Uint8Array;

  constructor(slotCount: number) {
    this.slotCount = slotCount;
    this.kind = new Uint8Array(slotCount);
    this.keyframe = new Uint8Array(slotCount);
    this.captureUs = new Float64Array(slotCount);
    this.durationUs = new Float64Array(slotCount);
    this.pushedUs = new Float64Array(slotCount);
    this.sampleCount = new Float64Array(slotCount);
    this.offset = new Float64Array(slotCount);
    this.length = new Float64Array(slotCount);
    this.nextKeySeq = new Float64Array(slotCount);
    this.unitLastSeq = new Float64Array(slotCount);
    this.unitAudioEndUs = new Float64Array(slotCount);
    this.capacityDropMarkUs = new Float64Array(slotCount);
    this.gopDropMarkUs = new Float64Array(slotCount);
    this.orphan = new Uint8Array(slotCount);
  }

  /** The slot of a seq. */
  slotOf(seq: number): number {
    return seq % this.slotCount;
  }

  isVideo(slot: number): boolean {
    return this.kind[slot] === KIND_VIDEO;
  }

  /** A video keyframe: the leader of a GOP unit. */
  isVideoKeyframe(slot: number): boolean {
    return this.kind[slot] === KIND_VIDEO && this.keyframe[slot] === 1;
  }

  /** The entry `seq` as a {@link BufferEntry} whose payload is a view of `arena`. */
  view(seq: number, arena: Uint8Array): BufferEntry {
    const slot = this.slotOf(seq);
    const offset = this.offset[slot]!;
    return {
      seq,
      kind: this.kind[slot] === KIND_VIDEO ? 'video' : 'audio',
      captureUs: this.captureUs[slot]!,
      durationUs: this.durationUs[slot]!,
      keyframe: this.keyframe[slot] === 1,
      sampleCount: this.sampleCount[slot]!,
      pushedUs: this.pushedUs[slot]!,
      payload: arena.subarray(offset, offset + this.length[slot]!),
    };
  }

  /** Capture time plus duration: where an audio chunk ends. */
  endUs(slot: number): number {
    return this.captureUs[slot]! + this.durationUs[slot]!;
  }
}
