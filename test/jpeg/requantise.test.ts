/**
 * Requantising is exact: the double-precision shortcut the transcode's loop uses equals
 * round(c · qOld / qNew), rounded half away from zero, computed in integers, for every pair of
 * 8-bit quantisation steps and every magnitude a baseline coefficient can have.
 */
import { describe, expect, it } from 'vitest';
import { requantised } from '../../src/jpeg/index.js';

/** The reference: floor((2·|c|·qOld + qNew) / (2·qNew)) in integers, with the sign of c. */
function reference(value: number, qOld: number, qNew: number): number {
  const magnitude = Math.trunc((2 * Math.abs(value) * qOld + qNew) / (2 * qNew));
  return value < 0 && magnitude > 0 ? -magnitude : magnitude;
}

describe('requantised', () => {
  it('equals the integer formula for every step pair 1..255 and every magnitude 0..2047 (a negative value is its magnitude\'s, negated)', () => {
    let mismatches = 0;
    let first = '';
    for (let qOld = 1; qOld <= 255; qOld += 1) {
      for (let qNew = 1; qNew <= 255; qNew += 1) {
        const ratio = qOld / qNew;
        for (let magnitude = 0; magnitude <= 2047; magnitude += 1) {
          // Integers: (2·m·qOld + qNew) is below 2^21, so the division and truncation are exact.
          const expected = Math.floor((2 * magnitude * qOld + qNew) / (2 * qNew));
          if (requantised(magnitude, ratio) !== expected) {
            mismatches += 1;
            first ||= `${magnitude} · ${qOld}/${qNew}`;
          }
        }
      }
    }
    expect(first).toBe('');
    expect(mismatches).toBe(0);
    for (const [value, qOld, qNew] of [[-3, 1, 2], [-2047, 255, 1], [-1023, 7, 13], [-17, 100, 34]] as const) {
      expect(requantised(value, qOld / qNew)).toBe(reference(value, qOld, qNew));
    }
  });

  it('rounds halves away from zero', () => {
    // 3 · 1/2 = 1.5 → 2; -1.5 → -2; 5 · 3/6 = 2.5 → 3; 1 · 1/3 → 0.
    expect([requantised(3, 1 / 2), requantised(-3, 1 / 2), requantised(5, 3 / 6), requantised(1, 1 / 3)]).toEqual([2, -2, 3, 0]);
    expect([reference(3, 1, 2), reference(-3, 1, 2), reference(5, 3, 6), reference(1, 1, 3)]).toEqual([2, -2, 3, 0]);
  });
});
