/**
 * Cuts the microphone's mono 16-bit PCM into the fixed-size chunks the buffer holds. Pure.
 * Chunk `j` covers samples [j*n, (j+1)*n) and exists once its last sample has been captured,
 * i.e. at the capture time of sample (j+1)*n.
 */
import { assertArgument } from '../errors/index.js';
import { sampleTimeUs } from '../time/index.js';

/** Mono PCM with its sample clock. */
export interface PcmTrack {
  readonly sampleRate: number;
  /** Capture time of sample 0. */
  readonly startUs: number;
  readonly samples: Int16Array;
}

/** One chunk, as the buffer takes it. */
export interface AudioChunk {
  readonly index: number;
  readonly firstSample: number;
  readonly sampleCount: number;
  readonly captureUs: number;
  readonly durationUs: number;
  /** When the chunk is complete: the capture time just after its last sample. */
  readonly readyUs: number;
  /** Little-endian s16 bytes (a view of the track, no copy). */
  readonly payload: Uint8Array;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Splits a track into chunks of `chunkMs` (the last one may be shorter). */
export class AudioChunker {
  readonly samplesPerChunk: number;
  readonly chunkCount: number;

  constructor(private readonly track: PcmTrack, chunkMs: number) {
    assertArgument(Number.isInteger(track.sampleRate) && track.sampleRate > 0, 'sampleRate', 'a positive integer', track.sampleRate);
    assertArgument(chunkMs > 0 && chunkMs <= 1000, 'chunkMs', 'a chunk length from 1 to 1000 ms', chunkMs);
    this.samplesPerChunk = Math.max(1, Math.round((track.sampleRate * chunkMs) / 1000));
    this.chunkCount = Math.ceil(track.samples.length / this.samplesPerChunk);
  }

  /** Chunk `index` (0-based). */
  chunk(index: number): AudioChunk {
    assertArgument(Number.isInteger(index) && index >= 0 && index < this.chunkCount, 'index', `a chunk index below ${this.chunkCount}`, index);
    const { sampleRate, startUs, samples } = this.track;
    const firstSample = index * this.samplesPerChunk;
    const sampleCount = Math.min(this.samplesPerChunk, samples.length - firstSample);
    const captureUs = sampleTimeUs(startUs, firstSample, sampleRate);
    const readyUs = sampleTimeUs(startUs, firstSample + sampleCount, sampleRate);
    return {
      index,
      firstSample,
      sampleCount,
      captureUs,
      durationUs: readyUs - captureUs,
      readyUs,
      payload: pcmBytes(samples.subarray(firstSample, firstSample + sampleCount)),
    };
  }
}

/** The s16le bytes of `samples`: a view on little-endian hosts, a swapped copy otherwise. */
export function pcmBytes(samples: Int16Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const out = new Uint8Array(samples.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i += 1) view.setInt16(i * 2, samples[i] ?? 0, true);
  return out;
}
