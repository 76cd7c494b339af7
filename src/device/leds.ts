/**
 * LED patterns as a pure function of the machine state (contract §5). A pattern is a colour and
 * on/off milliseconds, repeating; solid is `offMs: 0`, dark is `color: "off"` with 0/0.
 */
import type { LedColor, LedName } from '../events/index.js';
import type { MachineState } from './machine-types.js';

/** One LED's pattern. */
export interface LedPattern {
  readonly color: LedColor;
  readonly onMs: number;
  readonly offMs: number;
}

/** Both LEDs. */
export type LedPatterns = Readonly<Record<LedName, LedPattern>>;

/** Dark. */
export const LED_DARK: LedPattern = Object.freeze({ color: 'off', onMs: 0, offMs: 0 });
const solid = (color: LedColor): LedPattern => ({ color, onMs: 1000, offMs: 0 });
const blink = (color: LedColor, onMs: number, offMs: number): LedPattern => ({ color, onMs, offMs });

/** The documented patterns, by name (docs/device.md mirrors this table). */
export const LED_PATTERNS = Object.freeze({
  recordOn: solid('red'),
  standby: blink('green', 200, 1800),
  booting: solid('green'),
  recording: blink('red', 1000, 1000),
  stopping: blink('green', 100, 100),
  streaming: blink('blue', 500, 500),
  fault: blink('red', 100, 100),
  docked: solid('amber'),
  dockedFull: solid('green'),
});

/**
 * Record LED: red and solid exactly while the mode is `recording`, unless stealth is on (stealth
 * can only be on when `allowStealth` is true). Status LED, first rule that applies:
 * off → dark; stealth → dark; fault → fast red blink; docked → amber solid while charging, green
 * solid when full; streaming → blue blink; otherwise the mode's pattern, in amber when the
 * battery is low.
 */
export function ledPatterns(state: MachineState, batteryPercent: number): LedPatterns {
  const stealth = state.overlays.includes('stealth');
  const record = state.mode === 'recording' && !stealth ? LED_PATTERNS.recordOn : LED_DARK;
  return { record, status: statusPattern(state, batteryPercent, stealth) };
}

function statusPattern(state: MachineState, batteryPercent: number, stealth: boolean): LedPattern {
  if (state.mode === 'off' || stealth) return LED_DARK;
  if (state.mode === 'fault') return LED_PATTERNS.fault;
  if (state.mode === 'docked') return batteryPercent >= 100 ? LED_PATTERNS.dockedFull : LED_PATTERNS.docked;
  if (state.overlays.includes('streaming')) return LED_PATTERNS.streaming;
  const base = LED_PATTERNS[state.mode];
  return state.overlays.includes('lowBattery') ? { ...base, color: 'amber' } : base;
}

/** True when two patterns are the same. */
export function samePattern(a: LedPattern, b: LedPattern): boolean {
  return a.color === b.color && a.onMs === b.onMs && a.offMs === b.offMs;
}
