/**
 * Every expectation form, passing and failing, against the recorded bundled run (trigger 40.05 s,
 * marker 52.2 s, stop 68 s by button; pre-roll 29.984008 s; 866 frames 10.065992..67.933094 s).
 */
import { describe, expect, it } from 'vitest';
import { formatResult } from '../../src/check/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { BUNDLED_RUN, check, checkOne, withEvents } from './run-data.js';

const manifest = BUNDLED_RUN.recordings[0] as RecordingManifest;

describe('the contract forms', () => {
  it('{ recordings: N } counts recordings', () => {
    expect(checkOne({ recordings: 1 })).toMatchObject({ passed: true, measured: '1 recording', measuredValue: 1 });
    const failed = checkOne({ recordings: 2 });
    expect(failed).toMatchObject({ passed: false, measuredValue: 1 });
    expect(formatResult(failed)).toBe('FAIL expect[0]: 2 recordings; measured 1 recording');
  });

  it('{ recording, preRollSeconds, tolerance } compares the pre-roll within the tolerance', () => {
    const passed = checkOne({ recording: 1, preRollSeconds: 30, tolerance: 0.034 });
    expect(passed).toMatchObject({ passed: true, place: 'expect[0].preRollSeconds', measuredValue: 29_984_008 });
    const failed = checkOne({ recording: 1, preRollSeconds: 30, tolerance: 0.01 });
    expect(failed.passed).toBe(false);
    expect(formatResult(failed)).toBe(
      'FAIL expect[0].preRollSeconds: recording 1 pre-roll is 30.000000 s ± 0.010000 s; measured 29.984008 s (-0.015992 s)',
    );
  });

  it('{ recording, stopReason } checks why it stopped', () => {
    expect(checkOne({ recording: 1, stopReason: 'button' })).toMatchObject({ passed: true, measuredValue: 'button' });
    expect(checkOne({ recording: 1, stopReason: 'battery' })).toMatchObject({ passed: false, measured: 'stop reason button' });
  });

  it('{ recording, stopDetail } checks the finer firmware reason (null: none)', () => {
    expect(checkOne({ recording: 1, stopDetail: null })).toMatchObject({ passed: true, measured: 'no stop detail' });
    expect(checkOne({ recording: 1, stopDetail: 'dock' })).toMatchObject({ passed: false, expected: 'stop detail dock', measured: 'no stop detail' });
    const docked = { ...BUNDLED_RUN, recordings: [{ ...manifest, stop: { ...manifest.stop, detail: 'dock' as const } }] };
    expect(checkOne({ recording: 1, stopDetail: 'dock' }, docked).passed).toBe(true);
    expect(check({ recording: 1, stopReason: 'button', stopDetail: 'dock' }, docked).map((r) => r.passed)).toEqual([true, true]);
  });

  it('{ at, led, color } reads the LED at an instant', () => {
    expect(checkOne({ at: 40.15, led: 'record', color: 'red' })).toMatchObject({ passed: true, measured: 'red (solid) (since 40.050000 s)' });
    expect(checkOne({ at: 40.0, led: 'record', color: 'red' })).toMatchObject({ passed: false, measured: 'off (since 0.000000 s)', measuredValue: 'off' });
    // the LED changes at 40.05 exactly: the state at an instant includes that instant's events
    expect(checkOne({ at: 40.05, led: 'record', color: 'red' }).passed).toBe(true);
  });

  it('{ noFrameDrops: true } fails on any frame.drop, naming the first', () => {
    expect(checkOne({ noFrameDrops: true })).toMatchObject({ passed: true, measured: '0 frame drops', measuredValue: 0 });
    const drop: DeviceEvent = { t: 12_000_000, type: 'frame.drop', frameUs: 11_933_000, reason: 'corrupt', detail: 'bad JPEG' };
    expect(checkOne({ noFrameDrops: true }, withEvents(BUNDLED_RUN, [drop]))).toMatchObject({
      passed: false, measured: '1 frame drop (first: frame 11.933000 s, corrupt)', measuredValue: 1,
    });
  });
});

describe('recording properties', () => {
  it('pre-roll in µs, exact by default', () => {
    expect(checkOne({ recording: 1, preRollUs: 29_984_008 }).passed).toBe(true);
    expect(checkOne({ recording: 1, preRollUs: 29_984_000 })).toMatchObject({ passed: false, measured: '29984008 µs (+8 µs)' });
    expect(checkOne({ recording: 1, preRollUs: 29_984_000, toleranceUs: 8 }).passed).toBe(true);
  });

  it('first and last frame, trigger and stop times, in seconds or µs', () => {
    const results = check({ recording: 1, firstFrameUs: 10_065_992, lastFrameSeconds: 67.933094, triggerSeconds: 40.05, stopUs: 68_000_000 });
    expect(results.map((r) => [r.place, r.passed])).toEqual([
      ['expect[0].firstFrameUs', true], ['expect[0].lastFrameSeconds', true], ['expect[0].triggerSeconds', true], ['expect[0].stopUs', true],
    ]);
    const failed = checkOne({ recording: 1, firstFrameSeconds: 10.0, tolerance: 0.05 });
    expect(failed).toMatchObject({ passed: false, measured: '10.065992 s (+0.065992 s)', measuredValue: 10_065_992 });
  });

  it('audio start and end times', () => {
    expect(checkOne({ recording: 1, audioStartUs: 10_066_000 }).passed).toBe(true);
    expect(checkOne({ recording: 1, audioEndSeconds: 68 }).passed).toBe(true);
    expect(checkOne({ recording: 1, audioEndSeconds: 67.9 })).toMatchObject({ passed: false, measuredValue: 68_000_000 });
  });

  it('frame counts', () => {
    expect(checkOne({ recording: 1, frames: 866 })).toMatchObject({ passed: true, measured: '866 frames' });
    expect(checkOne({ recording: 1, frames: 865 })).toMatchObject({ passed: false, expected: '865 frames', measured: '866 frames' });
  });

  it('limitedBy, trigger source and completeness', () => {
    expect(checkOne({ recording: 1, limitedBy: null }).passed).toBe(true);
    expect(checkOne({ recording: 1, limitedBy: 'boot' })).toMatchObject({ passed: false, measured: 'a full pre-roll (limitedBy null)' });
    expect(checkOne({ recording: 1, triggerSource: 'button' }).passed).toBe(true);
    expect(checkOne({ recording: 1, triggerSource: 'holster' }).passed).toBe(false);
    expect(checkOne({ recording: 1, complete: true }).passed).toBe(true);
    expect(checkOne({ recording: 1, complete: false })).toMatchObject({ passed: false, measured: 'complete' });
  });

  it('markers, exact or within a tolerance', () => {
    expect(checkOne({ recording: 1, markers: [52.2] })).toMatchObject({ passed: true, measuredValue: [52_200_000] });
    expect(checkOne({ recording: 1, markers: [52.3] })).toMatchObject({ passed: false, measured: 'markers at 52.200000 s' });
    expect(checkOne({ recording: 1, markers: [52.3], tolerance: 0.2 }).passed).toBe(true);
    expect(checkOne({ recording: 1, markers: [] }).passed).toBe(false);
    expect(checkOne({ recording: 1, markersUs: [52_200_000] }).passed).toBe(true);
  });

  it('audio matches video: starts with the first frame and ends at the stop (default: within one sample)', () => {
    const passed = checkOne({ recording: 1, audioMatchesVideo: true });
    expect(passed).toMatchObject({ passed: true, measuredValue: [8, 0] });
    expect(passed.measured).toBe('audio starts +0.000008 s from the first frame and ends +0.000000 s from the stop (tolerance 0.000063 s)');
    // audio from the trigger (preRecordAudio false) does not match the video's pre-roll
    const late = { ...manifest, audio: { ...manifest.audio!, firstSampleUs: 40_050_000, samples: 447_200 } };
    const failed = checkOne({ recording: 1, audioMatchesVideo: true, tolerance: 0.1 }, { events: BUNDLED_RUN.events, recordings: [late] });
    expect(failed).toMatchObject({ passed: false, measuredValue: [29_984_008, 0] });
    const silent = { ...manifest, audio: null };
    expect(checkOne({ recording: 1, audioMatchesVideo: true }, { events: BUNDLED_RUN.events, recordings: [silent] })).toMatchObject({ passed: false, measured: 'no audio track' });
  });

  it('a recording the run did not make fails, naming how many it made', () => {
    expect(checkOne({ recording: 2, stopReason: 'button' })).toMatchObject({ passed: false, measured: 'no recording 2: the run made 1 recording' });
  });

  it('numbers recordings in trigger order, not in the order the manifests are given', () => {
    const first = { ...manifest, id: 'A', trigger: { atUs: 1_000_000, source: 'button' as const }, stop: { atUs: 2_000_000, reason: 'button' as const } };
    const second = { ...manifest, id: 'B', trigger: { atUs: 5_000_000, source: 'holster' as const } };
    const starts: DeviceEvent[] = [
      { t: 1_000_000, type: 'recording.start', id: 'A', firstFrameUs: 0, triggerUs: 1_000_000, source: 'button' },
      { t: 5_000_000, type: 'recording.start', id: 'B', firstFrameUs: 0, triggerUs: 5_000_000, source: 'holster' },
    ];
    const run = { events: starts, recordings: [second, first] };
    expect(checkOne({ recording: 1, triggerSource: 'button' }, run).passed).toBe(true);
    expect(checkOne({ recording: 2, triggerSource: 'holster' }, run).passed).toBe(true);
    // without a log, the manifests' trigger times order them
    expect(checkOne({ recording: 2, triggerSource: 'holster' }, { events: [], recordings: [second, first] }).passed).toBe(true);
  });
});

describe('LEDs, states, gestures, faults', () => {
  it('LED solid or blinking', () => {
    expect(checkOne({ at: 41, led: 'record', color: 'red', solid: true }).passed).toBe(true);
    expect(checkOne({ at: 1, led: 'status', color: 'green', solid: false }).passed).toBe(true);
    expect(checkOne({ at: 1, led: 'status', color: 'green', solid: true })).toMatchObject({ passed: false, measured: 'green (blinking 200/1800 ms) (since 0.000000 s)' });
  });

  it('LED within a window after an event', () => {
    expect(checkOne({ led: 'record', color: 'red', within: 0.05, after: { gesture: 'record-press' } })).toMatchObject({ passed: true, measuredValue: 0 });
    // from the press itself (40.0 s), the LED turns red at T = 40.05 s: 50 ms later
    expect(checkOne({ led: 'record', color: 'red', within: 0.05, after: { press: 'record', occurrence: 1 } })).toMatchObject({ passed: true, measuredValue: 50_000 });
    const failed = checkOne({ led: 'record', color: 'red', within: 0.04, after: { press: 'record', occurrence: 1 } });
    expect(failed).toMatchObject({ passed: false, measuredValue: 50_000 });
    expect(failed.measured).toBe('off in the window from 40.000000 s; red first at 40.050000 s (+0.050000 s)');
    // the stop: LED off within 1 ms of entering stopping
    expect(checkOne({ led: 'record', color: 'off', within: 0.001, after: { state: 'stopping' } }).passed).toBe(true);
    expect(checkOne({ led: 'record', color: 'red', within: 1, after: { gesture: 'record-double-press' } })).toMatchObject({
      passed: false, measured: 'no record-double-press gesture in the log',
    });
    // a window from a time
    expect(checkOne({ led: 'record', color: 'red', at: 40, within: 0.05 }).passed).toBe(true);
    expect(checkOne({ led: 'record', color: 'red', at: 40, within: 0.049 }).passed).toBe(false);
    // every press: the marker and stop presses find the LED already red
    expect(checkOne({ led: 'record', color: 'red', within: 0.05, after: { press: 'record' } })).toMatchObject({ passed: true, measured: 'red 0.050000 s after (worst of 3)' });
  });

  it('LED throughout a recording', () => {
    expect(checkOne({ led: 'record', color: 'red', solid: true, during: { recording: 1 } })).toMatchObject({
      passed: true, measured: 'red (solid) from 40.050000 s to the stop at 68.000000 s',
    });
    const flicker: DeviceEvent = { t: 50_000_000, type: 'led', led: 'record', color: 'off', onMs: 0, offMs: 0 };
    expect(checkOne({ led: 'record', color: 'red', during: { recording: 1 } }, withEvents(BUNDLED_RUN, [flicker]))).toMatchObject({
      passed: false, measured: 'off at 50.000000 s, before the stop at 68.000000 s',
    });
    expect(checkOne({ led: 'status', color: 'red', solid: true, during: { recording: 1 } }).passed).toBe(false);
  });

  it('device state at an instant', () => {
    expect(checkOne({ at: 41, state: 'recording' })).toMatchObject({ passed: true, measuredValue: 'recording' });
    expect(checkOne({ at: 30, state: 'recording' })).toMatchObject({ passed: false, measured: 'standby' });
  });

  it('gesture latency and counts', () => {
    expect(checkOne({ gesture: 'record-press', within: 0.06 })).toMatchObject({ passed: true, measuredValue: 50_000 });
    expect(checkOne({ gesture: 'record-press', within: 0.04 })).toMatchObject({
      passed: false, measured: '0.050000 s after the press at 40.000000 s', measuredValue: 50_000,
    });
    expect(checkOne({ gesture: 'record-hold', within: 3 }).passed).toBe(true);
    expect(checkOne({ gesture: 'record-press' }).passed).toBe(true);
    expect(checkOne({ gesture: 'record-double-press' })).toMatchObject({ passed: false, measured: 'no record-double-press gesture in the log' });
    expect(checkOne({ gesture: 'marker', count: 1 }).passed).toBe(true);
    expect(checkOne({ gesture: 'marker', count: 2 })).toMatchObject({ passed: false, measured: '1 time' });
  });

  it('frame drop counts by reason, and faults', () => {
    const drops: DeviceEvent[] = [
      { t: 12_000_000, type: 'frame.drop', frameUs: 11_900_000, reason: 'corrupt' },
      { t: 13_000_000, type: 'frame.drop', frameUs: 12_900_000, reason: 'buffer-overflow' },
    ];
    const run = withEvents(BUNDLED_RUN, drops);
    expect(checkOne({ frameDrops: 2 }, run).passed).toBe(true);
    expect(checkOne({ frameDrops: 1, reason: 'corrupt' }, run).passed).toBe(true);
    expect(checkOne({ frameDrops: 0, reason: 'buffer-overflow' }, run)).toMatchObject({ passed: false, measuredValue: 1 });
    expect(checkOne({ faults: 0 }).passed).toBe(true);
    const fault: DeviceEvent = { t: 20_000_000, type: 'fault', code: 'storage-fail', message: 'write error' };
    expect(checkOne({ faults: 0 }, withEvents(BUNDLED_RUN, [fault]))).toMatchObject({ passed: false, measured: '1 fault (first: storage-fail at 20.000000 s)' });
    expect(checkOne({ faults: 1, code: 'storage-fail' }, withEvents(BUNDLED_RUN, [fault])).passed).toBe(true);
    expect(checkOne({ faults: 0, code: 'storage-fail' })).toMatchObject({ passed: true, description: 'no faults (storage-fail)' });
    expect(checkOne({ frameDrops: 0, reason: 'corrupt' }).description).toBe('no frame drops (corrupt)');
    const tooClose: DeviceEvent = { t: 14_000_000, type: 'frame.drop', frameUs: 13_999_950, reason: 'too-close' };
    expect(checkOne({ frameDrops: 1, reason: 'too-close' }, withEvents(BUNDLED_RUN, [tooClose]))).toMatchObject({ passed: true, expected: '1 frame drop (too-close)' });
  });
});
