/**
 * The pre-record buffer: one preallocated byte arena and a preallocated ring of metadata slots.
 *
 * - Payloads are contiguous: an entry that does not fit before the end of the arena skips the
 *   tail and goes to offset 0. The oldest entries are evicted first to make room.
 * - Eviction works on units: a video keyframe with everything pushed after it up to the last
 *   P-frame of its GOP so far (its P-frames and the audio between them), or one audio chunk outside
 *   any GOP's span. The oldest held entry is therefore always a keyframe or audio, never a P-frame.
 * - Time eviction drops a unit once nothing in it can be part of a future pre-roll; capacity
 *   eviction (bytes or slots) drops the oldest unit whatever its age. Neither touches an entry an
 *   open reader still pins: a push that would need that fails with 'buffer-overflow'. Capacity
 *   eviction of a GOP a recording is part-way through drops the part every reader has read; the
 *   GOP's P-frames still to be read stay as orphans (units of one, never a pre-roll's start).
 * See docs/buffer.md for the rules and the picture.
 */
import { assertArgument } from '../errors/index.js';
import { PinningReader, pinnedEntryCount, type BufferReader, type ReaderHost } from './buffer-reader.js';
import type {
  BufferEntry, BufferEntryInput, BufferStats, EntryKind, PreRecordBufferOptions, PreRollRequest, PreRollSelection,
  PreRollStart, PushFailureReason, PushResult,
} from './buffer-types.js';
import { assertIntegerAtLeast, assertIntegerUs, assertNotBefore, validatePush } from './entry-validation.js';
import { LossLedger } from './loss-ledger.js';
import { selectFromSlots } from './pre-roll-selection.js';
import { KIND_AUDIO, KIND_VIDEO, NO_SEQ, SlotTable } from './slot-table.js';

const CAUSE_TIME = 0;
const CAUSE_BYTES = 1;
const CAUSE_SLOTS = 2;
type EvictionCause = typeof CAUSE_TIME | typeof CAUSE_BYTES | typeof CAUSE_SLOTS;

/** The pre-record ring buffer (issue 3). Pure: time comes in as `nowUs`, never from a clock. */
export class PreRecordBuffer implements ReaderHost {
  readonly bufferBytes: number;
  readonly preRecordUs: number;
  readonly slotCount: number;
  readonly preRollStart: PreRollStart;

  private readonly arena: Uint8Array;
  private readonly slots: SlotTable;
  private tailSeq = 0;
  private headSeq = 0;
  /** Where the next payload goes if it fits before the end of the arena. */
  private writeOffset = 0;
  private occupancyBytes = 0;
  private highWaterBytes = 0;
  private videoEntries = 0;

  // GOP bookkeeping (seqs of held video keyframes, or NO_SEQ).
  /** The keyframe whose unit is still open (P-frames may join it); NO_SEQ once that GOP is lost. */
  private openKeySeq = NO_SEQ;
  /** Whether the open GOP was last lost to capacity (else to time or never started). */
  private openKeyLostToCapacity = false;
  /**
   * Seq of the open GOP's keyframe once it was evicted (for capacity, or by time with
   * 'keyframe-after'), NO_SEQ otherwise: a recording that had already read it still needs the
   * GOP's later P-frames, which are then kept as orphans.
   */
  private evictedOpenKeySeq = NO_SEQ;
  /** A P-frame was pushed since the last clear: the stream has GOPs (an MJPEG stream never does). */
  private sawDeltaFrame = false;
  /** Latest end of the audio pushed since the open GOP's last frame: a next P-frame pulls it into the unit. */
  private pendingAudioEndUs = -Infinity;
  private lastKeySeq = NO_SEQ;
  private oldestKeySeq = NO_SEQ;
  /** Oldest held keyframe whose GOP may still start a future pre-roll (see {@link unitExpired}). */
  private liveKeySeq = NO_SEQ;

  // The clock as seen through pushes.
  private lastNowUs = -Infinity;
  private lastVideoCaptureUs = -Infinity;
  private lastAudioCaptureUs = -Infinity;
  private newestVideoUs = -Infinity;

  private readonly losses = new LossLedger();

  private readonly evictionsByCause = [0, 0, 0];
  private readonly dropCounts: Record<PushFailureReason, number> = { 'buffer-overflow': 0, 'too-large': 0, 'no-keyframe': 0 };
  private pushes = 0;
  private clears = 0;
  private readonly readers: PinningReader[] = [];
  private evictedThisPush = 0;
  private failureThisPush: PushFailureReason | null = null;

  constructor(options: PreRecordBufferOptions) {
    assertIntegerAtLeast(options.bufferBytes, 1, 'PreRecordBuffer: bufferBytes', 'a positive integer number of bytes');
    assertIntegerAtLeast(options.preRecordUs, 0, 'PreRecordBuffer: preRecordUs', 'a non-negative integer number of microseconds');
    assertIntegerAtLeast(options.slotCount, 1, 'PreRecordBuffer: slotCount', 'a positive integer');
    this.bufferBytes = options.bufferBytes;
    this.preRecordUs = options.preRecordUs;
    this.slotCount = options.slotCount;
    const start = options.preRollStart ?? 'keyframe-after';
    assertArgument(start === 'keyframe-before' || start === 'keyframe-after', 'PreRecordBuffer: preRollStart', '"keyframe-before" or "keyframe-after"', start);
    this.preRollStart = start;
    this.arena = new Uint8Array(options.bufferBytes);
    if (options.commitMemory === true) this.arena.fill(0);
    this.slots = new SlotTable(options.slotCount);
  }

  /** Seq the next accepted push gets. */
  get nextSeq(): number {
    return this.headSeq;
  }

  /** Seq of the oldest held entry (= `nextSeq` when empty). */
  get oldestSeq(): number {
    return this.tailSeq;
  }

  /** Capture time of the oldest video frame held (a keyframe), or null when none is. */
  get oldestVideoCaptureUs(): number | null {
    return this.oldestVideoUs();
  }

  /** Entries evicted during the last push (by time or to make room). */
  get lastPushEvicted(): number {
    return this.evictedThisPush;
  }

  /** Why the last push failed, or null if it stored its entry. */
  get lastPushFailure(): PushFailureReason | null {
    return this.failureThisPush;
  }

  /**
   * Stores an entry (payload copied into the arena), first evicting what left the window, then
   * the oldest GOP units until it fits. Fails without storing when pins block the room needed
   * ('buffer-overflow'), when the payload exceeds the arena ('too-large'), or for a P-frame whose
   * keyframe is not held ('no-keyframe'). Each failure is counted in `stats().drops`.
   */
  push(entry: BufferEntryInput, nowUs: number): PushResult {
    const seq = this.pushRaw(entry.kind, entry.captureUs, entry.durationUs, entry.keyframe, entry.payload, entry.sampleCount, nowUs);
    if (seq >= 0) return { ok: true, seq, evicted: this.evictedThisPush };
    return { ok: false, reason: this.failureThisPush as PushFailureReason, evicted: this.evictedThisPush };
  }

  /**
   * {@link push} without allocating: returns the new seq, or -1 on failure (then see
   * {@link lastPushFailure}); {@link lastPushEvicted} gives the evictions.
   */
  pushRaw(
    kind: EntryKind, captureUs: number, durationUs: number, keyframe: boolean, payload: Uint8Array, sampleCount: number, nowUs: number,
  ): number {
    validatePush(kind, captureUs, durationUs, keyframe, payload, sampleCount, nowUs, this.lastNowUs, this.lastVideoCaptureUs, this.lastAudioCaptureUs);
    const isVideo = kind === 'video';
    this.pushes += 1;
    this.lastNowUs = nowUs;
    if (this.losses.filledSinceUs === null) this.losses.filledSinceUs = captureUs;
    this.evictedThisPush = 0;
    this.failureThisPush = null;
    // Before this frame counts as "seen": as a keyframe it may start a pre-roll, so audio ending after it stays.
    this.evictExpiredAt(nowUs);
    if (isVideo) this.lastVideoCaptureUs = captureUs;
    else this.lastAudioCaptureUs = captureUs;

    const size = payload.byteLength;
    const isPFrame = isVideo && !keyframe;
    if (isPFrame) this.sawDeltaFrame = true;
    if (size > this.bufferBytes) return this.fail('too-large', isVideo, keyframe, captureUs);
    if (isPFrame && this.openKeySeq === NO_SEQ && !this.recordingNeedsOrphans()) return this.fail('no-keyframe', true, false, captureUs);
    const offset = this.writeOffset + size <= this.bufferBytes ? this.writeOffset : 0;
    while (this.count === this.slotCount || this.overlapsHeld(offset, size)) {
      const cause = this.count === this.slotCount ? CAUSE_SLOTS : CAUSE_BYTES;
      if (!this.evictHeadUnit(cause)) return this.fail('buffer-overflow', isVideo, keyframe, captureUs);
      if (isPFrame && this.openKeySeq === NO_SEQ && !this.recordingNeedsOrphans()) return this.fail('no-keyframe', true, false, captureUs);
    }
    return this.store(isVideo, captureUs, durationUs, keyframe, payload, sampleCount, nowUs, offset);
  }

  /**
   * Frees room for a payload of `bytes` at the write head, as a push of that size would, evicting
   * the oldest units for bytes (cause `bytes`: a later pre-roll says `limitedBy: "bytes"`). A
   * trigger calls it before it pins its pre-roll, so that the frames captured before the card has
   * written anything still fit: the pre-roll gives way to them (issue 14). Returns false when pins
   * block it or `bytes` exceeds the arena (then it frees what it can).
   */
  makeRoom(bytes: number, nowUs: number): boolean {
    assertIntegerAtLeast(bytes, 0, 'makeRoom: bytes', 'a non-negative integer number of bytes');
    assertIntegerUs(nowUs, 'makeRoom: nowUs');
    assertNotBefore(nowUs, this.lastNowUs, 'makeRoom: nowUs');
    this.lastNowUs = nowUs;
    const size = Math.min(bytes, this.bufferBytes);
    const offset = this.writeOffset + size <= this.bufferBytes ? this.writeOffset : 0;
    while (size > 0 && this.overlapsHeld(offset, size)) {
      if (!this.evictHeadUnit(CAUSE_BYTES)) return false;
    }
    return bytes <= this.bufferBytes;
  }

  /** Evicts, as a push at `nowUs` would, whatever can no longer be part of a future pre-roll. Returns the count. */
  evictExpired(nowUs: number): number {
    assertIntegerUs(nowUs, 'evictExpired: nowUs');
    assertNotBefore(nowUs, this.lastNowUs, 'evictExpired: nowUs');
    this.lastNowUs = nowUs;
    const before = this.evictionsByCause[CAUSE_TIME]!;
    this.evictExpiredAt(nowUs);
    return this.evictionsByCause[CAUSE_TIME]! - before;
  }

  /**
   * Power off or dock: empties the buffer and closes every open reader. The "filled since" point
   * (the boot bound of the pre-roll rule) moves to the next push.
   */
  clear(nowUs: number): void {
    assertIntegerUs(nowUs, 'clear: nowUs');
    assertNotBefore(nowUs, this.lastNowUs, 'clear: nowUs');
    this.lastNowUs = nowUs;
    for (const reader of this.readers) reader.closeByHost();
    this.readers.length = 0;
    this.tailSeq = this.headSeq;
    this.writeOffset = 0;
    this.occupancyBytes = 0;
    this.videoEntries = 0;
    this.openKeySeq = NO_SEQ;
    this.openKeyLostToCapacity = false;
    this.evictedOpenKeySeq = NO_SEQ;
    this.sawDeltaFrame = false;
    this.pendingAudioEndUs = -Infinity;
    this.lastKeySeq = NO_SEQ;
    this.oldestKeySeq = NO_SEQ;
    this.liveKeySeq = NO_SEQ;
    this.newestVideoUs = -Infinity;
    this.losses.reset();
    this.clears += 1;
  }

  /** The pre-roll rule (contract §4) at trigger `request.triggerUs`; see docs/buffer.md. */
  selectPreRoll(request: PreRollRequest): PreRollSelection {
    assertIntegerUs(request.triggerUs, 'selectPreRoll: triggerUs');
    assertArgument(request.triggerUs >= this.lastNowUs, 'selectPreRoll: triggerUs', `a trigger not before the last push (${this.lastNowUs})`, request.triggerUs);
    assertArgument(request.overlap === 'allow' || request.overlap === 'trim', 'selectPreRoll: overlap', '"allow" or "trim"', request.overlap);
    const previous = request.previousLastFrameUs;
    assertArgument(previous === null || Number.isSafeInteger(previous), 'selectPreRoll: previousLastFrameUs', 'null or an integer number of microseconds', previous);
    // Only a stream with P-frames has a next frame that may need the open GOP's keyframe.
    return selectFromSlots(this.slots, this.tailSeq, this.headSeq, this.losses, this.preRecordUs, request, this.preRollStart, this.sawDeltaFrame ? this.openKeySeq : NO_SEQ);
  }

  /**
   * Opens a reader at `fromSeq` (held, or `nextSeq` for "the next entry pushed"); it pins every
   * entry from there on until read. `nowUs`, the trigger instant, is when its entries become
   * writable (see {@link StorageDrain}); it defaults to the time of the last push or clear.
   */
  openReader(fromSeq: number, nowUs?: number): BufferReader {
    assertArgument(
      Number.isSafeInteger(fromSeq) && fromSeq >= this.tailSeq && fromSeq <= this.headSeq,
      'openReader: fromSeq', `a held seq or nextSeq (${this.tailSeq}..${this.headSeq})`, fromSeq,
    );
    if (nowUs !== undefined) {
      assertIntegerUs(nowUs, 'openReader: nowUs');
      assertNotBefore(nowUs, this.lastNowUs, 'openReader: nowUs');
    }
    const reader = new PinningReader(this, fromSeq, nowUs ?? this.lastNowUs);
    this.readers.push(reader);
    return reader;
  }

  /** The held entry with this seq, as a view into the arena; undefined when not held. */
  entry(seq: number): BufferEntry | undefined {
    if (!Number.isSafeInteger(seq) || seq < this.tailSeq || seq >= this.headSeq) return undefined;
    return this.slots.view(seq, this.arena);
  }

  /** @internal Called by a reader when it closes. */
  detachReader(reader: PinningReader): void {
    const index = this.readers.indexOf(reader);
    if (index >= 0) this.readers.splice(index, 1);
  }

  /** How full the buffer is: bytes held, and the span of video held (newest minus oldest frame). Cheap enough for every frame. */
  fill(): { readonly occupancyBytes: number; readonly occupancyUs: number } {
    const oldestVideoUs = this.oldestVideoUs();
    return { occupancyBytes: this.occupancyBytes, occupancyUs: oldestVideoUs === null ? 0 : this.newestVideoUs - oldestVideoUs };
  }

  /** A snapshot of the statistics. */
  stats(): BufferStats {
    const [time, bytes, slots] = this.evictionsByCause as [number, number, number];
    const oldestVideoUs = this.oldestVideoUs();
    const newestVideoUs = oldestVideoUs === null ? null : this.newestVideoUs;
    const dropsByReason = { ...this.dropCounts };
    const drops = dropsByReason['buffer-overflow'] + dropsByReason['too-large'] + dropsByReason['no-keyframe'];
    return {
      bufferBytes: this.bufferBytes,
      slotCount: this.slotCount,
      preRecordUs: this.preRecordUs,
      ...this.fill(),
      highWaterBytes: this.highWaterBytes,
      entries: this.count,
      videoEntries: this.videoEntries,
      audioEntries: this.count - this.videoEntries,
      slotsInUse: this.count,
      pinnedEntries: pinnedEntryCount(this.readers, this.headSeq),
      openReaders: this.readers.length,
      evictions: { time, bytes, slots, total: time + bytes + slots },
      drops,
      dropsByReason,
      pushes: this.pushes,
      accepted: this.pushes - drops,
      clears: this.clears,
      oldestSeq: this.tailSeq,
      nextSeq: this.headSeq,
      oldestVideoUs,
      newestVideoUs,
      filledSinceUs: this.losses.filledSinceUs,
    };
  }

  private oldestVideoUs(): number | null {
    const s = this.slots;
    // Orphan P-frames (and audio) may precede the oldest keyframe; usually the tail is the keyframe.
    const end = this.oldestKeySeq === NO_SEQ ? this.headSeq : this.oldestKeySeq;
    for (let seq = this.tailSeq; seq < end; seq += 1) if (s.isVideo(s.slotOf(seq))) return s.captureUs[s.slotOf(seq)]!;
    return this.oldestKeySeq === NO_SEQ ? null : s.captureUs[s.slotOf(this.oldestKeySeq)]!;
  }

  private get count(): number {
    return this.headSeq - this.tailSeq;
  }

  /** Lowest seq an open reader still has to read (Infinity with none). Eviction is FIFO, so nothing from there on can go. */
  private pinFloor(): number {
    let floor = Infinity;
    for (const reader of this.readers) if (reader.pinning && reader.nextSeq < floor) floor = reader.nextSeq;
    return floor;
  }

  /** Whether `[offset, offset + size)` overlaps a held payload. Held payloads run from the tail's offset to the write offset, wrapping. */
  private overlapsHeld(offset: number, size: number): boolean {
    if (this.count === 0) return false;
    const readOffset = this.slots.offset[this.slots.slotOf(this.tailSeq)]!;
    if (readOffset < this.writeOffset) return offset < this.writeOffset && offset + size > readOffset;
    return offset < this.writeOffset || offset + size > readOffset;
  }

  private evictExpiredAt(nowUs: number): void {
    const horizonUs = nowUs - this.preRecordUs;
    const s = this.slots;
    while (this.liveKeySeq !== NO_SEQ && this.unitExpired(this.liveKeySeq, horizonUs)) {
      this.liveKeySeq = s.nextKeySeq[s.slotOf(this.liveKeySeq)]!;
    }
    // Audio is still needed if it ends after the earliest frame a future pre-roll could start with.
    const neededFromUs = this.liveKeySeq !== NO_SEQ
      ? s.captureUs[s.slotOf(this.liveKeySeq)]!
      : Math.max(horizonUs, this.lastVideoCaptureUs + 1);
    while (this.count > 0) {
      const slot = s.slotOf(this.tailSeq);
      // An orphan P-frame never starts a pre-roll: once its recording has read it, it can go.
      const expired = s.orphan[slot] === 1 && s.isVideo(slot)
        ? true
        : s.isVideo(slot)
        ? this.unitExpired(this.tailSeq, horizonUs) && s.unitAudioEndUs[slot]! <= neededFromUs
        : s.endUs(slot) <= neededFromUs;
      if (!expired || !this.evictHeadUnit(CAUSE_TIME)) return;
    }
  }

  /**
   * Whether the GOP unit led by keyframe `keySeq` can no longer start a pre-roll of a trigger at or
   * after a push whose window starts at `horizonUs`. 'keyframe-after': its keyframe is older than
   * the window. 'keyframe-before': it is closed (a later keyframe came, or its GOP was cut off) and
   * all its frames are older than the window; an open GOP stays, since a P-frame that joins it
   * may be a window's first frame. This is the extra GOP "before" keeps (docs/buffer.md).
   */
  private unitExpired(keySeq: number, horizonUs: number): boolean {
    const s = this.slots;
    const slot = s.slotOf(keySeq);
    if (this.preRollStart === 'keyframe-after') return s.captureUs[slot]! < horizonUs;
    return this.openKeySeq !== keySeq && s.captureUs[s.slotOf(s.unitLastSeq[slot]!)]! < horizonUs;
  }

  /**
   * A GOP longer than the arena (or, with 'keyframe-after', than the window): the open GOP's
   * keyframe was evicted after a recording read it. That recording (open, not stopped) holds the
   * keyframe, so the GOP's next P-frames are its frames, not pictures without a reference: they are
   * stored, each a unit of its own that never starts a pre-roll. Without such a reader they are
   * refused ('no-keyframe').
   */
  private recordingNeedsOrphans(): boolean {
    if (this.evictedOpenKeySeq === NO_SEQ) return false;
    const key = this.evictedOpenKeySeq;
    for (const reader of this.readers) if (reader.endSeq === Infinity && !reader.closed && reader.fromSeq <= key && reader.nextSeq > key) return true;
    return false;
  }

  /**
   * Evicts the oldest unit unless a reader pins any of it. For room (not time), a GOP unit whose
   * start every reader has already read gives up that read part even though a reader pins the rest:
   * see {@link orphanUnitFrom}.
   */
  private evictHeadUnit(cause: EvictionCause): boolean {
    const s = this.slots;
    const head = this.tailSeq;
    const headSlot = s.slotOf(head);
    const leadsUnit = s.isVideoKeyframe(headSlot);
    let unitEnd = leadsUnit ? s.unitLastSeq[headSlot]! + 1 : head + 1;
    const pinFloor = this.pinFloor();
    if (unitEnd > pinFloor) {
      if (cause === CAUSE_TIME || !leadsUnit || pinFloor <= head) return false;
      this.orphanUnitFrom(pinFloor, unitEnd);
      unitEnd = pinFloor;
    }
    for (let seq = head; seq < unitEnd; seq += 1) {
      const slot = s.slotOf(seq);
      this.occupancyBytes -= s.length[slot]!;
      if (s.isVideo(slot)) {
        this.videoEntries -= 1;
        if (cause === CAUSE_TIME) this.losses.timeEvictedVideoUs = s.captureUs[slot]!;
        else this.losses.capacityEvictedVideoUs = s.captureUs[slot]!;
        if (cause !== CAUSE_TIME && seq === head && leadsUnit) this.losses.capacityEvictedKeyUs = s.captureUs[slot]!;
      } else if (cause !== CAUSE_TIME) {
        this.losses.capacityEvictedAudioEndUs = Math.max(this.losses.capacityEvictedAudioEndUs, s.endUs(slot));
      }
    }
    this.evictionsByCause[cause]! += unitEnd - head;
    this.evictedThisPush += unitEnd - head;
    this.tailSeq = unitEnd;
    if (leadsUnit) {
      const nextKey = s.nextKeySeq[headSlot]!;
      this.oldestKeySeq = nextKey;
      if (this.liveKeySeq === head) this.liveKeySeq = nextKey;
      if (this.openKeySeq === head) {
        this.openKeySeq = NO_SEQ;
        this.openKeyLostToCapacity = cause !== CAUSE_TIME;
        this.evictedOpenKeySeq = head;
      }
    }
    return true;
  }

  /**
   * A GOP longer than the arena, part-read: its keyframe and the frames every reader has written
   * (up to `fromSeq`) go to make room, and its P-frames from `fromSeq` to `unitEnd` stay as
   * orphans, each a unit of its own, for the recording that still has to write them. Without this,
   * the written frames stayed until the whole GOP was read, and a card that keeps up lost the next
   * frame to 'buffer-overflow' (issue 14: the 100 000-case property run, docs/reliability.md).
   * They could never start a pre-roll anyway: their keyframe is gone with the read part.
   */
  private orphanUnitFrom(fromSeq: number, unitEnd: number): void {
    const s = this.slots;
    for (let seq = fromSeq; seq < unitEnd; seq += 1) {
      const slot = s.slotOf(seq);
      if (s.isVideo(slot)) s.orphan[slot] = 1;
    }
  }

  private fail(reason: PushFailureReason, isVideo: boolean, keyframe: boolean, captureUs: number): -1 {
    this.failureThisPush = reason;
    this.dropCounts[reason] += 1;
    if (!isVideo) return -1;
    if (reason === 'no-keyframe' && !this.openKeyLostToCapacity) this.losses.gopDropUs = captureUs;
    else this.losses.capacityDropUs = captureUs;
    if (keyframe) {
      // A lost keyframe ends the open GOP: the P-frames that follow would be undecodable.
      this.openKeySeq = NO_SEQ;
      this.openKeyLostToCapacity = true;
      this.evictedOpenKeySeq = NO_SEQ;
    }
    return -1;
  }

  private store(
    isVideo: boolean, captureUs: number, durationUs: number, keyframe: boolean, payload: Uint8Array, sampleCount: number, nowUs: number, offset: number,
  ): number {
    const s = this.slots;
    const seq = this.headSeq;
    const slot = s.slotOf(seq);
    this.arena.set(payload, offset);
    s.kind[slot] = isVideo ? KIND_VIDEO : KIND_AUDIO;
    s.keyframe[slot] = keyframe ? 1 : 0;
    s.captureUs[slot] = captureUs;
    s.durationUs[slot] = durationUs;
    s.pushedUs[slot] = nowUs;
    s.sampleCount[slot] = sampleCount;
    s.offset[slot] = offset;
    s.length[slot] = payload.byteLength;
    s.capacityDropMarkUs[slot] = this.losses.capacityDropUs;
    s.gopDropMarkUs[slot] = this.losses.gopDropUs;
    s.orphan[slot] = isVideo && !keyframe && this.openKeySeq === NO_SEQ ? 1 : 0;
    this.headSeq = seq + 1;
    this.writeOffset = offset + payload.byteLength;
    this.occupancyBytes += payload.byteLength;
    if (this.occupancyBytes > this.highWaterBytes) this.highWaterBytes = this.occupancyBytes;
    if (!isVideo) {
      this.pendingAudioEndUs = Math.max(this.pendingAudioEndUs, captureUs + durationUs);
      return seq;
    }
    this.videoEntries += 1;
    this.newestVideoUs = captureUs;
    if (keyframe) {
      this.evictedOpenKeySeq = NO_SEQ;
      this.linkKeyframe(seq, slot);
    } else if (s.orphan[slot] === 1) {
      // An orphan is a unit of its own; the audio since the last frame stays outside any unit.
    } else {
      // The P-frame extends its GOP's unit over the audio pushed since the GOP's previous frame.
      const leader = s.slotOf(this.openKeySeq);
      s.unitLastSeq[leader] = seq;
      s.unitAudioEndUs[leader] = Math.max(s.unitAudioEndUs[leader]!, this.pendingAudioEndUs);
    }
    this.pendingAudioEndUs = -Infinity;
    return seq;
  }

  /** A new keyframe opens its own unit (audio pushed since the previous GOP's last frame stays outside both). */
  private linkKeyframe(seq: number, slot: number): void {
    const s = this.slots;
    if (this.lastKeySeq !== NO_SEQ && this.lastKeySeq >= this.tailSeq) s.nextKeySeq[s.slotOf(this.lastKeySeq)] = seq;
    s.nextKeySeq[slot] = NO_SEQ;
    s.unitLastSeq[slot] = seq;
    s.unitAudioEndUs[slot] = -Infinity;
    this.lastKeySeq = seq;
    this.openKeySeq = seq;
    if (this.oldestKeySeq === NO_SEQ) this.oldestKeySeq = seq;
    if (this.liveKeySeq === NO_SEQ) this.liveKeySeq = seq;
  }
}
