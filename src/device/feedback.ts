/**
 * Audible and haptic feedback to the officer: each cue is a list of beep/vibration bursts.
 * Stealth silences beeps (the person filmed must not hear them) but keeps vibrations.
 */
import type { DeviceEventMap } from '../events/index.js';
import type { FeedbackCue } from './machine-types.js';

/** One burst, as events.jsonl logs it. */
export type FeedbackBurst = DeviceEventMap['feedback'];

/** Repeat interval of the low-battery warning while the device is on and not docked. */
export const LOW_BATTERY_REPEAT_SECONDS = 20;

/** The bursts of each cue (docs/device.md mirrors this table). */
export const FEEDBACK_PATTERNS: Readonly<Record<FeedbackCue, readonly FeedbackBurst[]>> = Object.freeze({
  'recording-start': [{ kind: 'beep', count: 2, why: 'recording-start' }, { kind: 'vibrate', count: 2, why: 'recording-start' }],
  'recording-stop': [{ kind: 'long-beep', count: 1, why: 'recording-stop' }],
  'recording-reminder': [{ kind: 'beep', count: 1, why: 'recording-reminder' }, { kind: 'vibrate', count: 1, why: 'recording-reminder' }],
  marker: [{ kind: 'beep', count: 1, why: 'marker' }],
  'battery-low': [{ kind: 'beep', count: 4, why: 'battery-low' }],
  'storage-full': [{ kind: 'beep', count: 3, why: 'storage-full' }],
  fault: [{ kind: 'long-beep', count: 1, why: 'fault' }, { kind: 'vibrate', count: 3, why: 'fault' }],
  'power-on': [{ kind: 'vibrate', count: 1, why: 'power-on' }],
  ready: [{ kind: 'vibrate', count: 1, why: 'ready' }],
  'power-off': [{ kind: 'vibrate', count: 1, why: 'power-off' }],
  toggle: [{ kind: 'vibrate', count: 1, why: 'toggle' }],
});

/** The bursts a cue produces, with beeps dropped in stealth. */
export function feedbackBursts(cue: FeedbackCue, stealth: boolean): readonly FeedbackBurst[] {
  const bursts = FEEDBACK_PATTERNS[cue];
  return stealth ? bursts.filter((burst) => burst.kind === 'vibrate') : bursts;
}
