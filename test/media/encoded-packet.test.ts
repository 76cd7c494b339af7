import { describe, expect, it } from 'vitest';
import { EncodedPacket } from '../../src/media/index.js';

describe('EncodedPacket', () => {
  it('holds its data, type and timing, frozen', () => {
    const data = new Uint8Array([1, 2, 3]);
    const packet = new EncodedPacket(data, 'delta', 40_000, 33_333);
    expect(packet).toMatchObject({ data, type: 'delta', captureUs: 40_000, durationUs: 33_333, isKey: false, byteLength: 3 });
    expect(Object.isFrozen(packet)).toBe(true);
    expect(new EncodedPacket(data, 'key', 0, 0).isKey).toBe(true);
  });

  it('refuses what is not a packet, naming the field', () => {
    const data = new Uint8Array([1]);
    expect(() => new EncodedPacket(new Uint8Array(0), 'key', 0, 0)).toThrow(/data/);
    expect(() => new EncodedPacket(data, 'intra' as 'key', 0, 0)).toThrow(/type.*key or delta/);
    expect(() => new EncodedPacket(data, 'key', 1.5, 0)).toThrow(/captureUs/);
    expect(() => new EncodedPacket(data, 'key', -1, 0)).toThrow(/captureUs/);
    expect(() => new EncodedPacket(data, 'key', 0, Number.NaN)).toThrow(/durationUs/);
  });
});
