/**
 * The pre-roll rule: `preRollFor` on hand-written histories, and a property that checks the real
 * buffer straight against contract §4 (no model in between) whenever capacity is not a factor.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PreRecordBuffer, preRollFor, type BufferEntryInput, type PreRollHistoryEntry } from '../../src/buffer/index.js';
import { audioChunk, videoFrame } from './entries.js';

const v = (seq: number | null, captureUs: number, fate: PreRollHistoryEntry['fate'] = 'held', keyframe = true): PreRollHistoryEntry => ({
  seq, kind: 'video', captureUs, durationUs: 0, keyframe, fate,
});
const a = (seq: number | null, captureUs: number, durationUs: number, fate: PreRollHistoryEntry['fate'] = 'held'): PreRollHistoryEntry => ({
  seq, kind: 'audio', captureUs, durationUs, keyframe: true, fate,
});
const request = { triggerUs: 100, preRecordUs: 50, overlap: 'allow' as const, previousLastFrameUs: null };

describe('preRollFor', () => {
  it('starts at the earliest held frame at or after T - preRecordUs', () => {
    const history = [v(null, 0, 'evicted-time'), v(1, 40), v(2, 50), v(3, 60)];
    expect(preRollFor(history, request)).toEqual({ startSeq: 2, firstFrameSeq: 2, firstFrameUs: 50, requestedUs: 50, actualUs: 50, limitedBy: null });
  });

  it("says 'boot' when the first push since the clear came after the window start", () => {
    expect(preRollFor([v(0, 70), v(1, 80)], request)).toMatchObject({ firstFrameUs: 70, actualUs: 30, limitedBy: 'boot' });
    expect(preRollFor([], request)).toMatchObject({ startSeq: null, actualUs: 0, limitedBy: 'boot' });
  });

  it("says 'bytes' for frames in the window lost to capacity, evicted or dropped", () => {
    expect(preRollFor([v(null, 40, 'evicted-capacity'), v(null, 55, 'evicted-capacity'), v(2, 60)], request)).toMatchObject({ firstFrameUs: 60, limitedBy: 'bytes' });
    expect(preRollFor([v(0, 40), v(1, 50), v(null, 55, 'dropped-capacity'), v(3, 60)], request)).toMatchObject({ firstFrameUs: 50, limitedBy: null });
    expect(preRollFor([v(0, 40), v(null, 50, 'dropped-capacity'), v(2, 60)], request)).toMatchObject({ firstFrameUs: 60, limitedBy: 'bytes' });
  });

  it("says 'bytes' when audio evicted for capacity would leave the first frame without sound", () => {
    const history = [v(0, 40), a(null, 30, 25, 'evicted-capacity'), v(2, 50), v(3, 60)];
    expect(preRollFor(history, request)).toMatchObject({ firstFrameUs: 60, limitedBy: 'bytes' });
  });

  it("says 'gop' for P-frames skipped to reach a keyframe, 'trim' for the previous recording", () => {
    const gop = [v(0, 40), v(1, 50, 'held', false), v(2, 60)];
    expect(preRollFor(gop, request)).toMatchObject({ firstFrameUs: 60, limitedBy: 'gop' });
    const trimmed = { ...request, overlap: 'trim' as const, previousLastFrameUs: 55 };
    expect(preRollFor([v(0, 40), v(1, 50), v(2, 60)], trimmed)).toMatchObject({ firstFrameUs: 60, actualUs: 40, limitedBy: 'trim' });
    expect(preRollFor([v(0, 40), v(1, 50), v(2, 60)], { ...trimmed, overlap: 'allow' })).toMatchObject({ firstFrameUs: 50, limitedBy: null });
  });

  it("'keyframe-before' reaches back to the keyframe of the window's first frame; 'keyframe-after' goes forward", () => {
    // Window start 50: the frame at 55 is a P-frame of the GOP that starts at 30.
    const p = (seq: number, captureUs: number, gopKeyUs: number): PreRollHistoryEntry => ({ ...v(seq, captureUs, 'held', false), gopKeyUs });
    const history = [{ ...v(0, 30), gopKeyUs: 30 }, p(1, 40, 30), p(2, 55, 30), { ...v(3, 70), gopKeyUs: 70 }, p(4, 80, 70)];
    expect(preRollFor(history, { ...request, start: 'keyframe-before' })).toMatchObject({ firstFrameUs: 30, actualUs: 70, limitedBy: null });
    expect(preRollFor(history, { ...request, start: 'keyframe-after' })).toMatchObject({ firstFrameUs: 70, actualUs: 30, limitedBy: 'gop' });
    // A keyframe at the window's first frame: both give section 4's rule (every frame a keyframe: MJPEG).
    const intra = [v(0, 30), v(1, 40), v(2, 55), v(3, 70)];
    for (const start of ['keyframe-before', 'keyframe-after'] as const) {
      expect(preRollFor(intra, { ...request, start })).toMatchObject({ firstFrameUs: 55, actualUs: 45, limitedBy: null });
    }
    // The trim bound inside that GOP: "before" cannot reach back past the previous recording.
    expect(preRollFor(history, { ...request, start: 'keyframe-before', overlap: 'trim', previousLastFrameUs: 35 })).toMatchObject({ firstFrameUs: 70, limitedBy: 'gop' });
  });

  it("says 'keyframe-evicted' when bytes took only the GOP reaching into the window, 'bytes' when they took more", () => {
    const g = (seq: number | null, captureUs: number, keyUs: number, fate: PreRollHistoryEntry['fate'] = 'held'): PreRollHistoryEntry => ({
      ...v(seq, captureUs, fate, captureUs === keyUs), gopKeyUs: keyUs,
    });
    const before = { ...request, start: 'keyframe-before' as const };
    const straddling = [g(null, 30, 30, 'evicted-capacity'), g(null, 55, 30, 'evicted-capacity'), g(2, 70, 70), g(3, 80, 70)];
    expect(preRollFor(straddling, before)).toMatchObject({ firstFrameUs: 70, limitedBy: 'keyframe-evicted' });
    expect(preRollFor(straddling, { ...before, start: 'keyframe-after' })).toMatchObject({ firstFrameUs: 70, limitedBy: 'bytes' });
    const more = [g(null, 30, 30, 'evicted-capacity'), g(null, 55, 30, 'evicted-capacity'), g(null, 60, 60, 'evicted-capacity'), g(3, 70, 70)];
    expect(preRollFor(more, before)).toMatchObject({ firstFrameUs: 70, limitedBy: 'bytes' });
  });

  it('starts the read at held audio that covers the first frame', () => {
    const history = [v(0, 40), a(1, 45, 10), a(2, 55, 10), v(3, 50)];
    expect(preRollFor(history, request)).toMatchObject({ startSeq: 1, firstFrameSeq: 3, firstFrameUs: 50 });
  });
});

/** One random capture: frames (jittered, gapped), optional audio, a GOP length, maybe a clear. */
const captureArbitrary = fc.record({
  preRecordUs: fc.oneof(fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 150_000, max: 400_000 })),
  gop: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 6, max: 40 })),
  start: fc.constantFrom('keyframe-before' as const, 'keyframe-after' as const),
  intervals: fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 20_000, max: 45_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 45_000, max: 400_000 }) }), { minLength: 1, maxLength: 80 }),
  audioChunkUs: fc.oneof(fc.constant(0), fc.integer({ min: 5_000, max: 40_000 })),
  clearAt: fc.option(fc.integer({ min: 0, max: 79 }), { nil: null }),
  extraUs: fc.integer({ min: 0, max: 100_000 }),
  trim: fc.boolean(),
  previousPick: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
});

describe('PreRecordBuffer against contract §4 and §9 (capacity never binding)', () => {
  it('selects exactly the frames the rule names, keeps their audio, and reads them once each in order', () => {
    const seen: Record<string, number> = {};
    fc.assert(
      fc.property(captureArbitrary, (c) => {
        const buffer = new PreRecordBuffer({ bufferBytes: 1 << 20, preRecordUs: c.preRecordUs, slotCount: 4096, preRollStart: c.start });
        let frames: BufferEntryInput[] = [];
        let audio: BufferEntryInput[] = [];
        let firstPushUs: number | null = null;
        let nowUs = 0;
        let audioUs = 0;
        let index = 0;
        c.intervals.forEach((intervalUs, step) => {
          nowUs += intervalUs;
          while (c.audioChunkUs > 0 && audioUs + c.audioChunkUs <= nowUs) {
            const chunk = audioChunk(audioUs, c.audioChunkUs);
            firstPushUs ??= chunk.captureUs;
            buffer.push(chunk, audioUs + c.audioChunkUs);
            audio.push(chunk);
            audioUs += c.audioChunkUs;
          }
          const frame = videoFrame(nowUs, { keyframe: index++ % c.gop === 0 });
          firstPushUs ??= frame.captureUs;
          buffer.push(frame, nowUs);
          frames.push(frame);
          if (step === c.clearAt) {
            buffer.clear(nowUs);
            [frames, audio, firstPushUs] = [[], [], null];
          }
        });
        const triggerUs = nowUs + c.extraUs;
        // the previous recording ended on one of the frames of the last two windows (or there was none)
        const recent = frames.filter((f) => f.captureUs >= triggerUs - 2 * c.preRecordUs);
        const previousLastFrameUs = c.previousPick === null || recent.length === 0 ? null : recent[Math.floor(c.previousPick * (recent.length - 1))]!.captureUs;
        const selection = buffer.selectPreRoll({ triggerUs, overlap: c.trim ? 'trim' : 'allow', previousLastFrameUs });

        // The rule, stated directly: frames since the last clear, from the window (or trim) start on.
        const windowStartUs = triggerUs - c.preRecordUs;
        const trimBoundUs = c.trim && previousLastFrameUs !== null ? previousLastFrameUs + 1 : -Infinity;
        const bootBoundUs = firstPushUs ?? Infinity;
        const boundUs = Math.max(windowStartUs, trimBoundUs, bootBoundUs);
        const inWindow = frames.filter((f) => f.captureUs >= boundUs);
        // §9 'keyframe-before': the keyframe of the first frame's GOP, when it is earlier and after the trim bound.
        // (No frame of the window yet: the next frame's, the open GOP's, in a stream with P-frames;
        // a stream of keyframes only is section 4's rule exactly.)
        const hasGops = frames.some((f) => !f.keyframe);
        const gopKey = inWindow[0] === undefined && !hasGops ? undefined : frames.filter((f) => f.keyframe && f.captureUs <= (inWindow[0]?.captureUs ?? Infinity)).at(-1);
        const early = c.start === 'keyframe-before' && gopKey !== undefined && gopKey.captureUs < boundUs && gopKey.captureUs >= trimBoundUs ? gopKey : undefined;
        const first = early ?? inWindow.find((f) => f.keyframe);
        const skipped = first === undefined ? inWindow : inWindow.filter((f) => f.captureUs < first.captureUs);
        const expectedLimit = skipped.length > 0
          ? 'gop'
          : early !== undefined ? null : trimBoundUs > windowStartUs && trimBoundUs >= bootBoundUs ? 'trim' : bootBoundUs > windowStartUs ? 'boot' : null;
        expect(selection.firstFrameUs).toBe(first?.captureUs ?? null);
        expect(selection.limitedBy).toBe(expectedLimit);
        expect(selection.actualUs).toBe(first === undefined ? 0 : triggerUs - first.captureUs);
        if (early === undefined) expect(selection.actualUs).toBeLessThanOrEqual(c.preRecordUs);
        // 'before' gives at least the requested pre-roll, at most one GOP (keyframe to the window's first frame) more.
        else expect(selection.actualUs).toBeGreaterThan(c.preRecordUs);
        if (first !== undefined) expect(first.keyframe).toBe(true);
        const outcome = `${String(expectedLimit)}${first === undefined ? '/empty' : ''}${early === undefined ? '' : '/early'}`;
        seen[outcome] = (seen[outcome] ?? 0) + 1;
        if (first === undefined) return;

        // Reading from startSeq yields every frame from the first on, once each, in order, intact.
        const reader = buffer.openReader(selection.startSeq!);
        const readVideo: number[] = [];
        const readAudio: number[] = [];
        for (let e = reader.peek(); e !== undefined; reader.advance(), e = reader.peek()) {
          if (e.kind === 'video' && e.captureUs >= first.captureUs) readVideo.push(e.captureUs);
          if (e.kind === 'audio') readAudio.push(e.captureUs);
          const source = (e.kind === 'video' ? frames : audio).find((x) => x.captureUs === e.captureUs)!;
          expect(e.payload).toEqual(source.payload);
        }
        expect(readVideo).toEqual(frames.filter((f) => f.captureUs >= first.captureUs).map((f) => f.captureUs));
        // ...and every audio chunk that ends after the first frame is there.
        const covering = audio.filter((x) => x.captureUs + x.durationUs > first.captureUs).map((x) => x.captureUs);
        expect(readAudio.filter((t) => covering.includes(t))).toEqual(covering);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
    for (const outcome of ['null', 'boot', 'trim', 'gop', 'gop/empty', 'trim/empty', 'null/early']) expect(seen[outcome] ?? 0, `${outcome} reached`).toBeGreaterThan(0);
  }, Math.max(60_000, Number(process.env.FC_RUNS ?? 0) * 20));
});
