/**
 * The reference model of the pre-record buffer: plain arrays, linear scans, every rule written the
 * obvious way. It keeps the full history since the last clear with each entry's fate, and answers
 * triggers with `preRollFor`. The property tests drive it and the real buffer with the same
 * operations and require identical answers, layouts and statistics.
 */
import { preRollFor, type HistoryFate, type PreRollHistoryEntry } from '../../src/buffer/index.js';
import type { BufferEntryInput, PreRollRequest, PreRollSelection, PreRollStart, PushFailureReason, PushResult } from '../../src/buffer/index.js';

/** A held entry of the model. `gop`: video only, the seq of its GOP's keyframe; null for audio. */
export interface ModelEntry {
  readonly seq: number;
  readonly kind: 'video' | 'audio';
  readonly captureUs: number;
  readonly durationUs: number;
  readonly keyframe: boolean;
  readonly sampleCount: number;
  readonly pushedUs: number;
  readonly payload: Uint8Array;
  readonly offset: number;
  readonly gop: number | null;
  /** A P-frame kept for a recording that read its keyframe after capacity evicted that keyframe. */
  readonly orphan: boolean;
}

interface HistoryRecord extends PreRollHistoryEntry {
  seq: number | null;
  fate: HistoryFate;
  gopKeyUs?: number;
}

/** A model reader: a position and an end; it pins `[nextSeq, endSeq)`. */
export interface ModelReader {
  nextSeq: number;
  endSeq: number;
  /** Where it was opened. */
  readonly fromSeq: number;
}

const endOf = (e: { captureUs: number; durationUs: number }): number => e.captureUs + e.durationUs;

export class ReferenceBuffer {
  held: ModelEntry[] = [];
  history: HistoryRecord[] = [];
  private historyBySeq = new Map<number, HistoryRecord>();
  readers: ModelReader[] = [];
  nextSeq = 0;
  writeOffset = 0;
  highWaterBytes = 0;
  evictions = { time: 0, bytes: 0, slots: 0 };
  drops: Record<PushFailureReason, number> = { 'buffer-overflow': 0, 'too-large': 0, 'no-keyframe': 0 };
  private lastVideoCaptureUs = -Infinity;
  private openKey: number | null = null;
  private openLostToCapacity = false;
  /** The open GOP's keyframe, when capacity evicted it: a recording past it still takes its P-frames. */
  private evictedOpenKey: { seq: number; captureUs: number } | null = null;
  private evictedNow = 0;

  constructor(
    readonly bufferBytes: number,
    readonly preRecordUs: number,
    readonly slotCount: number,
    readonly preRollStart: PreRollStart = 'keyframe-after',
  ) {}

  get occupancyBytes(): number {
    return this.held.reduce((sum, e) => sum + e.payload.length, 0);
  }

  push(input: BufferEntryInput, nowUs: number): PushResult {
    const record: HistoryRecord = { ...input, seq: null, fate: 'held' };
    this.history.push(record);
    this.evictedNow = 0;
    this.expire(nowUs);
    if (input.kind === 'video') this.lastVideoCaptureUs = input.captureUs;
    const size = input.payload.length;
    const isPFrame = input.kind === 'video' && !input.keyframe;
    if (size > this.bufferBytes) return this.drop(record, 'too-large');
    if (isPFrame && this.openKey === null && !this.needsOrphans()) return this.drop(record, 'no-keyframe');
    const offset = this.writeOffset + size <= this.bufferBytes ? this.writeOffset : 0;
    const overlaps = (): boolean => this.held.some((e) => e.offset < offset + size && offset < e.offset + e.payload.length);
    while (this.held.length === this.slotCount || overlaps()) {
      if (!this.evictUnit(this.held.length === this.slotCount ? 'slots' : 'bytes')) return this.drop(record, 'buffer-overflow');
      if (isPFrame && this.openKey === null && !this.needsOrphans()) return this.drop(record, 'no-keyframe');
    }
    const seq = this.nextSeq++;
    const gop = input.kind === 'audio' ? null : input.keyframe ? seq : this.openKey;
    const orphan = isPFrame && gop === null;
    this.held.push({ ...input, payload: input.payload.slice(), seq, pushedUs: nowUs, offset, gop, orphan });
    if (input.kind === 'video' && input.keyframe) {
      this.openKey = seq;
      this.evictedOpenKey = null;
    }
    record.seq = seq;
    if (gop !== null) record.gopKeyUs = gop === seq ? input.captureUs : this.held.find((e) => e.seq === gop)!.captureUs;
    if (orphan) record.gopKeyUs = this.evictedOpenKey!.captureUs;
    this.historyBySeq.set(seq, record);
    this.writeOffset = offset + size;
    this.highWaterBytes = Math.max(this.highWaterBytes, this.occupancyBytes);
    return { ok: true, seq, evicted: this.evictedNow };
  }

  /** Frees room for `bytes` at the write head as a push of that size would (evicting for bytes); false when pins block it. */
  makeRoom(bytes: number): boolean {
    const size = Math.min(bytes, this.bufferBytes);
    const offset = this.writeOffset + size <= this.bufferBytes ? this.writeOffset : 0;
    const overlaps = (): boolean => this.held.some((e) => e.offset < offset + size && offset < e.offset + e.payload.length);
    while (size > 0 && overlaps()) if (!this.evictUnit('bytes')) return false;
    return bytes <= this.bufferBytes;
  }

  /** Evicts expired units at `nowUs`; returns how many entries went. */
  expire(nowUs: number): number {
    const horizonUs = nowUs - this.preRecordUs;
    const liveKey = this.held.find((e) => e.kind === 'video' && e.keyframe && !this.gopExpired(e, horizonUs));
    const neededFromUs = liveKey !== undefined ? liveKey.captureUs : Math.max(horizonUs, this.lastVideoCaptureUs + 1);
    const before = this.evictions.time;
    for (;;) {
      const head = this.held[0];
      if (head === undefined) break;
      const expired = head.orphan
        ? true
        : head.kind === 'audio'
        ? endOf(head) <= neededFromUs
        : this.gopExpired(head, horizonUs) && this.headUnit().every((e) => e.kind === 'video' || endOf(e) <= neededFromUs);
      if (!expired || !this.evictUnit('time')) break;
    }
    return this.evictions.time - before;
  }

  clear(): void {
    this.held = [];
    this.history = [];
    this.historyBySeq.clear();
    this.readers = [];
    this.writeOffset = 0;
    this.openKey = null;
    this.openLostToCapacity = false;
    this.evictedOpenKey = null;
  }

  /** A recording still running (not stopped) has read the evicted open keyframe: its P-frames are kept. */
  needsOrphans(): boolean {
    const key = this.evictedOpenKey;
    return key !== null && this.readers.some((r) => r.endSeq === Infinity && r.fromSeq <= key.seq && r.nextSeq > key.seq);
  }

  select(request: PreRollRequest): PreRollSelection {
    return preRollFor(this.history, { ...request, preRecordUs: this.preRecordUs, start: this.preRollStart });
  }

  /**
   * Whether the GOP of keyframe `key` can no longer start a pre-roll once the window starts at
   * `horizonUs`: "after" needs its keyframe in the window; "before" needs one of its frames in the
   * window, or the GOP still open (a P-frame may join it).
   */
  gopExpired(key: ModelEntry, horizonUs: number): boolean {
    if (this.preRollStart === 'keyframe-after') return key.captureUs < horizonUs;
    const open = this.openKey === key.seq;
    return !open && this.held.every((e) => e.gop !== key.seq || e.captureUs < horizonUs);
  }

  /** The oldest unit: a keyframe up to the last held frame of its GOP (with the audio in between), or one audio chunk. */
  headUnit(): ModelEntry[] {
    const head = this.held[0];
    if (head === undefined) return [];
    if (head.kind === 'audio' || head.orphan) return [head];
    if (head.gop !== head.seq) throw new Error(`model invariant: head ${head.seq} is a P-frame`);
    let last = 0;
    this.held.forEach((e, i) => {
      if (e.gop === head.seq) last = i;
    });
    const unit = this.held.slice(0, last + 1);
    if (unit.some((e) => e.kind === 'video' && e.gop !== head.seq)) throw new Error('model invariant: GOPs interleave');
    return unit;
  }

  private evictUnit(cause: 'time' | 'bytes' | 'slots'): boolean {
    let unit = this.headUnit();
    const pinned = (e: ModelEntry): boolean => this.readers.some((r) => e.seq >= r.nextSeq && e.seq < r.endSeq);
    const firstPinned = unit.findIndex(pinned);
    if (firstPinned >= 0) {
      // For room, a GOP's part that every reader has written goes; its pinned P-frames stay as orphans.
      const head = unit[0]!;
      if (cause === 'time' || head.gop !== head.seq || firstPinned === 0) return false;
      const rest = new Set(unit.slice(firstPinned).map((e) => e.seq));
      this.held = this.held.map((e) => (rest.has(e.seq) && e.kind === 'video' ? { ...e, gop: null, orphan: true } : e));
      unit = unit.slice(0, firstPinned);
    }
    this.held.splice(0, unit.length);
    for (const e of unit) {
      const record = this.historyBySeq.get(e.seq);
      if (record !== undefined) record.fate = cause === 'time' ? 'evicted-time' : 'evicted-capacity';
    }
    const head = unit[0]!;
    if (head.gop === head.seq && this.openKey === head.seq) {
      this.openKey = null;
      this.openLostToCapacity = cause !== 'time';
      this.evictedOpenKey = { seq: head.seq, captureUs: head.captureUs };
    }
    this.evictions[cause] += unit.length;
    this.evictedNow += unit.length;
    return true;
  }

  private drop(record: HistoryRecord, reason: PushFailureReason): PushResult {
    this.drops[reason] += 1;
    record.fate = reason === 'no-keyframe' && !this.openLostToCapacity ? 'dropped-gop' : 'dropped-capacity';
    if (record.kind === 'video' && record.keyframe) {
      this.openKey = null;
      this.openLostToCapacity = true;
      this.evictedOpenKey = null;
    }
    return { ok: false, reason, evicted: this.evictedNow };
  }
}
