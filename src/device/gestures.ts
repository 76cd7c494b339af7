/**
 * Gestures from raw button presses (contract §4), pure: every call gets the time, and the caller
 * schedules a wake-up at {@link nextGestureDeadlineUs}. Timing rules:
 *
 * - A press is *accepted* once it has been held `debounceUs`; one released earlier is `bounce`.
 *   Held exactly `debounceUs` is accepted: deadlines due at an instant are processed before a
 *   release at that same instant.
 * - A record press's role is fixed when it goes down: down while recording, it is a stop/marker
 *   press; otherwise a start press. So the press that started a recording can never stop it.
 * - Start press (`startGesture: "press"`): `record-press` at `down + debounceUs`.
 *   (`"double-press"`): the first accepted press is `record-press` (logged, starts nothing);
 *   `record-double-press` at `second down + debounceUs` when `second down − first down ≤ windowUs`.
 * - Stop/marker press: `record-hold` at `down + stopHoldUs` while still held; released before
 *   that, a `marker` at the release instant (the first instant it is known not to be a stop).
 * - Power: `power-hold` at `down + powerHoldUs` while held; a shorter press does nothing.
 * - Mute: `mute-toggle` at release; held `stealthHoldUs`, `stealth-hold` instead (at the deadline).
 * - Stream: `stream-press` at `down + debounceUs`.
 */
import { BUTTONS, type ButtonName, type DeviceEventMap } from '../events/index.js';
import { msToUs, secondsToUs } from '../time/index.js';
import type { DeviceProfile } from './profile.js';

/** The gesture names of events.jsonl. */
export type GestureName = DeviceEventMap['gesture']['gesture'];

/** Gesture timing in microseconds. */
export interface GestureTiming {
  readonly debounceUs: number;
  readonly stopHoldUs: number;
  readonly powerHoldUs: number;
  /** Mute held this long asks for stealth (same as `stopHoldSeconds`: one "long hold" for the officer). */
  readonly stealthHoldUs: number;
  readonly doublePressWindowUs: number;
  readonly startGesture: 'press' | 'double-press';
}

/** Gesture timing from a profile. */
export function gestureTiming(profile: DeviceProfile): GestureTiming {
  return {
    debounceUs: msToUs(profile.debounceMs),
    stopHoldUs: secondsToUs(profile.stopHoldSeconds),
    powerHoldUs: secondsToUs(profile.powerHoldSeconds),
    stealthHoldUs: secondsToUs(profile.stopHoldSeconds),
    doublePressWindowUs: msToUs(profile.doublePressWindowMs),
    startGesture: profile.startGesture,
  };
}

/** What a record press does, fixed at its down instant. */
export type RecordPressRole = 'start' | 'stop-or-marker';

/** A button that is down. */
export interface HeldButton {
  readonly downUs: number;
  readonly role: RecordPressRole;
  /** Held at least `debounceUs`. */
  readonly accepted: boolean;
  /** Its long-hold gesture has fired. */
  readonly longHeld: boolean;
}

/** The recognizer's state: an immutable value. */
export interface GestureState {
  readonly held: Readonly<Partial<Record<ButtonName, HeldButton>>>;
  /** Down time of the last accepted start press not yet paired (double-press). */
  readonly lastStartPressUs: number | null;
}

/** A recognised gesture; `atUs` is when it was recognised. */
export interface RecognisedGesture {
  readonly gesture: GestureName;
  readonly button: ButtonName;
  readonly downUs: number;
  readonly atUs: number;
}

/** The result of one recognizer call. */
export interface GestureStep {
  readonly state: GestureState;
  readonly gestures: readonly RecognisedGesture[];
}

/** No button down, nothing pending. */
export const INITIAL_GESTURE_STATE: GestureState = Object.freeze({ held: Object.freeze({}), lastStartPressUs: null });

const BUTTON_ORDER: readonly ButtonName[] = BUTTONS;

function longHoldUs(button: ButtonName, press: HeldButton, timing: GestureTiming): number | null {
  if (button === 'power') return timing.powerHoldUs;
  if (button === 'mute') return timing.stealthHoldUs;
  if (button === 'record' && press.role === 'stop-or-marker') return timing.stopHoldUs;
  return null;
}

function deadlineOf(button: ButtonName, press: HeldButton, timing: GestureTiming): number | null {
  if (!press.accepted) return press.downUs + timing.debounceUs;
  if (press.longHeld) return null;
  const hold = longHoldUs(button, press, timing);
  return hold === null ? null : press.downUs + hold;
}

/** The earliest instant at which the recognizer has something to decide, or null. */
export function nextGestureDeadlineUs(state: GestureState, timing: GestureTiming): number | null {
  let earliest: number | null = null;
  for (const button of BUTTON_ORDER) {
    const press = state.held[button];
    if (press === undefined) continue;
    const due = deadlineOf(button, press, timing);
    if (due !== null && (earliest === null || due < earliest)) earliest = due;
  }
  return earliest;
}

function withHeld(state: GestureState, button: ButtonName, press: HeldButton | undefined): GestureState {
  const held = { ...state.held };
  if (press === undefined) delete held[button];
  else held[button] = press;
  return { ...state, held };
}

const LONG_HOLD_GESTURE: Record<ButtonName, GestureName | null> = { record: 'record-hold', power: 'power-hold', mute: 'stealth-hold', stream: null };

/** Fires one deadline of `button` at `atUs`. */
function fire(state: GestureState, timing: GestureTiming, button: ButtonName, press: HeldButton, atUs: number): GestureStep {
  const gesture = (name: GestureName): RecognisedGesture => ({ gesture: name, button, downUs: press.downUs, atUs });
  if (!press.accepted) {
    const next = withHeld(state, button, { ...press, accepted: true });
    if (button === 'stream') return { state: next, gestures: [gesture('stream-press')] };
    if (button !== 'record' || press.role !== 'start') return { state: next, gestures: [] };
    if (timing.startGesture === 'press') return { state: next, gestures: [gesture('record-press')] };
    const last = state.lastStartPressUs;
    if (last !== null && press.downUs - last <= timing.doublePressWindowUs) {
      return { state: { ...next, lastStartPressUs: null }, gestures: [gesture('record-double-press')] };
    }
    return { state: { ...next, lastStartPressUs: press.downUs }, gestures: [gesture('record-press')] };
  }
  const name = LONG_HOLD_GESTURE[button];
  const next = withHeld(state, button, { ...press, longHeld: true });
  return { state: next, gestures: name === null ? [] : [gesture(name)] };
}

/** Processes every deadline due at or before `nowUs`, in time order (ties in button order). */
export function advanceGestures(state: GestureState, timing: GestureTiming, nowUs: number): GestureStep {
  let current = state;
  const gestures: RecognisedGesture[] = [];
  for (;;) {
    let due: { button: ButtonName; press: HeldButton; atUs: number } | null = null;
    for (const button of BUTTON_ORDER) {
      const press = current.held[button];
      if (press === undefined) continue;
      const atUs = deadlineOf(button, press, timing);
      if (atUs !== null && atUs <= nowUs && (due === null || atUs < due.atUs)) due = { button, press, atUs };
    }
    if (due === null) return { state: current, gestures };
    const step = fire(current, timing, due.button, due.press, due.atUs);
    current = step.state;
    gestures.push(...step.gestures);
  }
}

/**
 * A button goes down at `atUs`. `recording` says whether the device records now (fixes a record
 * press's role). A down while the button is already down is ignored (contacts are either closed or not).
 */
export function buttonDown(state: GestureState, timing: GestureTiming, button: ButtonName, atUs: number, recording: boolean): GestureStep {
  const advanced = advanceGestures(state, timing, atUs);
  if (advanced.state.held[button] !== undefined) return advanced;
  const role: RecordPressRole = button === 'record' && recording ? 'stop-or-marker' : 'start';
  const press: HeldButton = { downUs: atUs, role, accepted: false, longHeld: false };
  const after = advanceGestures(withHeld(advanced.state, button, press), timing, atUs);
  return { state: after.state, gestures: [...advanced.gestures, ...after.gestures] };
}

/** A button is released at `atUs`. A release of a button that is not down is ignored. */
export function buttonUp(state: GestureState, timing: GestureTiming, button: ButtonName, atUs: number): GestureStep {
  const advanced = advanceGestures(state, timing, atUs);
  const press = advanced.state.held[button];
  if (press === undefined) return advanced;
  const next = withHeld(advanced.state, button, undefined);
  const gesture = (name: GestureName): RecognisedGesture => ({ gesture: name, button, downUs: press.downUs, atUs });
  let released: RecognisedGesture[] = [];
  if (!press.accepted) released = [gesture('bounce')];
  else if (!press.longHeld && button === 'record' && press.role === 'stop-or-marker') released = [gesture('marker')];
  else if (!press.longHeld && button === 'mute') released = [gesture('mute-toggle')];
  return { state: next, gestures: [...advanced.gestures, ...released] };
}
