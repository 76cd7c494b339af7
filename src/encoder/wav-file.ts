/**
 * Writes mono 16-bit PCM as a WAV file with node-wav. node-wav takes floats and converts with
 * `v < 0 ? v * 32768 : v * 32767`, truncated; the mapping below makes that exact for every sample.
 */
import { writeFileSync } from 'node:fs';
import wav from 'node-wav';

/** The float node-wav turns back into exactly `sample`. */
export function sampleToWavFloat(sample: number): number {
  return sample < 0 ? sample / 32768 : (sample + 0.5) / 32767;
}

/** Encodes mono samples as a 16-bit PCM WAV. */
export function encodeWavMono16(samples: Int16Array, sampleRate: number): Uint8Array {
  const floats = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) floats[i] = sampleToWavFloat(samples[i] ?? 0);
  const bytes = wav.encode([floats], { sampleRate, float: false, bitDepth: 16 });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes `samples` to `path` as a mono 16-bit WAV. */
export function writeWavMono16(path: string, samples: Int16Array, sampleRate: number): void {
  writeFileSync(path, encodeWavMono16(samples, sampleRate));
}
