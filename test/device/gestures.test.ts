import { describe, expect, it } from 'vitest';
import {
  advanceGestures, buttonDown, buttonUp, DEFAULT_PROFILE, type GestureState, type GestureStep, gestureTiming,
  INITIAL_GESTURE_STATE, nextGestureDeadlineUs, type RecognisedGesture, resolveProfile,
} from '../../src/device/index.js';
import type { ButtonName } from '../../src/events/index.js';
import { ms, press, rig, s } from './harness.js';

const timing = gestureTiming(DEFAULT_PROFILE);
const doubleTiming = gestureTiming(resolveProfile({ startGesture: 'double-press' }));

/** Runs raw presses through the recognizer; returns every gesture. `recording` fixes the role at down. */
function recognise(
  presses: readonly { button: ButtonName; downUs: number; upUs: number; recording?: boolean }[],
  t = timing,
  untilUs = Number.MAX_SAFE_INTEGER,
): RecognisedGesture[] {
  const steps: { atUs: number; run: (state: GestureState) => GestureStep }[] = [];
  for (const p of presses) {
    steps.push({ atUs: p.downUs, run: (state) => buttonDown(state, t, p.button, p.downUs, p.recording ?? false) });
    steps.push({ atUs: p.upUs, run: (state) => buttonUp(state, t, p.button, p.upUs) });
  }
  steps.sort((a, b) => a.atUs - b.atUs);
  let state = INITIAL_GESTURE_STATE;
  const gestures: RecognisedGesture[] = [];
  for (const step of steps) {
    const result = step.run(state);
    state = result.state;
    gestures.push(...result.gestures);
  }
  const last = advanceGestures(state, t, Math.min(untilUs, Number.MAX_SAFE_INTEGER));
  gestures.push(...last.gestures);
  return gestures;
}

const D = 10_000_000;

describe('gesture recognizer (pure)', () => {
  it('derives exact µs timing from the profile', () => {
    expect(timing).toEqual({ debounceUs: 50_000, stopHoldUs: 3_000_000, powerHoldUs: 2_000_000, stealthHoldUs: 3_000_000, doublePressWindowUs: 400_000, startGesture: 'press' });
  });

  it('treats a press held less than debounceMs as bounce, and one held exactly debounceMs as a press', () => {
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 49_999 }])).toEqual([{ gesture: 'bounce', button: 'record', downUs: D, atUs: D + 49_999 }]);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 49_000 }]).map((g) => g.gesture)).toEqual(['bounce']);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 50_000 }])).toEqual([{ gesture: 'record-press', button: 'record', downUs: D, atUs: D + 50_000 }]);
  });

  it('recognises a start press at down + debounce while still held', () => {
    const down = buttonDown(INITIAL_GESTURE_STATE, timing, 'record', D, false);
    expect(down.gestures).toEqual([]);
    expect(nextGestureDeadlineUs(down.state, timing)).toBe(D + 50_000);
    expect(advanceGestures(down.state, timing, D + 49_999).gestures).toEqual([]);
    expect(advanceGestures(down.state, timing, D + 50_000).gestures).toEqual([{ gesture: 'record-press', button: 'record', downUs: D, atUs: D + 50_000 }]);
  });

  it('stops at exactly down + 3 s while held; shorter is a marker at release', () => {
    const hold = recognise([{ button: 'record', downUs: D, upUs: D + 5_000_000, recording: true }]);
    expect(hold).toEqual([{ gesture: 'record-hold', button: 'record', downUs: D, atUs: D + 3_000_000 }]);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 3_000_000, recording: true }]).map((g) => [g.gesture, g.atUs])).toEqual([['record-hold', D + 3_000_000]]);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 2_999_999, recording: true }])).toEqual([{ gesture: 'marker', button: 'record', downUs: D, atUs: D + 2_999_999 }]);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 150_000, recording: true }]).map((g) => [g.gesture, g.atUs])).toEqual([['marker', D + 150_000]]);
    expect(recognise([{ button: 'record', downUs: D, upUs: D + 30_000, recording: true }]).map((g) => g.gesture)).toEqual(['bounce']);
  });

  it('never stops with the press that started (role fixed at down)', () => {
    const gestures = recognise([{ button: 'record', downUs: D, upUs: D + 5_000_000, recording: false }]);
    expect(gestures.map((g) => g.gesture)).toEqual(['record-press']);
  });

  it('pairs a double-press when the second down is within the window (inclusive)', () => {
    const pair = (gapUs: number): RecognisedGesture[] => recognise([
      { button: 'record', downUs: D, upUs: D + 100_000 }, { button: 'record', downUs: D + gapUs, upUs: D + gapUs + 100_000 },
    ], doubleTiming);
    expect(pair(400_000).map((g) => [g.gesture, g.atUs])).toEqual([['record-press', D + 50_000], ['record-double-press', D + 450_000]]);
    expect(pair(400_001).map((g) => g.gesture)).toEqual(['record-press', 'record-press']);
    expect(pair(250_000).at(-1)).toEqual({ gesture: 'record-double-press', button: 'record', downUs: D + 250_000, atUs: D + 300_000 });
    // a bounce between does not pair, and does not forget the first press
    const withBounce = recognise([
      { button: 'record', downUs: D, upUs: D + 100_000 }, { button: 'record', downUs: D + 150_000, upUs: D + 160_000 },
      { button: 'record', downUs: D + 300_000, upUs: D + 400_000 },
    ], doubleTiming);
    expect(withBounce.map((g) => g.gesture)).toEqual(['record-press', 'bounce', 'record-double-press']);
    // three quick presses: the third starts a new pair
    const triple = recognise([0, 200_000, 400_000].map((gap) => ({ button: 'record' as const, downUs: D + gap, upUs: D + gap + 100_000 })), doubleTiming);
    expect(triple.map((g) => g.gesture)).toEqual(['record-press', 'record-double-press', 'record-press']);
  });

  it('switches power at exactly down + 2 s while held; shorter does nothing', () => {
    expect(recognise([{ button: 'power', downUs: D, upUs: D + 2_000_000 }])).toEqual([{ gesture: 'power-hold', button: 'power', downUs: D, atUs: D + 2_000_000 }]);
    expect(recognise([{ button: 'power', downUs: D, upUs: D + 1_999_999 }])).toEqual([]);
    expect(recognise([{ button: 'power', downUs: D, upUs: D + 10_000 }]).map((g) => g.gesture)).toEqual(['bounce']);
  });

  it('toggles mute at release, asks for stealth on a 3 s hold, and sees the stream press at down + debounce', () => {
    expect(recognise([{ button: 'mute', downUs: D, upUs: D + 200_000 }]).map((g) => [g.gesture, g.atUs])).toEqual([['mute-toggle', D + 200_000]]);
    expect(recognise([{ button: 'mute', downUs: D, upUs: D + 4_000_000 }]).map((g) => [g.gesture, g.atUs])).toEqual([['stealth-hold', D + 3_000_000]]);
    expect(recognise([{ button: 'stream', downUs: D, upUs: D + 200_000 }]).map((g) => [g.gesture, g.atUs])).toEqual([['stream-press', D + 50_000]]);
  });

  it('tracks buttons independently and ignores a down while already down', () => {
    const both = recognise([{ button: 'record', downUs: D, upUs: D + 100_000 }, { button: 'power', downUs: D + 10_000, upUs: D + 2_500_000 }]);
    expect(both.map((g) => [g.gesture, g.atUs])).toEqual([['record-press', D + 50_000], ['power-hold', D + 2_010_000]]);
    let state = buttonDown(INITIAL_GESTURE_STATE, timing, 'record', D, false).state;
    state = buttonDown(state, timing, 'record', D + 20_000, false).state;
    expect(state.held.record?.downUs).toBe(D);
    expect(buttonUp(INITIAL_GESTURE_STATE, timing, 'record', D).gestures).toEqual([]);
  });
});

describe('gestures on the device (exact µs)', () => {
  it('ignores a 49 ms press and starts at down + 50 ms on a 50 ms press', () => {
    const bounce = rig({ inputs: [press('record', s(45), ms(49))] });
    bounce.clock.advanceTo(s(50));
    expect(bounce.host.of('startRecording')).toEqual([]);
    expect(bounce.of('gesture').map((g) => g.gesture)).toEqual(['bounce']);
    const exact = rig({ inputs: [press('record', s(45), ms(50))] });
    exact.clock.advanceTo(s(50));
    expect(exact.host.of('startRecording')).toEqual([{ method: 'startRecording', atUs: 45_050_000, source: 'button' }]);
  });

  it('stops at S = down + 3 s exactly, while still held', () => {
    const r = rig({ inputs: [press('record', s(45)), press('record', s(90), s(3.5))] });
    r.clock.advanceTo(s(93) - 1);
    expect(r.host.of('stopRecording')).toEqual([]);
    r.clock.advanceTo(s(93));
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: 93_000_000, reason: 'button' }]);
    // still held at S: the only releases so far are the first press's
    expect(r.of('input').filter((e) => e.kind === 'release').map((e) => e.t)).toEqual([s(45.15)]);
    expect(r.snapshot().leds.record.color).toBe('off');
    r.clock.advanceTo(s(94));
    expect(r.of('input').filter((e) => e.kind === 'release').map((e) => e.t)).toEqual([s(45.15), s(93.5)]);
    expect(r.host.of('addMarker')).toEqual([]);
  });

  it('does not stop with the starting press held 5 s, nor mark at its release', () => {
    const r = rig({ inputs: [press('record', s(10), s(5))] });
    r.clock.advanceTo(s(20));
    expect(r.snapshot().recording).toBe(true);
    expect(r.host.of('stopRecording')).toEqual([]);
    expect(r.host.of('addMarker')).toEqual([]);
  });

  it('adds a marker at the release of a short press while recording', () => {
    const r = rig({ inputs: [press('record', s(10)), press('record', s(20), s(1)), press('record', s(30), ms(2999))] });
    r.clock.advanceTo(s(40));
    expect(r.host.of('addMarker').map((c) => c.atUs)).toEqual([s(21), s(30) + ms(2999)]);
    expect(r.snapshot().recording).toBe(true);
  });

  it('starts on a double-press at second down + debounce, and not on a single press', () => {
    const r = rig({ profile: { startGesture: 'double-press' }, inputs: [press('record', s(10), ms(100)), press('record', s(10.4), ms(100))] });
    r.clock.advanceTo(s(11));
    expect(r.host.of('startRecording')).toEqual([{ method: 'startRecording', atUs: 10_450_000, source: 'double-press' }]);
    const single = rig({ profile: { startGesture: 'double-press' }, inputs: [press('record', s(10), ms(100)), press('record', s(10.401), ms(100))] });
    single.clock.advanceTo(s(12));
    expect(single.host.of('startRecording')).toEqual([]);
    expect(single.of('ignored').map((e) => e.event)).toEqual(['record-press', 'record-press']);
  });

  it('boots on a 2 s power hold, takes bootSeconds, and buffers only from standby', () => {
    const r = rig({ initialState: 'off', inputs: [press('power', s(1), s(2))] });
    r.clock.advanceTo(s(3) - 1);
    expect(r.snapshot().state).toBe('off');
    r.clock.advanceTo(s(3));
    expect(r.snapshot().state).toBe('booting');
    expect(r.host.of('setBuffering')).toEqual([]);
    r.clock.advanceTo(s(6) - 1);
    expect(r.snapshot().state).toBe('booting');
    r.clock.advanceTo(s(6));
    expect(r.snapshot()).toMatchObject({ state: 'standby', buffering: true });
    expect(r.host.of('setBuffering')).toEqual([{ method: 'setBuffering', atUs: s(6), on: true }]);
    expect(r.of('state').map((e) => [e.t, e.from, e.to])).toEqual([[0, 'none', 'off'], [s(3), 'off', 'booting'], [s(6), 'booting', 'standby']]);
  });

  it('ignores a power press shorter than 2 s, and a record press while booting', () => {
    const r = rig({ initialState: 'off', inputs: [press('power', s(1), ms(1999)), press('power', s(5), s(2)), press('record', s(8))] });
    r.clock.advanceTo(s(20));
    expect(r.of('state').map((e) => [e.t, e.to])).toEqual([[0, 'off'], [s(7), 'booting'], [s(10), 'standby']]);
    expect(r.of('ignored')).toEqual([{ t: s(8.05), type: 'ignored', event: 'record-start:button', state: 'booting', reason: 'booting: not ready yet' }]);
  });

  it('clears the buffer on power off', () => {
    const r = rig({ inputs: [press('power', s(5), s(2))] });
    r.clock.advanceTo(s(10));
    expect(r.snapshot().state).toBe('off');
    expect(r.host.calls).toEqual([
      { method: 'setBuffering', atUs: 0, on: true }, { method: 'setBuffering', atUs: s(7), on: false }, { method: 'clearBuffer', atUs: s(7) },
    ]);
  });
});
