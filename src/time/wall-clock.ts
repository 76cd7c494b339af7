/**
 * The device's wall clock. It is fixed by the scenario's `clock.start` (never the host clock) and
 * keeps that timestamp's UTC offset, so file names and the burn-in show the officer's local time.
 */
import { BodycamError, type ErrorLocation } from '../errors/index.js';

/** A wall-clock origin: the device's clock at fixture time 0. */
export interface WallClockOrigin {
  /** Milliseconds since the Unix epoch at t = 0. */
  readonly epochMs: number;
  /** The UTC offset to display, in minutes east of UTC. */
  readonly offsetMinutes: number;
}

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** The contract's default clock start, `2026-01-01T00:00:00Z`. */
export const DEFAULT_CLOCK_START = '2026-01-01T00:00:00Z';

/**
 * Parses an ISO-8601 timestamp with an explicit offset (`Z` or `+01:00`).
 * @throws BodycamError `bad-input` naming `location` when the text is not such a timestamp
 */
export function parseWallClock(text: string, location: ErrorLocation = {}): WallClockOrigin {
  const match = ISO_PATTERN.exec(text);
  const expected = 'an ISO-8601 date-time with an offset, like "2026-11-22T14:00:00+01:00"';
  if (match === null) throw BodycamError.badInput(location, expected, JSON.stringify(text));
  const [, y, mo, d, h, mi, s, frac, zone] = match as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const fractionMs = frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000);
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fractionMs);
  const check = new Date(localMs);
  if (
    check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) ||
    Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Math.abs(offsetMinutes) > 14 * 60
  ) {
    throw BodycamError.badInput(location, expected, JSON.stringify(text));
  }
  return { epochMs: localMs - offsetMinutes * 60_000, offsetMinutes };
}

/** The last year a wall-clock time may fall in: ISO-8601's four-digit years, which every date field here is. */
export const MAX_WALL_CLOCK_YEAR = 9999;

/**
 * Refuses (bad input) a clock whose times up to fixture time `endUs` would pass year 9999: such a
 * time has no four-digit ISO form, so the manifest's `wallClock.end` would be unreadable and one
 * such recording would break every listing and purge of the store it lands in.
 */
export function assertWallClockInRange(origin: WallClockOrigin, endUs: number, location: ErrorLocation = {}): void {
  const year = wallClockFields(origin, endUs).year;
  if (year > MAX_WALL_CLOCK_YEAR) {
    throw BodycamError.badInput(location, `a clock whose times stay within year ${MAX_WALL_CLOCK_YEAR}`, `a recording that would end in year ${year}`);
  }
}

/** Local calendar fields of the wall clock at fixture time `tUs`. */
export interface WallClockFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly offsetMinutes: number;
}

/** Wall-clock fields at fixture time `tUs` (floored to the millisecond). */
export function wallClockFields(origin: WallClockOrigin, tUs: number): WallClockFields {
  const local = new Date(origin.epochMs + Math.floor(tUs / 1000) + origin.offsetMinutes * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    offsetMinutes: origin.offsetMinutes,
  };
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function formatOffset(offsetMinutes: number, separator: string): string {
  if (offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

/** ISO-8601 with milliseconds and the origin's offset: `2026-11-22T14:00:45.050+01:00`. */
export function formatWallClockIso(origin: WallClockOrigin, tUs: number): string {
  const f = wallClockFields(origin, tUs);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}.${pad(f.millisecond, 3)}${formatOffset(f.offsetMinutes, ':')}`;
}

/**
 * The burn-in's clock text, to the second, in ISO 8601 with the device's UTC offset (`Z` for UTC):
 * `2026-11-22T14:00:45+01:00`. A local time without its offset can be misread by an hour (or a
 * day) once footage leaves its time zone or crosses a DST change; Axon burns UTC with a Z, and
 * CAST asks for a date and time stamp that cannot be misread.
 */
export function formatBurnInClock(origin: WallClockOrigin, tUs: number): string {
  const f = wallClockFields(origin, tUs);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${formatOffset(f.offsetMinutes, ':')}`;
}

/** A compact stamp for file names and recording ids: `20261122T140045+0100`. */
export function formatFileStamp(origin: WallClockOrigin, tUs: number): string {
  const f = wallClockFields(origin, tUs);
  return `${f.year}${pad(f.month)}${pad(f.day)}T${pad(f.hour)}${pad(f.minute)}${pad(f.second)}${formatOffset(f.offsetMinutes, '')}`;
}

/** The wall-clock second (local) that fixture time `tUs` falls in; changes exactly when the burn-in text does. */
export function wallClockSecond(origin: WallClockOrigin, tUs: number): number {
  return Math.floor((origin.epochMs + Math.floor(tUs / 1000)) / 1000);
}
