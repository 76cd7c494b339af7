/**
 * The pure span of a recording (src/recorder/recording-span.ts), without files: which entries it
 * holds, the audio slice of each chunk, and the drift of what it wrote.
 */
import { describe, expect, it } from 'vitest';
import type { BufferEntry } from '../../src/buffer/index.js';
import { RecordingSpan } from '../../src/recorder/recording-span.js';

const video = (seq: number, captureUs: number, keyframe = true): BufferEntry => ({
  seq, kind: 'video', captureUs, durationUs: 100_000, keyframe, sampleCount: 0, pushedUs: captureUs, payload: new Uint8Array([seq]),
});
/** 1000 samples at 10 kHz (100 ms) from `captureUs`, sample i holding the value (i mod 256). */
const audio = (seq: number, captureUs: number): BufferEntry => ({
  seq, kind: 'audio', captureUs, durationUs: 100_000, keyframe: true, sampleCount: 1000, pushedUs: captureUs + 100_000,
  payload: new Uint8Array(2000).map((_, i) => (i % 2 === 0 ? (i / 2) % 256 : 0)),
});
const AUDIO = { sampleRate: 10_000, startUs: 0, totalSamples: 100_000 };

/** Runs `entries` through the span the way the drain does: skipped ones cost nothing, the rest are taken. */
function drain(span: RecordingSpan, entries: readonly BufferEntry[]) {
  return entries.flatMap((entry) => (span.skips(entry) ? [] : [span.take(entry)]));
}

describe('RecordingSpan', () => {
  it('holds video from the pre-roll\'s first frame and from a key frame, up to the fence', () => {
    const span = new RecordingSpan({ originUs: 200_000, firstFrameSeq: 2, audio: null, audioFromUs: 200_000 });
    const entries = [video(0, 0), video(1, 100_000), video(2, 200_000, false), video(3, 300_000), video(4, 400_000, false), video(5, 500_000)];
    span.stopAt(500_000, 5);
    const writes = drain(span, entries);
    expect(writes).toEqual([
      { kind: 'video', timestampUs: 100_000, data: new Uint8Array([3]), type: 'key' },
      { kind: 'video', timestampUs: 200_000, data: new Uint8Array([4]), type: 'delta' },
    ]);
    expect([span.frames, span.firstFrameUs, span.lastFrameUs]).toEqual([2, 300_000, 400_000]);
  });

  it('cuts audio to the sample: from the first sample at or after audioFromUs to the stop, each sample once', () => {
    const span = new RecordingSpan({ originUs: 150_000, firstFrameSeq: 0, audio: AUDIO, audioFromUs: 150_050 });
    expect(span.audioFirstSample).toBe(1501); // 150 050 µs at 10 kHz: sample 1500.5, so the next one
    span.stopAt(320_000, 10);
    expect(span.audioCoveredBy(3000)).toBe(false);
    expect(span.chunkReachesStop(300_000, 1000)).toBe(true);
    const writes = drain(span, [audio(0, 0), audio(1, 100_000), audio(2, 200_000), audio(3, 300_000), audio(4, 400_000)]);
    expect(writes.map((w) => (w?.kind === 'audio' ? [w.timestampUs, w.pcm.byteLength / 2] : null))).toEqual([
      [100, 499], // samples 1501..1999: sample 1501 is at 150 100 µs, origin 150 000
      [50_000, 1000],
      [150_000, 200], // to sample 3200, the stop
    ]);
    expect(span.audioWritten).toBe(3200 - 1501);
    expect(span.maxDriftUs).toBe(0);
    const first = writes[0];
    expect(first?.kind === 'audio' ? first.pcm[0] : -1).toBe(1501 % 1000 % 256); // the slice starts at sample 1501 of the chunk
  });

  it('writes no audio without an audio track', () => {
    const span = new RecordingSpan({ originUs: 0, firstFrameSeq: 0, audio: null, audioFromUs: 0 });
    expect(span.skips(audio(0, 0))).toBe(true);
    expect(span.audioCoveredBy(0)).toBe(true);
  });
});
