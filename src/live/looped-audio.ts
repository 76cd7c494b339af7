/**
 * The microphone of a looped fixture: the fixture's track placed on a sample clock that starts at
 * fixture time 0 and never ends, repeating every loop (silence where the fixture has no audio).
 * It is cut into the buffer's chunks like {@link AudioChunker}; a chunk may straddle a loop's end. Pure.
 */
import { type PcmTrack, pcmBytes } from '../encoder/index.js';
import { assertArgument } from '../errors/index.js';
import type { RecordingAudioSource } from '../recorder/index.js';
import { firstSampleAtOrAfter, sampleTimeUs } from '../time/index.js';

/** One chunk of the endless track, as the buffer takes it. */
export interface LoopedAudioChunk {
  readonly index: number;
  readonly captureUs: number;
  readonly durationUs: number;
  /** When the chunk is complete (its last sample captured). */
  readonly readyUs: number;
  readonly sampleCount: number;
  /** Little-endian s16 bytes. */
  readonly payload: Uint8Array;
}

/** An endless, looping audio track; see the module comment. */
export class LoopedAudio {
  readonly sampleRate: number;
  readonly loopSamples: number;
  readonly samplesPerChunk: number;
  /** Chunks in the track: it never ends. */
  readonly chunkCount = Number.POSITIVE_INFINITY;
  private readonly loopTrack: Int16Array;

  /** @param loopUs the loop length; must hold a whole number of samples (see `loopLengthUs`) */
  constructor(track: PcmTrack, loopUs: number, chunkMs: number) {
    const rate = track.sampleRate;
    assertArgument(Number.isSafeInteger(rate) && rate > 0, 'sampleRate', 'a positive integer', rate);
    assertArgument(chunkMs > 0 && chunkMs <= 1000, 'chunkMs', 'a chunk length from 1 to 1000 ms', chunkMs);
    const loopSamples = (loopUs * rate) / 1_000_000;
    assertArgument(Number.isSafeInteger(loopSamples) && loopSamples > 0, 'loopUs', `a loop holding a whole number of samples at ${rate} Hz`, loopUs);
    this.sampleRate = rate;
    this.loopSamples = loopSamples;
    this.samplesPerChunk = Math.max(1, Math.round((rate * chunkMs) / 1000));
    this.loopTrack = new Int16Array(loopSamples);
    const offset = Math.round((track.startUs * rate) / 1_000_000);
    if (offset < loopSamples) this.loopTrack.set(track.samples.subarray(0, loopSamples - offset), offset);
  }

  /** The sample clock recordings use: sample 0 at fixture time 0, no end. */
  get recordingSource(): RecordingAudioSource {
    return { sampleRate: this.sampleRate, startUs: 0, totalSamples: Number.MAX_SAFE_INTEGER };
  }

  /** When every sample captured before `timeUs` is in a complete chunk: the ready time of the chunk holding the last of them. */
  coveredUs(timeUs: number): number {
    const endSample = firstSampleAtOrAfter(0, timeUs, this.sampleRate);
    if (endSample === 0) return 0;
    return sampleTimeUs(0, (Math.floor((endSample - 1) / this.samplesPerChunk) + 1) * this.samplesPerChunk, this.sampleRate);
  }

  /** Chunk `index` of the endless track. */
  chunk(index: number): LoopedAudioChunk {
    assertArgument(Number.isSafeInteger(index) && index >= 0, 'index', 'a non-negative integer', index);
    const count = this.samplesPerChunk;
    const first = index * count;
    const samples = new Int16Array(count);
    for (let done = 0; done < count;) {
      const at = (first + done) % this.loopSamples;
      const take = Math.min(count - done, this.loopSamples - at);
      samples.set(this.loopTrack.subarray(at, at + take), done);
      done += take;
    }
    const captureUs = sampleTimeUs(0, first, this.sampleRate);
    const readyUs = sampleTimeUs(0, first + count, this.sampleRate);
    return { index, captureUs, durationUs: readyUs - captureUs, readyUs, sampleCount: count, payload: pcmBytes(samples) };
  }
}
