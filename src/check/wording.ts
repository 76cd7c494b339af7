/**
 * How assertions and measured values read in messages: times as `12.345678 s` (or µs where the
 * scenario wrote µs), signed differences, LED patterns.
 */
import { formatUs } from '../time/index.js';
import type { LedLook } from './expectation-types.js';
import type { LedState } from './run-outcome.js';

/** A time in the unit the scenario used. */
export function formatTime(us: number, unit: 'seconds' | 'us'): string {
  return unit === 'us' ? `${us} µs` : formatUs(us);
}

/** A signed difference: `+0.000008 s` or `-12 µs`. */
export function formatDelta(us: number, unit: 'seconds' | 'us' = 'seconds'): string {
  const sign = us < 0 ? '-' : '+';
  return `${sign}${formatTime(Math.abs(us), unit)}`;
}

/** `30.000000 s ± 0.034000 s`, or just the time when the tolerance is 0. */
export function formatWithTolerance(us: number, toleranceUs: number, unit: 'seconds' | 'us'): string {
  return toleranceUs === 0 ? `${formatTime(us, unit)} exactly` : `${formatTime(us, unit)} ± ${formatTime(toleranceUs, unit)}`;
}

/** An LED look: `red`, `red (solid)`, `green (blinking)`. */
export function formatLook(look: LedLook): string {
  return look.solid === null ? look.color : `${look.color} (${look.solid ? 'solid' : 'blinking'})`;
}

/** A logged LED pattern: `off`, `red (solid)`, `green (blinking 200/1800 ms)`. */
export function formatLedState(state: LedState | null): string {
  if (state === null) return 'not set yet';
  if (state.color === 'off') return 'off';
  return state.offMs === 0 ? `${state.color} (solid)` : `${state.color} (blinking ${state.onMs}/${state.offMs} ms)`;
}

/** True when a logged pattern shows the look. */
export function showsLook(state: LedState | null, look: LedLook): boolean {
  if (state === null || state.color !== look.color) return false;
  return look.solid === null || look.solid === (state.offMs === 0);
}

/** `1 recording`, `2 recordings`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
