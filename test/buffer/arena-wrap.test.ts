/**
 * Wrap-around: a payload never straddles the end of the arena. It goes at the write offset when it
 * fits before the end, else at 0 (the tail is skipped), whatever the offset and size; and no held
 * payload is ever split, overlapped or corrupted, however the sizes fall.
 */
import { describe, expect, it } from 'vitest';
import { PreRecordBuffer } from '../../src/buffer/index.js';
import { stampedPayload } from './scenario-driver.js';

const ARENA_BYTES = 64;

function frame(captureUs: number, size: number) {
  return { kind: 'video' as const, captureUs, durationUs: 0, keyframe: true, payload: stampedPayload(size, captureUs), sampleCount: 0 };
}

/** Every held payload lies inside the arena, overlaps no other, and holds the bytes it was pushed with. */
function expectIntact(buffer: PreRecordBuffer): void {
  const spans: [number, number][] = [];
  for (let seq = buffer.oldestSeq; seq < buffer.nextSeq; seq += 1) {
    const entry = buffer.entry(seq)!;
    const start = entry.payload.byteOffset;
    const end = start + entry.payload.length;
    if (end > ARENA_BYTES) throw new Error(`seq ${seq} runs past the arena: [${start}, ${end})`);
    if (!samePayload(entry.payload, entry.captureUs)) throw new Error(`seq ${seq} payload corrupted`);
    for (const [otherStart, otherEnd] of spans) {
      if (start < otherEnd && end > otherStart) throw new Error(`seq ${seq} overlaps [${otherStart}, ${otherEnd})`);
    }
    spans.push([start, end]);
  }
}

/** Whether `payload` holds the stamp of the entry captured at `captureUs`. */
function samePayload(payload: Uint8Array, captureUs: number): boolean {
  const expected = stampedPayload(payload.length, captureUs);
  return payload.every((byte, i) => byte === expected[i]);
}

describe('arena wrap-around', () => {
  it('places every size at every write offset: there if it fits before the end, else at 0', () => {
    let wrapped = 0;
    for (let offset = 0; offset < ARENA_BYTES; offset += 1) {
      for (let size = 1; size <= ARENA_BYTES; size += 1) {
        const buffer = new PreRecordBuffer({ bufferBytes: ARENA_BYTES, preRecordUs: 1e9, slotCount: 8 });
        if (offset > 0) buffer.push(frame(1, offset), 1);
        const result = buffer.push(frame(2, size), 2);
        const fits = offset + size <= ARENA_BYTES;
        expect(result).toEqual({ ok: true, seq: offset > 0 ? 1 : 0, evicted: fits || offset === 0 ? 0 : 1 });
        const entry = buffer.entry(result.ok ? result.seq : -1)!;
        expect(entry.payload.byteOffset).toBe(fits ? offset : 0);
        if (!fits) wrapped += 1;
        expectIntact(buffer);
        // the write head follows it: the next small entry goes right after it (or wraps again)
        const next = buffer.push(frame(3, 1), 3);
        expect(buffer.entry(next.ok ? next.seq : -1)!.payload.byteOffset).toBe((fits ? offset : 0) + size < ARENA_BYTES ? (fits ? offset : 0) + size : 0);
        expectIntact(buffer);
      }
    }
    expect(wrapped).toBe((ARENA_BYTES * (ARENA_BYTES - 1)) / 2);
  });

  it('keeps every payload whole over long runs started at every offset, read back through a reader', () => {
    for (let offset = 0; offset < ARENA_BYTES; offset += 1) {
      const buffer = new PreRecordBuffer({ bufferBytes: ARENA_BYTES, preRecordUs: 1e9, slotCount: 16 });
      if (offset > 0) buffer.push(frame(1, offset), 1);
      const reader = buffer.openReader(buffer.nextSeq);
      let expectedCaptureUs = 2;
      for (let i = 0; i < 300; i += 1) {
        const captureUs = i + 2;
        const size = 1 + ((i * 37 + offset * 11) % 29);
        if (!buffer.push(frame(captureUs, size), captureUs).ok) throw new Error(`push ${i} failed`);
        expectIntact(buffer);
        // a reader consumes everything as it arrives, so nothing stays pinned for long
        for (let entry = reader.peek(); entry !== undefined; entry = reader.peek()) {
          if (entry.captureUs !== expectedCaptureUs++ || !samePayload(entry.payload, entry.captureUs)) {
            throw new Error(`reader got capture ${entry.captureUs}, expected ${expectedCaptureUs - 1}, or a corrupted payload`);
          }
          reader.advance();
        }
      }
      expect(expectedCaptureUs).toBe(302);
      expect(buffer.stats().drops).toBe(0);
    }
  });
});
