/**
 * The battery model, pure and exact in virtual time. Charge is kept in units where 1 % = 3.6e9
 * units, so a rate of R %/h drains R units per microsecond. The level changes linearly between
 * rate changes; the device schedules a timer at {@link nextBatteryCrossing}, the first whole
 * microsecond at or after the instant the level reaches the next whole percent, so every
 * `battery` event falls on an exact, reproducible µs.
 *
 * The reported percent is the whole percent last reached: while draining, a level in (p − 1, p]
 * shows p; while charging, a level in [p, p + 1) shows p. A level set by a scenario shows its ceiling.
 */
import type { BatteryProfile } from './profile.js';
import type { DeviceMode, Overlay } from './machine-types.js';

/** Charge units per percent: one %/h is one unit per µs. */
export const CHARGE_UNITS_PER_PERCENT = 3_600_000_000;
const FULL_UNITS = 100 * CHARGE_UNITS_PER_PERCENT;

/** The battery at its last rebase. */
export interface BatteryState {
  /** When `chargeUnits` was exact. */
  readonly anchorUs: number;
  readonly chargeUnits: number;
  /** Signed rate in %/h (negative drains, positive charges). */
  readonly percentPerHour: number;
  /** The whole percent the device shows. */
  readonly reportedPercent: number;
}

/** How the level stands against the warning threshold. */
export type BatteryBand = 'normal' | 'low' | 'empty';

/** A battery at `percent` (0..100) at `atUs`, not draining yet. */
export function batteryAt(percent: number, atUs: number): BatteryState {
  const clamped = Math.min(100, Math.max(0, percent));
  return { anchorUs: atUs, chargeUnits: clamped * CHARGE_UNITS_PER_PERCENT, percentPerHour: 0, reportedPercent: Math.ceil(clamped) };
}

/**
 * The signed rate for a mode: off 0; docked charges; recording and stopping (still writing) drain
 * at the recording rate, plus the streaming rate while streaming; booting, standby and fault at the
 * standby rate.
 */
export function batteryRate(mode: DeviceMode, overlays: readonly Overlay[], battery: BatteryProfile): number {
  switch (mode) {
    case 'off':
      return 0;
    case 'docked':
      return battery.chargingPercentPerHour;
    case 'recording':
    case 'stopping':
      return -(battery.recordingPercentPerHour + (overlays.includes('streaming') ? battery.streamingPercentPerHour : 0));
    case 'booting':
    case 'standby':
    case 'fault':
      return -battery.standbyPercentPerHour;
  }
}

/** The battery at `nowUs` under its old rate, continuing from there at `percentPerHour`. */
export function rebaseBattery(state: BatteryState, nowUs: number, percentPerHour: number): BatteryState {
  const elapsedUs = nowUs - state.anchorUs;
  const chargeUnits = Math.min(FULL_UNITS, Math.max(0, state.chargeUnits + state.percentPerHour * elapsedUs));
  const level = chargeUnits / CHARGE_UNITS_PER_PERCENT;
  let reportedPercent = state.reportedPercent;
  if (state.percentPerHour < 0) reportedPercent = Math.min(reportedPercent, Math.ceil(level));
  if (state.percentPerHour > 0) reportedPercent = Math.max(reportedPercent, Math.floor(level));
  return { anchorUs: nowUs, chargeUnits, percentPerHour, reportedPercent };
}

/** The next whole percent the level reaches and when (µs), or null when it will not move. */
export function nextBatteryCrossing(state: BatteryState): { readonly atUs: number; readonly percent: number } | null {
  const level = state.chargeUnits / CHARGE_UNITS_PER_PERCENT;
  if (state.percentPerHour < 0 && state.chargeUnits > 0) {
    const percent = Math.ceil(level) - 1;
    const unitsToGo = state.chargeUnits - percent * CHARGE_UNITS_PER_PERCENT;
    return { atUs: state.anchorUs + Math.ceil(unitsToGo / -state.percentPerHour), percent };
  }
  if (state.percentPerHour > 0 && state.chargeUnits < FULL_UNITS) {
    const percent = Math.floor(level) + 1;
    const unitsToGo = percent * CHARGE_UNITS_PER_PERCENT - state.chargeUnits;
    return { atUs: state.anchorUs + Math.ceil(unitsToGo / state.percentPerHour), percent };
  }
  return null;
}

/** The battery as it stands at a crossing: exactly at `percent`, anchored at `atUs`. */
export function batteryCrossed(state: BatteryState, atUs: number, percent: number): BatteryState {
  return { anchorUs: atUs, chargeUnits: percent * CHARGE_UNITS_PER_PERCENT, percentPerHour: state.percentPerHour, reportedPercent: percent };
}

/** The band of a reported percent: empty at 0, low at or below `lowPercent`. */
export function batteryBand(reportedPercent: number, lowPercent: number): BatteryBand {
  if (reportedPercent <= 0) return 'empty';
  return reportedPercent <= lowPercent ? 'low' : 'normal';
}
