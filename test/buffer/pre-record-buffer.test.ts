/** Hand-checked cases of the buffer's rules: window edges, each `limitedBy`, GOPs, audio, pins, drops. */
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { PreRecordBuffer, type BufferEntryInput, type PreRollRequest } from '../../src/buffer/index.js';
import { audioChunk, videoFrame } from './entries.js';

const allow = (triggerUs: number): PreRollRequest => ({ triggerUs, overlap: 'allow', previousLastFrameUs: null });

/** Pushes frames captured at `from, from + step, ... <= to`, each at its capture time. */
function pushFrames(buffer: PreRecordBuffer, from: number, to: number, step: number, make = (t: number): BufferEntryInput => videoFrame(t)): void {
  for (let t = from; t <= to; t += step) expect(buffer.push(make(t), t).ok).toBe(true);
}

describe('the window', () => {
  it('keeps a frame captured exactly at T - preRecordUs, and evicts it once the window passes it', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 100_000, slotCount: 64 });
    pushFrames(buffer, 0, 100_000, 10_000);
    expect(buffer.stats().evictions.time).toBe(0);
    expect(buffer.selectPreRoll(allow(100_000))).toEqual({
      startSeq: 0, firstFrameSeq: 0, firstFrameUs: 0, requestedUs: 100_000, actualUs: 100_000, limitedBy: null,
    });
    expect(buffer.selectPreRoll(allow(100_001))).toMatchObject({ firstFrameUs: 10_000, actualUs: 90_001, limitedBy: null });
    expect(buffer.push(videoFrame(110_000), 110_000)).toEqual({ ok: true, seq: 11, evicted: 1 });
    expect(buffer.stats()).toMatchObject({ oldestSeq: 1, oldestVideoUs: 10_000, newestVideoUs: 110_000, occupancyUs: 100_000, entries: 11 });
  });

  it('holds about preRecordUs of history at 30 fps over a long run', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 1 << 20, preRecordUs: 2_000_000, slotCount: 256 });
    for (let i = 0; i < 600; i += 1) buffer.push(videoFrame(Math.round((i * 1e6) / 30)), Math.round((i * 1e6) / 30));
    const stats = buffer.stats();
    expect(stats.occupancyUs).toBeLessThanOrEqual(2_000_000);
    expect(stats.occupancyUs).toBeGreaterThan(2_000_000 - 33_334);
    expect(stats.evictions).toEqual({ time: 600 - stats.entries, bytes: 0, slots: 0, total: 600 - stats.entries });
  });
});

describe('limitedBy', () => {
  it("says 'boot' while the buffer has filled for less than the window, and after a clear", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 100_000, slotCount: 64 });
    expect(buffer.selectPreRoll(allow(0))).toEqual({
      startSeq: null, firstFrameSeq: null, firstFrameUs: null, requestedUs: 100_000, actualUs: 0, limitedBy: 'boot',
    });
    pushFrames(buffer, 0, 50_000, 10_000);
    expect(buffer.selectPreRoll(allow(50_000))).toMatchObject({ firstFrameUs: 0, actualUs: 50_000, limitedBy: 'boot' });
    buffer.clear(60_000);
    expect(buffer.stats()).toMatchObject({ entries: 0, filledSinceUs: null, clears: 1 });
    expect(buffer.selectPreRoll(allow(60_000))).toMatchObject({ startSeq: null, limitedBy: 'boot' });
    buffer.push(videoFrame(70_000), 70_000);
    expect(buffer.selectPreRoll(allow(75_000))).toMatchObject({ startSeq: 6, firstFrameUs: 70_000, actualUs: 5_000, limitedBy: 'boot' });
  });

  it("says 'trim' when the previous recording's last frame cuts into the window", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 100_000, slotCount: 64 });
    pushFrames(buffer, 0, 200_000, 10_000);
    const trim = (previousLastFrameUs: number): PreRollRequest => ({ triggerUs: 200_000, overlap: 'trim', previousLastFrameUs });
    expect(buffer.selectPreRoll(trim(150_000))).toMatchObject({ firstFrameUs: 160_000, actualUs: 40_000, limitedBy: 'trim' });
    expect(buffer.selectPreRoll({ ...trim(150_000), overlap: 'allow' })).toMatchObject({ firstFrameUs: 100_000, limitedBy: null });
    expect(buffer.selectPreRoll(trim(50_000))).toMatchObject({ firstFrameUs: 100_000, limitedBy: null });
    expect(buffer.selectPreRoll(trim(200_000))).toMatchObject({ startSeq: null, actualUs: 0, limitedBy: 'trim' });
  });

  it("prefers 'trim' over 'boot' on a tie, and the later bound otherwise", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 100_000, slotCount: 64 });
    pushFrames(buffer, 10_000, 50_000, 10_000);
    const request = (previousLastFrameUs: number): PreRollRequest => ({ triggerUs: 60_000, overlap: 'trim', previousLastFrameUs });
    expect(buffer.selectPreRoll(request(9_999))).toMatchObject({ firstFrameUs: 10_000, limitedBy: 'trim' });
    expect(buffer.selectPreRoll(request(9_998))).toMatchObject({ firstFrameUs: 10_000, limitedBy: 'boot' });
    expect(buffer.selectPreRoll(request(20_000))).toMatchObject({ firstFrameUs: 30_000, limitedBy: 'trim' });
  });

  it("says 'bytes' when the byte budget evicted frames inside the window; payloads never straddle the wrap", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 55, preRecordUs: 1_000_000, slotCount: 64 });
    pushFrames(buffer, 0, 90_000, 10_000);
    const stats = buffer.stats();
    expect(stats).toMatchObject({ entries: 5, occupancyBytes: 50, highWaterBytes: 50, oldestSeq: 5 });
    expect(stats.evictions).toEqual({ time: 0, bytes: 5, slots: 0, total: 5 });
    // frame 5 wrapped to offset 0 (5 bytes of tail skipped), then 6..9 follow it
    expect([5, 6, 7, 8, 9].map((seq) => buffer.entry(seq)?.payload.byteOffset)).toEqual([0, 10, 20, 30, 40]);
    expect(buffer.selectPreRoll(allow(95_000))).toMatchObject({ startSeq: 5, firstFrameUs: 50_000, actualUs: 45_000, limitedBy: 'bytes' });
  });

  it("says 'bytes' when the slot ring evicted frames inside the window", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 1_000_000, slotCount: 3 });
    pushFrames(buffer, 0, 40_000, 10_000);
    expect(buffer.stats().evictions).toEqual({ time: 0, bytes: 0, slots: 2, total: 2 });
    expect(buffer.selectPreRoll(allow(40_000))).toMatchObject({ firstFrameUs: 20_000, limitedBy: 'bytes' });
  });
});

describe('GOPs (fake codec, keyframe every N frames)', () => {
  const gopFrame = (n: number) => (t: number): BufferEntryInput => videoFrame(t, { keyframe: (t / 10_000) % n === 0 });

  it("moves the start forward to the next keyframe and says 'gop'", () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 120_000, slotCount: 64 });
    pushFrames(buffer, 0, 290_000, 10_000, gopFrame(5));
    // window starts at 170 000, inside the GOP of 150 000, whose unit the window already evicted
    expect(buffer.entry(buffer.oldestSeq)).toMatchObject({ captureUs: 200_000, keyframe: true });
    expect(buffer.selectPreRoll(allow(290_000))).toMatchObject({ firstFrameUs: 200_000, actualUs: 90_000, limitedBy: 'gop' });
    expect(buffer.selectPreRoll(allow(320_000))).toMatchObject({ firstFrameUs: 200_000, actualUs: 120_000, limitedBy: null });
  });

  it('never advertises pre-roll that is not there when a GOP is longer than the window', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 10_000, preRecordUs: 100_000, slotCount: 64 });
    const results = [];
    for (let t = 0; t <= 300_000; t += 10_000) results.push(buffer.push(gopFrame(50)(t), t));
    expect(buffer.selectPreRoll(allow(300_000))).toEqual({
      startSeq: null, firstFrameSeq: null, firstFrameUs: null, requestedUs: 100_000, actualUs: 0, limitedBy: 'gop',
    });
    // the GOP left the window while open: its later P-frames are useless and rejected, and counted
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'no-keyframe')).toBe(true);
    expect(buffer.stats().dropsByReason['no-keyframe']).toBe(results.filter((r) => !r.ok).length);
    expect(buffer.stats().entries).toBe(0);
  });

  it('evicts a whole GOP to make room, so the oldest entry is always a keyframe', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 100, preRecordUs: 1_000_000, slotCount: 64 });
    pushFrames(buffer, 0, 90_000, 10_000, gopFrame(4));
    const result = buffer.push(gopFrame(4)(100_000), 100_000);
    expect(result).toEqual({ ok: true, seq: 10, evicted: 4 });
    expect(buffer.entry(buffer.oldestSeq)).toMatchObject({ captureUs: 40_000, keyframe: true });
  });

  it('frees the part of a GOP a recording has written, when the GOP outgrows the arena (the rest kept as orphans)', () => {
    // Issue 14, pipeline property: one GOP longer than the arena, a recording part-way through it.
    const buffer = new PreRecordBuffer({ bufferBytes: 40, preRecordUs: 1_000_000, slotCount: 64, preRollStart: 'keyframe-before' });
    pushFrames(buffer, 0, 30_000, 10_000, gopFrame(100));
    const reader = buffer.openReader(0);
    reader.advance();
    reader.advance();
    // Frames 0 and 1 are written; 2 and 3 are pinned. A fifth frame needs the arena's start.
    expect(buffer.push(gopFrame(100)(40_000), 40_000)).toEqual({ ok: true, seq: 4, evicted: 2 });
    expect(buffer.stats()).toMatchObject({ oldestSeq: 2, entries: 3, dropsByReason: { 'buffer-overflow': 0, 'no-keyframe': 0 } });
    expect(buffer.entry(2)).toMatchObject({ captureUs: 20_000, keyframe: false });
    // The recording still gets every frame, in order; a later trigger has no keyframe to start from.
    const read: number[] = [];
    for (let e = reader.peek(); e !== undefined; e = reader.peek()) {
      read.push(e.captureUs);
      reader.advance();
    }
    expect(read).toEqual([20_000, 30_000, 40_000]);
    reader.close();
    expect(buffer.selectPreRoll(allow(50_000))).toMatchObject({ startSeq: null, firstFrameUs: null, limitedBy: 'bytes' });
  });
});

describe('audio', () => {
  /** Frames at 30 fps pushed `lagUs` after capture, 20 ms audio chunks pushed when their last sample is in. */
  function capture(lagUs: number, untilUs: number): PreRecordBuffer {
    const buffer = new PreRecordBuffer({ bufferBytes: 100_000, preRecordUs: 100_000, slotCount: 256 });
    const pushes: { atUs: number; entry: BufferEntryInput }[] = [];
    for (let t = 0; t <= untilUs; t += 33_333) pushes.push({ atUs: t + lagUs, entry: videoFrame(t) });
    for (let t = 0; t + 20_000 <= untilUs + lagUs; t += 20_000) pushes.push({ atUs: t + 20_000, entry: audioChunk(t, 20_000) });
    pushes.sort((a, b) => a.atUs - b.atUs);
    for (const { atUs, entry } of pushes) expect(buffer.push(entry, atUs).ok).toBe(true);
    return buffer;
  }

  /** Capture times of the held audio chunks that end after `fromUs`. */
  function heldAudioAfter(buffer: PreRecordBuffer, fromUs: number): number[] {
    const starts = [];
    for (let seq = buffer.oldestSeq; seq < buffer.nextSeq; seq += 1) {
      const e = buffer.entry(seq)!;
      if (e.kind === 'audio' && e.captureUs + e.durationUs > fromUs) starts.push(e.captureUs);
    }
    return starts;
  }

  it('keeps every audio chunk that ends after the first frame of the pre-roll', () => {
    const buffer = capture(0, 300_000);
    const selection = buffer.selectPreRoll(allow(300_000));
    expect(selection).toMatchObject({ firstFrameUs: 233_331, actualUs: 66_669, limitedBy: null });
    // [220 000, 240 000) covers the first frame; pushed after it (at 240 000), the read starts at the frame
    expect(selection.startSeq).toBe(selection.firstFrameSeq);
    expect(heldAudioAfter(buffer, 233_331)).toEqual([220_000, 240_000, 260_000, 280_000]);
    // everything before the window's first possible frame is gone, including [200 000, 220 000)
    expect(buffer.entry(buffer.oldestSeq)).toMatchObject({ kind: 'video', captureUs: 233_331 });
  });

  it('starts the read at an audio chunk pushed before the first frame when the encoder lags', () => {
    const buffer = capture(15_000, 300_000);
    const selection = buffer.selectPreRoll(allow(315_000));
    expect(selection).toMatchObject({ firstFrameUs: 233_331, limitedBy: null });
    // [220 000, 240 000) was pushed at 240 000, before the frame captured at 233 331 was (at 248 331)
    expect(buffer.entry(selection.startSeq!)).toMatchObject({ kind: 'audio', captureUs: 220_000 });
    expect(selection.startSeq!).toBeLessThan(selection.firstFrameSeq!);
    expect(heldAudioAfter(buffer, 233_331)[0]).toBe(220_000);
  });

  it('expires audio on its own after video stops (a gap does not pin the last frame\'s audio)', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 100_000, preRecordUs: 100_000, slotCount: 256 });
    buffer.push(videoFrame(0), 0);
    for (let t = 0; t < 1_000_000; t += 20_000) buffer.push(audioChunk(t, 20_000), t + 20_000);
    const stats = buffer.stats();
    expect(stats.videoEntries).toBe(0);
    expect(stats.audioEntries).toBeLessThanOrEqual(6);
    expect(stats.evictions.bytes).toBe(0);
  });
});

describe('pins, drops and bad arguments', () => {
  it('never evicts what a reader pins; a push that needs it fails as buffer-overflow and is counted', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 30, preRecordUs: 1_000_000, slotCount: 64 });
    pushFrames(buffer, 0, 20_000, 10_000);
    const reader = buffer.openReader(1);
    expect(buffer.push(videoFrame(30_000), 30_000)).toEqual({ ok: true, seq: 3, evicted: 1 });
    expect(buffer.push(videoFrame(40_000), 40_000)).toEqual({ ok: false, reason: 'buffer-overflow', evicted: 0 });
    expect(buffer.stats()).toMatchObject({ drops: 1, pinnedEntries: 3, openReaders: 1 });
    expect(reader.peek()).toMatchObject({ seq: 1, captureUs: 10_000 });
    reader.advance();
    expect(buffer.push(videoFrame(50_000), 50_000)).toEqual({ ok: true, seq: 4, evicted: 1 });
    reader.close();
    expect(buffer.stats()).toMatchObject({ pinnedEntries: 0, openReaders: 0 });
  });

  it('rejects a payload larger than the arena, and a P-frame without its keyframe', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 16, preRecordUs: 1_000_000, slotCount: 8 });
    expect(buffer.push(videoFrame(0, { size: 17 }), 0)).toEqual({ ok: false, reason: 'too-large', evicted: 0 });
    expect(buffer.push(videoFrame(10_000, { keyframe: false }), 10_000)).toEqual({ ok: false, reason: 'no-keyframe', evicted: 0 });
    expect(buffer.stats().dropsByReason).toEqual({ 'buffer-overflow': 0, 'too-large': 1, 'no-keyframe': 1 });
  });

  it('closes readers on clear', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 100, preRecordUs: 1_000_000, slotCount: 8 });
    buffer.push(videoFrame(0), 0);
    const reader = buffer.openReader(0);
    buffer.clear(10_000);
    expect(reader.closed).toBe(true);
    expect(reader.peek()).toBeUndefined();
    expect(() => reader.advance()).toThrow(BodycamError);
  });

  it('throws usage errors that say what was expected', () => {
    const buffer = new PreRecordBuffer({ bufferBytes: 100, preRecordUs: 1_000_000, slotCount: 8 });
    expect(() => new PreRecordBuffer({ bufferBytes: 0, preRecordUs: 0, slotCount: 1 })).toThrow(/bufferBytes: expected a positive integer/);
    buffer.push(videoFrame(10_000), 10_000);
    expect(() => buffer.push(videoFrame(10_000), 20_000)).toThrow(/strictly increasing/);
    expect(() => buffer.push(videoFrame(20_000), 5_000)).toThrow(/never runs backwards/);
    expect(() => buffer.push(videoFrame(30_000), 20_000)).toThrow(/not after nowUs/);
    expect(() => buffer.push({ ...audioChunk(0, 10), keyframe: false }, 20_000)).toThrow(/always keyframes/);
    expect(() => buffer.push({ ...videoFrame(20_000), payload: new Uint8Array(0) }, 20_000)).toThrow(/non-empty Uint8Array/);
    expect(() => buffer.selectPreRoll(allow(5_000))).toThrow(/not before the last push/);
    expect(() => buffer.openReader(5)).toThrow(/held seq or nextSeq/);
    const error = ((): unknown => {
      try {
        buffer.push(videoFrame(1.5), 20_000);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BodycamError);
    expect((error as BodycamError).code).toBe('usage');
    expect((error as BodycamError).message).toMatch(/captureUs: expected an integer number of microseconds, got 1.5/);
  });
});
