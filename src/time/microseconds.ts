/**
 * Time in bodycam-sim is an integer number of microseconds (contract §1). These helpers are the
 * only places where seconds or frame indices turn into microseconds, so rounding happens once.
 */
import { assertArgument } from '../errors/index.js';

/** One second in microseconds. */
export const US_PER_SECOND = 1_000_000;
/** One millisecond in microseconds. */
export const US_PER_MS = 1_000;

/** True for a safe, non-negative integer microsecond value. */
export function isMicroseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Throws a usage error unless `value` is a non-negative safe integer. */
export function assertMicroseconds(value: number, name: string): void {
  assertArgument(isMicroseconds(value), name, 'a non-negative integer number of microseconds', value);
}

/**
 * Scenario seconds (ms precision, contract §1) to microseconds: rounded to the millisecond first,
 * so that `40.05` is exactly 40 050 000 µs and not 40 049 999.
 */
export function secondsToUs(seconds: number): number {
  return Math.round(seconds * 1000) * US_PER_MS;
}

/**
 * Configuration seconds (a profile's pre-record time, an expectation's tolerance) to microseconds,
 * rounded to the µs: unlike scenario times they are not on the millisecond grid.
 */
export function exactSecondsToUs(seconds: number): number {
  return Math.round(seconds * US_PER_SECOND);
}

/** Index of the sample nearest to `timeUs` (a chunk's first sample from its capture time). */
export function nearestSampleIndex(startUs: number, timeUs: number, sampleRate: number): number {
  return Math.round(((timeUs - startUs) * sampleRate) / US_PER_SECOND);
}

/** How long `samples` samples at `sampleRate` last, rounded to the µs. */
export function samplesDurationUs(samples: number, sampleRate: number): number {
  return Math.round((samples * US_PER_SECOND) / sampleRate);
}

/** Microseconds to (fractional) seconds, for display only. */
export function usToSeconds(us: number): number {
  return us / US_PER_SECOND;
}

/** Milliseconds to microseconds. */
export function msToUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** Nominal capture time of frame `index` at `fps` when a fixture has no timestamps file (contract §2). */
export function nominalFrameUs(index: number, fps: number): number {
  return Math.round((index * US_PER_SECOND) / fps);
}

/** Capture time of audio sample `sampleIndex` when the first sample is at `startUs`. */
export function sampleTimeUs(startUs: number, sampleIndex: number, sampleRate: number): number {
  return startUs + Math.round((sampleIndex * US_PER_SECOND) / sampleRate);
}

/** Index of the first sample captured at or after `timeUs` (clamped at 0). */
export function firstSampleAtOrAfter(startUs: number, timeUs: number, sampleRate: number): number {
  if (timeUs <= startUs) return 0;
  // ceil((t - start) * rate / 1e6) in exact integer arithmetic where possible
  const index = Math.ceil(((timeUs - startUs) * sampleRate) / US_PER_SECOND);
  // guard against float rounding: step back while the previous sample is still >= timeUs
  let i = index;
  while (i > 0 && sampleTimeUs(startUs, i - 1, sampleRate) >= timeUs) i -= 1;
  while (sampleTimeUs(startUs, i, sampleRate) < timeUs) i += 1;
  return i;
}

/** `12.345678 s` style rendering of a microsecond value, for logs and summaries. */
export function formatUs(us: number): string {
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  const seconds = Math.floor(abs / US_PER_SECOND);
  const fraction = String(abs % US_PER_SECOND).padStart(6, '0');
  return `${sign}${seconds}.${fraction} s`;
}
