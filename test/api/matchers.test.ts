/** The vitest matchers (from sources): passing and failing, with the messages a failure shows. */
import { describe, expect, it } from 'vitest';
import '../../src/api/vitest.js';
import { BUNDLED_RUN as run } from '../check/run-data.js';
import { camera, team } from '../check/team-data.js';

/** The message of a failed expectation. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the matcher passed where it should have failed');
}

describe('bodycam matchers', () => {
  it('toHaveRecordings', () => {
    expect(run).toHaveRecordings(1);
    expect(failure(() => expect(run).toHaveRecordings(2))).toBe('toHaveRecordings: expected 2 recordings; measured 1 recording');
    expect(run).not.toHaveRecordings(2);
    expect(failure(() => expect(run).not.toHaveRecordings(1))).toBe('toHaveRecordings: expected the run not to meet: 1 recording; measured 1 recording');
  });

  it('toHavePreRoll and toHavePreRollLimitedBy', () => {
    expect(run).toHavePreRoll(30, { tolerance: 0.034 });
    expect(run).toHavePreRoll(29.984008);
    expect(failure(() => expect(run).toHavePreRoll(30))).toBe('toHavePreRoll: expected recording 1 pre-roll is 30.000000 s exactly; measured 29.984008 s (-0.015992 s)');
    expect(run).toHavePreRollLimitedBy(null);
    expect(failure(() => expect(run).toHavePreRollLimitedBy('boot'))).toContain('measured a full pre-roll (limitedBy null)');
  });

  it('toHaveStopReason, toHaveFrames, first and last frame, markers, matching audio', () => {
    expect(run).toHaveStopReason('button');
    expect(failure(() => expect(run).toHaveStopReason('battery', { recording: 1 }))).toBe('toHaveStopReason: expected recording 1 stopped by battery; measured stop reason button');
    expect(failure(() => expect(run).toHaveStopReason('button', { recording: 2 }))).toBe('toHaveStopReason: expected recording 2 stopped by button; measured no recording 2: the run made 1 recording');
    expect(run).toHaveFrames(866);
    expect(failure(() => expect(run).toHaveFrames(900))).toContain('measured 866 frames');
    expect(run).toHaveFirstFrameAt(10.065992);
    expect(run).toHaveLastFrameAt(67.9, { tolerance: 0.05 });
    expect(failure(() => expect(run).toHaveLastFrameAt(67.9))).toContain('measured 67.933094 s (+0.033094 s)');
    expect(run).toHaveMarkers([52.2]);
    expect(failure(() => expect(run).toHaveMarkers([]))).toContain('measured markers at 52.200000 s');
    expect(run).toHaveMatchingAudio();
    expect(failure(() => expect(run).not.toHaveMatchingAudio())).toContain('audio starts +0.000008 s from the first frame');
  });

  it('toShowLed at an instant, after an event, throughout a recording', () => {
    expect(run).toShowLed('record', 'red', { at: 45.1 });
    expect(run).toShowLed('record', 'red', { at: 45.1, solid: true });
    expect(failure(() => expect(run).toShowLed('record', 'red', { at: 30 }))).toBe('toShowLed: expected record LED red at 30.000000 s; measured off (since 0.000000 s)');
    expect(run).toShowLed('record', 'red', { after: { gesture: 'record-press' }, within: 0.05 });
    expect(failure(() => expect(run).toShowLed('record', 'red', { after: { press: 'record', occurrence: 1 }, within: 0.01 })))
      .toBe('toShowLed: expected record LED red within 0.010000 s of the record press #1; measured off in the window from 40.000000 s; red first at 40.050000 s (+0.050000 s)');
    expect(run).toShowLed('record', 'red', { during: { recording: 1 } });
    expect(run).not.toShowLed('status', 'green', { during: { recording: 1 } });
  });

  it('toBeInStateAt, toHaveGesture, toHaveNoFrameDrops, toMeetExpectations', () => {
    expect(run).toBeInStateAt('recording', 41);
    expect(failure(() => expect(run).toBeInStateAt('recording', 30))).toContain('measured standby');
    expect(run).toHaveGesture('record-press', { within: 0.05 });
    expect(run).toHaveGesture('marker', { count: 1 });
    expect(failure(() => expect(run).toHaveGesture('record-double-press'))).toContain('measured no record-double-press gesture in the log');
    expect(run).toHaveNoFrameDrops();
    expect(run).toHaveNoFrameDrops('corrupt');
    expect(run).toMeetExpectations([{ recordings: 1 }, { recording: 1, preRollSeconds: 30, tolerance: 0.034 }]);
    expect(failure(() => expect(run).toMeetExpectations([{ recordings: 1 }, { recording: 1, frames: 1 }, { noFrameDrops: true }])))
      .toBe('toMeetExpectations: expected recording 1 holds 1 frame; measured 866 frames');
  });

  it('tells a Simulation that is not finished apart from a result, and rejects bad arguments', () => {
    expect(failure(() => expect({ done: Promise.resolve() }).toHaveRecordings(1))).toContain('(a Simulation: await its `done` first)');
    expect(() => expect(run).toHavePreRoll(-1)).toThrow(/toHavePreRoll: expect\[0\]\.preRollSeconds: expected a time in seconds/);
  });
});

describe('bodycam matchers on a team run', () => {
  it('scope to one camera with { device }, and name it when they fail', () => {
    const fleet = team();
    expect(fleet).toHaveRecordings(1, { device: 'DRD-A' });
    expect(fleet).toHaveRecordings(0, { device: 'DRD-D' });
    expect(fleet).toHavePreRoll(29.99, { device: 'DRD-C' });
    expect(failure(() => expect(fleet).toHavePreRoll(30, { device: 'DRD-C' }))).toBe('toHavePreRoll: expected DRD-C: recording 1 pre-roll is 30.000000 s exactly; measured 29.990000 s (-0.010000 s)');
    expect(fleet.devices[0]).toHaveRecordings(1); // one camera of a team run is a run
    expect(() => expect(fleet).toHaveRecordings(1)).toThrow(/expect\[0\]: expected "device": one of DRD-A/);
    expect(() => expect(fleet).toHaveRecordings(1, { device: 'DRD-X' })).toThrow(/expect\[0\]\.device: expected one of the scenario's cameras/);
  });

  it('toHaveDevicesStarted: every camera of a group within the window, with its pre-roll; fails naming the camera', () => {
    expect(team()).toHaveDevicesStarted({ group: 'team-1' }, { after: { signal: 'holster' }, within: 0.5, preRollAtLeast: 30, tolerance: 0.034 });
    const late = team({ 'DRD-B': camera('DRD-B', 'team-1', [{ triggerUs: 20_800_000 }]) });
    expect(failure(() => expect(late).toHaveDevicesStarted({ group: 'team-1' }, { after: { signal: 'holster' }, within: 0.5 }))).toBe(
      'toHaveDevicesStarted: expected every camera of group team-1 (3) started recording within 0.500000 s of the holster signal #1; measured DRD-B started +0.800000 s after (at 20.800000 s) (the signal at 20.000000 s from DRD-A)',
    );
    expect(late).not.toHaveDevicesStarted('all', { after: { signal: 'holster' }, within: 0.5 });
    expect(team()).toMeetExpectations([{ devices: ['DRD-D'], recordings: 0 }, { device: 'DRD-B', recording: 1, triggerSeconds: 20.3 }]);
  });
});
