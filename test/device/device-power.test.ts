import { describe, expect, it } from 'vitest';
import type { DeviceInput } from '../../src/device/index.js';
import { press, rig, type Rig, s } from './harness.js';

const UNITS_PER_PERCENT = 3_600_000_000; // 1 %/h drains 1 unit per µs

describe('Device: battery', () => {
  it('drains in virtual time to 10 % (warning) and 0 % (clean stop, reason battery, then off)', () => {
    const r = rig({ profile: { battery: { startPercent: 11 } }, inputs: [press('record', 0)] });
    // standby 2.5 %/h for the 50 ms before T, then recording 10 %/h
    const chargeAtT = 11 * UNITS_PER_PERCENT - 2.5 * 50_000;
    const tenPercentUs = 50_000 + Math.ceil((chargeAtT - 10 * UNITS_PER_PERCENT) / 10);
    const percentUs = UNITS_PER_PERCENT / 10;
    const emptyUs = tenPercentUs + 10 * percentUs;
    expect([tenPercentUs, emptyUs]).toEqual([360_037_500, 3_960_037_500]);

    r.clock.advanceTo(tenPercentUs - 1);
    expect(r.snapshot().batteryPercent).toBe(11);
    r.clock.advanceTo(tenPercentUs);
    expect(r.snapshot()).toMatchObject({ batteryPercent: 10, overlays: ['lowBattery'], recording: true });
    expect(r.of('feedback').filter((e) => e.why === 'battery-low')).toEqual([{ t: tenPercentUs, type: 'feedback', kind: 'beep', count: 4, why: 'battery-low' }]);
    expect(r.snapshot().leds.status).toEqual({ color: 'amber', onMs: 1000, offMs: 1000 });

    r.clock.advanceTo(emptyUs + s(60));
    expect(r.of('battery').map((e) => [e.t, e.percent])).toEqual([[0, 11], ...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((p, i) => [tenPercentUs + i * percentUs, p])]);
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: emptyUs, reason: 'battery' }]);
    expect(r.of('state').filter((e) => e.t === emptyUs).map((e) => [e.from, e.to])).toEqual([['recording', 'stopping'], ['stopping', 'off']]);
    expect(r.snapshot()).toMatchObject({ state: 'off', buffering: false, batteryPercent: 0 });
    // the warning repeats every 20 s from 10 % until the device is off
    const warnings = r.of('feedback').filter((e) => e.why === 'battery-low').map((e) => e.t);
    expect(warnings.every((t, i) => t === tenPercentUs + i * s(20))).toBe(true);
    expect(warnings.at(-1)).toBe(emptyUs);
  });

  it('takes scenario battery levels; at 0 % in standby it shuts down and refuses to power on', () => {
    const r = rig({ inputs: [{ kind: 'battery', percent: 8, atUs: s(5) }, { kind: 'battery', percent: 0, atUs: s(30) }, press('power', s(40), s(2))] });
    r.clock.advanceTo(s(60));
    expect(r.of('battery').map((e) => [e.t, e.percent])).toEqual([[0, 100], [s(5), 8], [s(30), 0]]);
    expect(r.of('feedback').filter((e) => e.why === 'battery-low').map((e) => e.t)).toEqual([s(5), s(25)]);
    expect(r.of('state').map((e) => [e.t, e.to])).toEqual([[0, 'standby'], [s(30), 'off']]);
    expect(r.of('ignored')).toEqual([{ t: s(42), type: 'ignored', event: 'power-hold', state: 'off', reason: 'battery empty: dock to charge' }]);
    expect(r.host.of('clearBuffer').map((c) => c.atUs)).toEqual([s(30)]);
  });

  it('starts with the low-battery warning when the profile says so', () => {
    const r = rig({ profile: { battery: { startPercent: 5 } } });
    r.clock.advanceTo(s(1));
    expect(r.snapshot()).toMatchObject({ overlays: ['lowBattery'], leds: { status: { color: 'amber', onMs: 200, offMs: 1800 } } });
    expect(r.of('feedback').map((e) => [e.t, e.why])).toEqual([[0, 'battery-low']]);
  });
});

describe('Device: storage', () => {
  it('refuses to record when full (3 beeps) and records again after "ok"', () => {
    const r = rig({ inputs: [{ kind: 'storage', state: 'full', atUs: s(5) }, press('record', s(10)), { kind: 'storage', state: 'ok', atUs: s(20) }, press('record', s(25))] });
    r.clock.advanceTo(s(30));
    expect(r.of('feedback').filter((e) => e.why === 'storage-full').map((e) => [e.t, e.kind, e.count])).toEqual([[s(5), 'beep', 3], [s(10.05), 'beep', 3]]);
    expect(r.of('ignored')).toEqual([{ t: s(10.05), type: 'ignored', event: 'record-start:button', state: 'standby', reason: 'storage full or failed: refusing to record' }]);
    expect(r.host.of('startRecording')).toEqual([{ method: 'startRecording', atUs: s(25.05), source: 'button' }]);
    expect(r.of('storage').map((e) => [e.t, e.state, e.freeBytes])).toEqual([[0, 'ok', 64e9], [s(5), 'full', 0], [s(20), 'ok', 64e9]]);
  });

  it('stops cleanly (reason storage) at the instant the written bytes fill it, after warning when low', () => {
    const r = rig({ profile: { storageBytes: 1_000_000 }, inputs: [press('record', s(1))] });
    r.clock.advanceTo(s(2));
    r.device.report({ kind: 'bytes-written', bytes: 850_000, atUs: s(2) });
    expect(r.snapshot()).toMatchObject({ storageFreeBytes: 150_000, overlays: [] });
    r.clock.advanceTo(s(3));
    r.device.report({ kind: 'bytes-written', bytes: 60_000, atUs: s(3) });
    expect(r.snapshot()).toMatchObject({ storageFreeBytes: 90_000, overlays: ['storageLow'], recording: true });
    r.device.report({ kind: 'bytes-written', bytes: 90_000, atUs: s(4) }); // scheduled on the clock
    r.clock.advanceTo(s(4) - 1);
    expect(r.snapshot().recording).toBe(true);
    r.clock.advanceTo(s(4));
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: s(4), reason: 'storage' }]);
    expect(r.snapshot()).toMatchObject({ state: 'standby', storageFreeBytes: 0, overlays: ['storageFull'] });
    expect(r.of('storage').map((e) => [e.t, e.state])).toEqual([[0, 'ok'], [s(3), 'low'], [s(4), 'full']]);
    expect(r.of('feedback').filter((e) => e.t === s(4)).map((e) => [e.kind, e.why])).toEqual([['long-beep', 'recording-stop'], ['beep', 'storage-full']]);
  });

  it('turns a scenario write failure into a fault: the recording stops (reason fault), the host keeps what it wrote', () => {
    const r = rig({ inputs: [press('record', s(1)), { kind: 'storage', state: 'fail', atUs: s(5) }, press('record', s(7)), { kind: 'storage', state: 'ok', atUs: s(10) }] });
    r.clock.advanceTo(s(6));
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: s(5), reason: 'fault' }]);
    expect(r.of('fault')).toEqual([{ t: s(5), type: 'fault', code: 'storage-fail', message: 'storage reports write errors' }]);
    expect(r.snapshot()).toMatchObject({ state: 'fault', buffering: true, recording: false, leds: { record: { color: 'off' }, status: { color: 'red', onMs: 100, offMs: 100 } } });
    r.clock.advanceTo(s(12));
    expect(r.of('ignored').map((e) => [e.t, e.reason])).toEqual([[s(5), 'no stopped recording awaits finalizing'], [s(7.05), 'fault: storage unusable']]);
    expect(r.of('state').map((e) => [e.t, e.to])).toEqual([[0, 'standby'], [s(1.05), 'recording'], [s(5), 'fault'], [s(10), 'standby']]);
    // The sensor keeps feeding the buffer through the fault: only the storage is broken.
    expect(r.host.of('setBuffering').map((c) => [c.atUs, c.on])).toEqual([[0, true]]);
  });

  it('turns a host write failure into a fault with the host message', () => {
    const r = rig({ inputs: [press('record', s(1))] });
    r.clock.advanceTo(s(3));
    r.device.report({ kind: 'write-failed', message: 'EIO writing cluster 2', atUs: s(3) });
    expect(r.of('fault')).toEqual([{ t: s(3), type: 'fault', code: 'storage-write-failed', message: 'EIO writing cluster 2' }]);
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: s(3), reason: 'fault' }]);
    expect(r.snapshot().state).toBe('fault');
  });
});

/** Drives a device into `mode`, then cuts the power at 50 s. */
const CUT_SETUPS: Record<string, { initialState?: 'off'; inputs: DeviceInput[]; finalize?: 'never' }> = {
  booting: { initialState: 'off', inputs: [press('power', s(47), s(2))] },
  standby: { inputs: [] },
  recording: { inputs: [press('record', s(10))] },
  stopping: { finalize: 'never', inputs: [press('record', s(10)), press('record', s(20), s(3))] },
  docked: { inputs: [{ kind: 'dock', docked: true, atUs: s(10) }] },
  fault: { inputs: [{ kind: 'storage', state: 'fail', atUs: s(10) }] },
};

describe('Device: power cut', () => {
  for (const [mode, setup] of Object.entries(CUT_SETUPS)) {
    it(`in ${mode}: off at once, host.powerCut, nothing finalized or stopped`, () => {
      const r: Rig = rig({ ...setup, inputs: [...setup.inputs, { kind: 'power', action: 'cut', atUs: s(50) }] });
      r.clock.advanceTo(s(50) - 1);
      expect(r.snapshot().state).toBe(mode);
      const stopsBefore = r.host.of('stopRecording').length;
      r.clock.advanceTo(s(60));
      expect(r.snapshot()).toMatchObject({ state: 'off', recording: false, buffering: false, leds: { record: { color: 'off' }, status: { color: 'off' } } });
      expect(r.host.of('powerCut')).toEqual([{ method: 'powerCut', atUs: s(50) }]);
      expect(r.host.of('stopRecording')).toHaveLength(stopsBefore);
      expect(r.of('state').filter((e) => e.t >= s(50)).map((e) => [e.t, e.from, e.to])).toEqual([[s(50), mode, 'off']]);
    });
  }

  it('in off: ignored', () => {
    const r = rig({ initialState: 'off', inputs: [{ kind: 'power', action: 'cut', atUs: s(5) }] });
    r.clock.advanceTo(s(10));
    expect(r.host.calls).toEqual([]);
    expect(r.of('ignored')).toEqual([{ t: s(5), type: 'ignored', event: 'power-cut', state: 'off', reason: 'already off' }]);
  });
});

describe('Device: dock', () => {
  it('docks from standby: no buffering, buffer cleared, charging; undock resumes standby', () => {
    const r = rig({ profile: { battery: { startPercent: 50 } }, inputs: [{ kind: 'dock', docked: true, atUs: s(5) }, { kind: 'dock', docked: false, atUs: s(100) }, press('record', s(50))] });
    r.clock.advanceTo(s(110));
    expect(r.host.calls).toEqual([
      { method: 'setBuffering', atUs: 0, on: true }, { method: 'setBuffering', atUs: s(5), on: false }, { method: 'clearBuffer', atUs: s(5) },
      { method: 'setBuffering', atUs: s(100), on: true },
    ]);
    // 50 %/h: from 50 % minus 5 s of standby drain, the level is back at 50 % after 0.25 s and reaches 51 % 72 s later
    expect(r.of('battery').map((e) => [e.t, e.percent])).toEqual([[0, 50], [s(5.25) + s(72), 51]]);
    expect(r.of('led').filter((e) => e.led === 'status').map((e) => [e.t, e.color, e.offMs])).toEqual([[0, 'green', 1800], [s(5), 'amber', 0], [s(100), 'green', 1800]]);
    expect(r.of('ignored').map((e) => e.reason)).toEqual(['docked: no recording in the dock']);
  });

  it('docking while recording stops it (reason dock), then docks once it is final', () => {
    const r = rig({ finalize: { delayUs: s(1) }, inputs: [press('record', s(1)), { kind: 'dock', docked: true, atUs: s(10) }] });
    r.clock.advanceTo(s(20));
    expect(r.host.of('stopRecording')).toEqual([{ method: 'stopRecording', atUs: s(10), reason: 'dock' }]);
    expect(r.of('state').map((e) => [e.t, e.to])).toEqual([[0, 'standby'], [s(1.05), 'recording'], [s(10), 'stopping'], [s(11), 'docked']]);
    expect(r.host.of('clearBuffer').map((c) => c.atUs)).toEqual([s(11)]);
    expect(r.host.of('setBuffering').map((c) => [c.atUs, c.on])).toEqual([[0, true], [s(11), false]]);
  });
});
