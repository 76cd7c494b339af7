/**
 * `bodycam check` on a team scenario (contract §10): assertions scoped to one camera and across
 * cameras pass and fail on a real team run, failures name the camera, JUnit has one suite for
 * the cross-device assertions and one per camera, and an unknown camera is bad input (exit 2,
 * nothing written).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tools.js';
import { junitSuites } from '../helpers/xml.js';
import { TINY_FIXTURE, runInProcess, writeScenario } from './scenarios.js';

/** Three cameras of team-1 and one of team-2 on the tiny fixture; DRD-A's holster at 2.5 s, 300 ms bus. */
function teamScenario(dir: string, expect: readonly unknown[]): Record<string, unknown> {
  const fixture = relative(dir, TINY_FIXTURE);
  return {
    format: 'bodycam-scenario/1',
    device: { preRecordSeconds: 1, stopHoldSeconds: 1 },
    triggerBus: { latencyMs: 300 },
    devices: [
      { id: 'DRD-A', fixture, group: 'team-1' },
      { id: 'DRD-B', fixture, group: 'team-1' },
      { id: 'DRD-C', fixture, group: 'team-1', device: { preRecordSeconds: 0.5 } },
      { id: 'DRD-D', fixture, group: 'team-2' },
    ],
    events: [{ at: 2.5, device: 'DRD-A', signal: 'holster' }],
    expect,
  };
}

describe('bodycam check on a team scenario', () => {
  it('passes and fails per camera and across cameras, naming the camera; JUnit has a suite per camera', async () => {
    const dir = tempDir('check-team');
    const file = writeScenario(join(dir, 'team.json'), teamScenario(dir, [
      { devices: { group: 'team-1' }, after: { signal: 'holster' }, startedWithin: 0.5 },
      { devices: { group: 'team-2' }, recordings: 0 },
      { device: 'DRD-B', recording: 1, triggerSeconds: 2.8 },
      { devices: { group: 'team-1' }, after: { signal: 'holster' }, startedWithin: 0.2 },
      { devices: ['DRD-A', 'DRD-C'], after: { signal: 'holster' }, startedWithin: 0.5, preRollAtLeastSeconds: 1, tolerance: 0.11 },
      { device: 'DRD-D', recordings: 1 },
    ]));
    const junit = join(dir, 'report.xml');
    const result = await runInProcess(['check', file, '--out', join(dir, 'out'), '--junit', junit, '--jobs', '1']);
    expect(result.stderr).toBe('bodycam: 3 of 7 assertions failed\n');
    expect(result.status).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('  PASS expect[0].startedWithin: every camera of group team-1 (3) started recording within 0.500000 s of the holster signal #1; measured all 3 started, the last 0.300000 s after (DRD-C) (the signal at 2.500000 s from DRD-A)');
    expect(lines).toContain('  PASS expect[1].recordings: every camera of group team-2 (1) made 0 recordings each; measured 0 recordings on each of 1 camera');
    expect(lines).toContain('  PASS expect[2].triggerSeconds: DRD-B: recording 1 trigger is 2.800000 s exactly; measured 2.800000 s');
    expect(lines).toContain('  FAIL expect[3].startedWithin: every camera of group team-1 (3) started recording within 0.200000 s of the holster signal #1; measured DRD-B started +0.300000 s after (at 2.800000 s); DRD-C started +0.300000 s after (at 2.800000 s) (the signal at 2.500000 s from DRD-A)');
    // DRD-A's pre-roll holds the fixture's dropped slots (1.6 s to 1.8 s); DRD-C asked for 0.5 s only.
    expect(lines).toContain('  FAIL expect[4].preRollAtLeastSeconds: cameras DRD-A, DRD-C started recording within 0.500000 s of the holster signal #1 with a pre-roll of at least 1.000000 s (tolerance 0.110000 s); measured DRD-A pre-roll 0.601221 s (-0.398779 s); DRD-C pre-roll 0.499010 s (-0.500990 s) (the signal at 2.500000 s from DRD-A)');
    expect(lines).toContain('  FAIL expect[5]: DRD-D: 1 recording; measured 0 recordings');
    const suites = junitSuites(readFileSync(junit, 'utf8'));
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ['team', 5, 2], ['team/DRD-A', 0, 0], ['team/DRD-B', 1, 0], ['team/DRD-C', 0, 0], ['team/DRD-D', 1, 1],
    ]);
    for (const suite of suites) expect([suite.testcases, suite.failed]).toEqual([suite.tests, suite.failures]);
  }, 60_000);

  it('an assertion about an unknown camera is bad input naming it: exit 2, nothing runs', async () => {
    const dir = tempDir('check-team-bad');
    const file = writeScenario(join(dir, 'team.json'), teamScenario(dir, [{ devices: 'all', recordings: 1 }, { device: 'DRD-Q', recordings: 1 }]));
    const result = await runInProcess(['check', file, '--out', join(dir, 'out')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`bodycam: ${file}: expect[1].device: expected one of the scenario's cameras (DRD-A, DRD-B, DRD-C, DRD-D), found "DRD-Q"\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
