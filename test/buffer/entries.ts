/** Small builders for buffer entries in tests. */
import type { BufferEntryInput } from '../../src/buffer/index.js';
import { stampedPayload } from './scenario-driver.js';

/** A video frame whose payload is stamped with its capture time. */
export function videoFrame(captureUs: number, options: { size?: number; keyframe?: boolean } = {}): BufferEntryInput {
  return {
    kind: 'video', captureUs, durationUs: 33_333, keyframe: options.keyframe ?? true,
    payload: stampedPayload(options.size ?? 10, captureUs), sampleCount: 0,
  };
}

/** An audio chunk covering `[captureUs, captureUs + durationUs)`. */
export function audioChunk(captureUs: number, durationUs: number, size = 8): BufferEntryInput {
  return { kind: 'audio', captureUs, durationUs, keyframe: true, payload: stampedPayload(size, captureUs + 1), sampleCount: Math.round(durationUs / 125) };
}
