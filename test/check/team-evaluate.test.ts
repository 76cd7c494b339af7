/**
 * Team scenarios (contract §10): assertions scoped to one camera, and across cameras, passing and
 * failing in each direction, with failures naming the camera.
 */
import { describe, expect, it } from 'vitest';
import { type AssertionResult, evaluateTeamExpectations, formatResult, parseExpectations, parseTeamExpectations } from '../../src/check/index.js';
import type { TeamOutcome } from '../../src/check/team-outcome.js';
import { BodycamError } from '../../src/errors/index.js';
import { ROSTER, camera, team } from './team-data.js';

function checkTeam(raw: Record<string, unknown>, fleet: TeamOutcome = team()): AssertionResult[] {
  return evaluateTeamExpectations(parseTeamExpectations([raw], 'team.json', ROSTER), fleet);
}

function one(raw: Record<string, unknown>, fleet?: TeamOutcome): AssertionResult {
  const results = checkTeam(raw, fleet);
  expect(results).toHaveLength(1);
  return results[0] as AssertionResult;
}

function badInput(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BodycamError);
    expect((error as BodycamError).code).toBe('bad-input');
    return (error as BodycamError).message;
  }
  throw new Error('expected a bad-input error');
}

const GROUP_START = { devices: { group: 'team-1' }, after: { signal: 'holster' }, startedWithin: 0.5 };

describe('assertions scoped to one camera ("device")', () => {
  it('are evaluated against that camera only, and say which camera', () => {
    const passed = one({ device: 'DRD-B', recording: 1, triggerSeconds: 20.3 });
    expect(passed).toMatchObject({ passed: true, device: 'DRD-B', place: 'expect[0].triggerSeconds' });
    expect(formatResult(passed)).toBe('PASS expect[0].triggerSeconds: DRD-B: recording 1 trigger is 20.300000 s exactly; measured 20.300000 s');
    const failed = one({ device: 'DRD-A', recording: 1, triggerSeconds: 20.3 });
    expect(formatResult(failed)).toBe('FAIL expect[0].triggerSeconds: DRD-A: recording 1 trigger is 20.300000 s exactly; measured 20.000000 s (-0.300000 s)');
    expect(one({ device: 'DRD-D', recordings: 0 }).passed).toBe(true);
    expect(formatResult(one({ device: 'DRD-D', recordings: 1 }))).toBe('FAIL expect[0]: DRD-D: 1 recording; measured 0 recordings');
  });

  it('an unknown camera is bad input naming the expectation', () => {
    expect(badInput(() => checkTeam({ device: 'DRD-X', recordings: 1 }))).toBe(
      'team.json: expect[0].device: expected one of the scenario\'s cameras (DRD-A, DRD-B, DRD-C, DRD-D), found "DRD-X"',
    );
  });

  it('an assertion naming no camera in a team scenario is bad input', () => {
    expect(badInput(() => checkTeam({ recordings: 1 }))).toMatch(/^team\.json: expect\[0\]: expected "device": one of DRD-A, .* or a "devices" assertion across them, found no "device"$/);
  });

  it('"device" or "devices" in a one-camera scenario is bad input', () => {
    expect(badInput(() => parseExpectations([{ recordings: 1 }, { device: 'DRD-A', recordings: 1 }], 's.json'))).toMatch(/^s\.json: expect\[1\]\.device: expected no "device" key/);
    expect(badInput(() => parseExpectations([{ devices: 'all', recordings: 1 }], 's.json'))).toMatch(/^s\.json: expect\[0\]\.devices: /);
  });
});

describe('assertions across cameras ("devices")', () => {
  it('every camera of a group started within the window after the signal: passes, measuring the last', () => {
    const result = one(GROUP_START);
    expect(result).toMatchObject({ passed: true, measuredValue: 300_000, devices: ['DRD-A', 'DRD-B', 'DRD-C'], place: 'expect[0].startedWithin' });
    expect(result.description).toBe('every camera of group team-1 (3) started recording within 0.500000 s of the holster signal #1');
    expect(result.measured).toBe('all 3 started, the last 0.300000 s after (DRD-C) (the signal at 20.000000 s from DRD-A)');
  });

  it('fails naming a camera that started too late', () => {
    const result = one(GROUP_START, team({ 'DRD-B': camera('DRD-B', 'team-1', [{ triggerUs: 20_800_000 }]) }));
    expect(result.passed).toBe(false);
    expect(result.measured).toBe('DRD-B started +0.800000 s after (at 20.800000 s) (the signal at 20.000000 s from DRD-A)');
  });

  it('fails naming a camera that started before the signal (a window opens at the signal, not before)', () => {
    const result = one(GROUP_START, team({ 'DRD-B': camera('DRD-B', 'team-1', [{ triggerUs: 19_900_000, stopUs: 19_950_000 }]) }));
    expect(result.passed).toBe(false);
    expect(result.measured).toMatch(/^DRD-B started no recording at or after it \(1 recording in all\)/);
  });

  it('fails naming a camera that did not record, and one that was already recording', () => {
    const fleet = team({ 'DRD-B': camera('DRD-B', 'team-1', []), 'DRD-C': camera('DRD-C', 'team-1', [{ triggerUs: 12_000_000, stopUs: 40_000_000 }]) });
    const result = one(GROUP_START, fleet);
    expect(result.passed).toBe(false);
    expect(result.measured).toBe('DRD-B started no recording at or after it (0 recordings in all); DRD-C was already recording since 12.000000 s and started none in the window (the signal at 20.000000 s from DRD-A)');
  });

  it('fails when the bus never carried the signal', () => {
    expect(one(GROUP_START, team({}, []))).toMatchObject({ passed: false, measured: 'no holster signal #1 on the bus (0 holster signals in all)' });
    expect(one({ ...GROUP_START, after: { signal: 'holster', device: 'DRD-B' } }).passed).toBe(false);
    expect(one({ ...GROUP_START, after: { signal: 'holster', occurrence: 2 } }).passed).toBe(false);
  });

  it('pre-roll at least N s: passes within the tolerance, fails naming the short camera and why', () => {
    const results = checkTeam({ ...GROUP_START, preRollAtLeastSeconds: 30, tolerance: 0.034 });
    expect(results.map((r) => [r.place, r.passed])).toEqual([['expect[0].startedWithin', true], ['expect[0].preRollAtLeastSeconds', true]]);
    expect(results[1]?.measuredValue).toBe(29_984_008);
    const exact = checkTeam({ ...GROUP_START, preRollAtLeastSeconds: 30 })[1] as AssertionResult;
    expect(exact.passed).toBe(false);
    const booted = team({ 'DRD-C': camera('DRD-C', 'team-1', [{ triggerUs: 20_300_000, preRollUs: 12_000_000, limitedBy: 'boot' }]) });
    const short = checkTeam({ ...GROUP_START, preRollAtLeastSeconds: 30, tolerance: 0.034 }, booted)[1] as AssertionResult;
    expect(short.passed).toBe(false);
    expect(short.measured).toBe('DRD-C pre-roll 12.000000 s (-18.000000 s, limited by boot) (the signal at 20.000000 s from DRD-A)');
  });

  it('recordings per camera: a camera of another group untouched; fails naming one that recorded', () => {
    expect(one({ devices: { group: 'team-2' }, recordings: 0 })).toMatchObject({ passed: true, measuredValue: [0] });
    const touched = one({ devices: ['DRD-D'], recordings: 0 }, team({ 'DRD-D': camera('DRD-D', 'team-2', [{ triggerUs: 20_300_000 }]) }));
    expect(touched).toMatchObject({ passed: false, measured: 'DRD-D made 1 recording' });
    expect(one({ devices: 'all', recordings: 1 })).toMatchObject({ passed: false, measured: 'DRD-D made 0 recordings' });
  });

  it('refuses unknown groups, unknown cameras and half-written windows as bad input', () => {
    expect(badInput(() => checkTeam({ devices: { group: 'team-9' }, recordings: 0 }))).toBe(
      'team.json: expect[0].devices.group: expected one of the scenario\'s groups (team-1, team-2), found "team-9"',
    );
    expect(badInput(() => checkTeam({ devices: ['DRD-A', 'DRD-Z'], recordings: 0 }))).toMatch(/^team\.json: expect\[0\]\.devices\[1\]: .*found "DRD-Z"$/);
    expect(badInput(() => checkTeam({ devices: 'all', startedWithin: 0.5 }))).toMatch(/expect\[0\]\.startedWithin: expected an "after"/);
    expect(badInput(() => checkTeam({ devices: 'all', after: { signal: 'holster' } }))).toMatch(/expect\[0\]\.after: /);
    expect(badInput(() => checkTeam({ devices: 'all', preRollAtLeastSeconds: 30, recordings: 1 }))).toMatch(/expect\[0\]\.preRollAtLeastSeconds: /);
    expect(badInput(() => checkTeam({ devices: 'all' }))).toMatch(/expect\[0\]: expected a property to check/);
    expect(badInput(() => checkTeam({ devices: 'all', recordings: 1, colour: 'red' }))).toMatch(/expect\[0\]/);
    expect(badInput(() => checkTeam({ ...GROUP_START, after: { signal: 'holster', device: 'DRD-Q' } }))).toMatch(/expect\[0\]\.after\.device: /);
  });
});
