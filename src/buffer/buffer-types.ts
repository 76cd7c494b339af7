/**
 * The value types of the pre-record buffer: what goes in ({@link BufferEntryInput}), what comes
 * out ({@link BufferEntry}, a view into the arena), what a push answers and what a trigger gets.
 */

/** What an entry carries. Video and audio share one timeline in one arena. */
export type EntryKind = 'video' | 'audio';

/** One encoded frame or audio chunk handed to {@link PreRecordBuffer.push}. */
export interface BufferEntryInput {
  readonly kind: EntryKind;
  /** Video: the capture instant. Audio: the capture time of the chunk's first sample. */
  readonly captureUs: number;
  /** Audio: the chunk's span. Video: the nominal frame interval (informational, may be 0). */
  readonly durationUs: number;
  /** Audio chunks are always keyframes; JPEG frames all are; a GOP codec's P-frames are not. */
  readonly keyframe: boolean;
  /** Encoded bytes, copied into the arena (at least one byte). */
  readonly payload: Uint8Array;
  /** Audio: samples in the chunk. Video: 0. */
  readonly sampleCount: number;
}

/**
 * A held entry, as a view: `payload` is a subarray of the arena. It stays valid until the entry is
 * evicted, which never happens while a reader pins it; copy the payload to keep it longer.
 */
export interface BufferEntry {
  /** Monotonic sequence number; only accepted pushes get one, so held seqs are contiguous. */
  readonly seq: number;
  readonly kind: EntryKind;
  readonly captureUs: number;
  readonly durationUs: number;
  readonly keyframe: boolean;
  readonly sampleCount: number;
  /** The `nowUs` of the push that stored it. */
  readonly pushedUs: number;
  readonly payload: Uint8Array;
}

/** Why a push stored nothing. Every one of them is counted in `stats().drops`. */
export type PushFailureReason =
  /** The arena (bytes or slots) is full of entries a reader still pins. */
  | 'buffer-overflow'
  /** The payload is larger than the whole arena. */
  | 'too-large'
  /** A P-frame whose GOP keyframe is not held (evicted, dropped, or never seen since the last clear). */
  | 'no-keyframe';

/** What {@link PreRecordBuffer.push} answers. `evicted` counts the entries evicted to make room (or by time). */
export type PushResult =
  | { readonly ok: true; readonly seq: number; readonly evicted: number }
  | { readonly ok: false; readonly reason: PushFailureReason; readonly evicted: number };

/** Overlap policy of contract §4. */
export type OverlapPolicy = 'allow' | 'trim';

/**
 * Why a pre-roll is shorter than the frames captured in its window would allow.
 * `'gop'` is this project's extension: the start moved forward to the next keyframe.
 * `'keyframe-evicted'` (contract §9 extension): with `'keyframe-before'`, the byte budget evicted
 * the GOP that reaches into the window from before it (its keyframe is before the window start),
 * and nothing later; the pre-roll starts at the next keyframe. The budget holds the window but
 * not the extra GOP that "before" needs (docs/buffer.md, "Keyframes and the pre-roll").
 */
export const PRE_ROLL_LIMITS = ['boot', 'bytes', 'trim', 'gop', 'keyframe-evicted'] as const;
/** One of {@link PRE_ROLL_LIMITS}, or null when the pre-roll is as long as asked. */
export type PreRollLimit = null | (typeof PRE_ROLL_LIMITS)[number];

/**
 * Where a pre-roll starts when frames are not all keyframes (contract §9, `device.preRollStart`).
 * `'keyframe-before'`: at the keyframe of the GOP that holds the first frame of the window, so the
 * pre-roll is at least as long as section 4's and at most one GOP longer. `'keyframe-after'`: at
 * the first keyframe in the window. With every frame a keyframe (MJPEG) both are section 4's rule.
 */
export type PreRollStart = 'keyframe-before' | 'keyframe-after';

/** The pre-roll starts the device accepts, in the profile's order. */
export const PRE_ROLL_STARTS: readonly PreRollStart[] = ['keyframe-before', 'keyframe-after'];

/** A trigger's question to the buffer. */
export interface PreRollRequest {
  /** The trigger instant T; no push may have happened after it. */
  readonly triggerUs: number;
  readonly overlap: OverlapPolicy;
  /** Capture time of the previous recording's last frame (for `overlap: 'trim'`), or null. */
  readonly previousLastFrameUs: number | null;
}

/** What a trigger gets: where its recording starts in the buffer, and how much pre-roll that is. */
export interface PreRollSelection {
  /**
   * The first seq the recording's reader must read: the first pre-roll video frame, or an earlier
   * audio chunk that still covers it. Null when nothing usable is buffered: the recording then
   * starts with the next entry pushed (open the reader at `nextSeq`).
   */
  readonly startSeq: number | null;
  /** Seq of the first pre-roll video frame (a keyframe), or null. Extension. */
  readonly firstFrameSeq: number | null;
  /** Capture time of the first video frame of the pre-roll, or null. */
  readonly firstFrameUs: number | null;
  /** The configured window, `preRecordUs`. */
  readonly requestedUs: number;
  /** `triggerUs - firstFrameUs` (never negative), 0 when nothing is buffered. */
  readonly actualUs: number;
  readonly limitedBy: PreRollLimit;
}

/** Entries evicted, by cause. `slots`: the metadata ring was full. */
export interface EvictionCounts {
  readonly time: number;
  readonly bytes: number;
  readonly slots: number;
  readonly total: number;
}

/** Failed pushes, by reason. */
export interface DropCounts {
  readonly 'buffer-overflow': number;
  readonly 'too-large': number;
  readonly 'no-keyframe': number;
}

/** A snapshot of the buffer's statistics. */
export interface BufferStats {
  readonly bufferBytes: number;
  readonly slotCount: number;
  readonly preRecordUs: number;
  /** Payload bytes held. */
  readonly occupancyBytes: number;
  /** Newest held video capture minus oldest held video capture (0 with fewer than two frames). */
  readonly occupancyUs: number;
  /** Largest `occupancyBytes` ever reached (not reset by `clear`). */
  readonly highWaterBytes: number;
  /** Held entries (= slots in use). */
  readonly entries: number;
  readonly videoEntries: number;
  readonly audioEntries: number;
  readonly slotsInUse: number;
  /** Held entries that an open reader still has to read. */
  readonly pinnedEntries: number;
  readonly openReaders: number;
  readonly evictions: EvictionCounts;
  /** Failed pushes (all reasons); the caller logs each as `frame.drop`. */
  readonly drops: number;
  readonly dropsByReason: DropCounts;
  /** Push calls, and how many stored their entry. */
  readonly pushes: number;
  readonly accepted: number;
  readonly clears: number;
  /** Seq of the oldest held entry (= `nextSeq` when empty). */
  readonly oldestSeq: number;
  /** Seq the next accepted push will get. */
  readonly nextSeq: number;
  readonly oldestVideoUs: number | null;
  readonly newestVideoUs: number | null;
  /** Capture time of the first push since construction or the last clear (null: none yet). */
  readonly filledSinceUs: number | null;
}

/** Construction options of {@link PreRecordBuffer}. */
export interface PreRecordBufferOptions {
  /** Arena size; one payload may not exceed it. */
  readonly bufferBytes: number;
  /** The pre-record window. */
  readonly preRecordUs: number;
  /** Metadata slots: the most entries held at once. */
  readonly slotCount: number;
  /**
   * Which keyframe a pre-roll starts at (default `'keyframe-after'`, which keeps only the window).
   * `'keyframe-before'` also keeps, by time, the GOP that reaches into the window from before it:
   * a GOP unit leaves by time only once it is closed (a later keyframe came) and all of it is
   * older than the window. The device profile's default is `'keyframe-before'` (contract §9).
   */
  readonly preRollStart?: PreRollStart;
  /**
   * Touch every arena page at construction, as firmware reserves its RAM at boot, so resident memory
   * never changes afterwards (the RSS benchmark does). Default false: the OS commits pages as the
   * arena first fills, and a short replay does not pay for 128 MiB it never uses.
   */
  readonly commitMemory?: boolean;
}
