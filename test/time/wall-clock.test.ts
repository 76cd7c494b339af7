import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { formatBurnInClock, formatFileStamp, formatWallClockIso, parseWallClock, wallClockSecond } from '../../src/time/index.js';

describe('wall clock', () => {
  const origin = parseWallClock('2026-11-22T14:00:00+01:00');

  it('keeps the scenario offset for display', () => {
    expect(formatWallClockIso(origin, 45_050_000)).toBe('2026-11-22T14:00:45.050+01:00');
    expect(formatBurnInClock(origin, 45_999_999)).toBe('2026-11-22T14:00:45+01:00');
    expect(formatFileStamp(origin, 45_000_000)).toBe('20261122T140045+0100');
  });

  it('is UTC when the start says Z', () => {
    const utc = parseWallClock('2026-01-01T00:00:00Z');
    expect(formatWallClockIso(utc, 3_600_000_000)).toBe('2026-01-01T01:00:00.000Z');
    expect(formatFileStamp(utc, 0)).toBe('20260101T000000Z');
    expect(formatBurnInClock(utc, 3_600_000_000)).toBe('2026-01-01T01:00:00Z');
  });

  it('rolls over days with the offset applied', () => {
    const late = parseWallClock('2026-12-31T23:59:59-05:00');
    expect(formatBurnInClock(late, 2_000_000)).toBe('2027-01-01T00:00:01-05:00');
  });

  it('changes the burn-in second exactly on the second', () => {
    expect(wallClockSecond(origin, 999_999)).toBe(wallClockSecond(origin, 0));
    expect(wallClockSecond(origin, 1_000_000)).toBe(wallClockSecond(origin, 0) + 1);
  });

  it.each(['2026-11-22 14:00:00', '2026-11-22T14:00:00', '2026-02-30T10:00:00Z', '2026-11-22T24:00:00Z', 'yesterday'])(
    'rejects %s with a bad-input error naming the place',
    (text) => {
      const attempt = () => parseWallClock(text, { file: 's.json', place: 'clock.start' });
      expect(attempt).toThrow(BodycamError);
      expect(attempt).toThrow(/^s\.json: clock\.start: expected an ISO-8601 date-time with an offset/);
    },
  );
});
