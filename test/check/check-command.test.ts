/**
 * `bodycam check` (in process, one job at a time): pass → 0, a failed assertion → 1 with the
 * measured value, bad input → 2 with one line and no output, JUnit well-formed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tools.js';
import { countElements, xmlParseError } from '../helpers/xml.js';
import { runInProcess, tinyScenario, writeScenario } from './scenarios.js';

const PASSING = [
  { recordings: 1 },
  { recording: 1, preRollSeconds: 0.65, tolerance: 0.002, stopReason: 'button', frames: 31 },
  { at: 3, led: 'record', color: 'red' },
  { noFrameDrops: true },
];

describe('bodycam check', () => {
  it('exits 0 when every assertion passes, printing each with its measured value', async () => {
    const dir = tempDir('check-pass');
    const file = writeScenario(join(dir, 'ok.json'), tinyScenario(PASSING));
    const junit = join(dir, 'report.xml');
    const result = await runInProcess(['check', file, '--out', join(dir, 'out'), '--junit', junit, '--jobs', '1']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`PASS ok (${file}) -> ${join(dir, 'out', 'ok')}`);
    expect(lines).toContain('  PASS expect[1].preRollSeconds: recording 1 pre-roll is 0.650000 s ± 0.002000 s; measured 0.651221 s (+0.001221 s)');
    expect(lines).toContain('  PASS expect[1].frames: recording 1 holds 31 frames; measured 31 frames');
    expect(lines.at(-2)).toBe('Checked 1 scenario: 6 assertions, 6 passed, 0 failed; all passed.');
    const xml = readFileSync(junit, 'utf8');
    expect(xmlParseError(xml)).toBeNull();
    expect(countElements(xml, 'testsuite')).toBe(1);
    expect(countElements(xml, 'testcase')).toBe(6);
    expect(countElements(xml, 'failure')).toBe(0);
    expect(existsSync(join(dir, 'out', 'ok', 'events.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'ok', 'timeline.png'))).toBe(true);
  });

  it('exits 1 when an assertion fails, naming the measured value; JUnit has expected vs measured', async () => {
    const dir = tempDir('check-fail');
    const good = writeScenario(join(dir, 'good.json'), tinyScenario(PASSING));
    const bad = writeScenario(join(dir, 'bad.json'), tinyScenario([{ recordings: 1 }, { recording: 1, preRollSeconds: 1, tolerance: 0.01 }, { at: 2, led: 'record', color: 'red' }]));
    const junit = join(dir, 'report.xml');
    const result = await runInProcess(['check', bad, good, '--out', join(dir, 'out'), '--junit', junit, '--jobs', '1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('bodycam: 2 of 9 assertions failed\n');
    expect(result.stdout).toContain('  FAIL expect[1].preRollSeconds: recording 1 pre-roll is 1.000000 s ± 0.010000 s; measured 0.651221 s (-0.348779 s)\n');
    expect(result.stdout).toContain('  FAIL expect[2]: record LED red at 2.000000 s; measured off (since 0.000000 s)\n');
    // input order: bad first, then good
    expect(result.stdout.indexOf('FAIL bad')).toBeLessThan(result.stdout.indexOf('PASS good'));
    const xml = readFileSync(junit, 'utf8');
    expect(xmlParseError(xml)).toBeNull();
    expect(countElements(xml, 'testsuite')).toBe(2);
    expect(countElements(xml, 'failure')).toBe(2);
    expect(xml).toContain('<failure message="expected 1.000000 s ± 0.010000 s, measured 0.651221 s (-0.348779 s)" type="expectation">');
    expect(xml).toContain('<testsuites name="bodycam check" tests="9" failures="2" errors="0">');
  });

  it('exits 2 on a bad expectation with one line naming expect[i].key, and writes nothing', async () => {
    const dir = tempDir('check-bad');
    const good = writeScenario(join(dir, 'good.json'), tinyScenario(PASSING));
    const typo = writeScenario(join(dir, 'typo.json'), tinyScenario([{ recording: 1, preRollSecs: 1 }]));
    const out = join(dir, 'out');
    const result = await runInProcess(['check', good, typo, '--out', out, '--junit', join(dir, 'r.xml')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^bodycam: .*typo\.json: expect\[0\]\.preRollSecs: expected only the keys recording, preRollSeconds, .*found unknown key "preRollSecs" \(did you mean "preRollSeconds"\?\)\n$/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'r.xml'))).toBe(false);
  });

  it('exits 2 for an expectation time past the fixture end and for bad options', async () => {
    const dir = tempDir('check-usage');
    const late = writeScenario(join(dir, 'late.json'), tinyScenario([{ at: 30, led: 'record', color: 'red' }]));
    const lateResult = await runInProcess(['check', late, '--out', join(dir, 'out')]);
    expect(lateResult.status).toBe(2);
    expect(lateResult.stderr).toContain('late.json: expect[0].at: expected a time before the end of fixture "jitter-drops"');
    expect((await runInProcess(['check', late, '--jobs', '0'])).stderr).toBe('bodycam: --jobs: expected a whole number of parallel runs from 1, got "0"\n');
    expect((await runInProcess(['check', late, '--shard', '3/2'])).stderr).toContain('--shard: expected <index>/<count> with 1 <= index <= count');
    expect((await runInProcess(['check'])).status).toBe(2);
  });

  it('checks --junit before running anything: a folder is exit 2 at once; a missing folder is made', async () => {
    const dir = tempDir('check-junit');
    const file = writeScenario(join(dir, 's.json'), tinyScenario(PASSING));
    const intoFolder = await runInProcess(['check', file, '--out', join(dir, 'out1'), '--junit', dir]);
    expect(intoFolder.status).toBe(2);
    expect(intoFolder.stderr).toBe(`bodycam: --junit: expected a file to write, got the folder ${dir}\n`);
    expect(existsSync(join(dir, 'out1'))).toBe(false);
    const nested = join(dir, 'reports', 'ci', 'junit.xml');
    const made = await runInProcess(['check', file, '--out', join(dir, 'out2'), '--junit', nested, '--jobs', '1']);
    expect(made.status).toBe(0);
    expect(xmlParseError(readFileSync(nested, 'utf8'))).toBeNull();
  });

  it('says so when its shard holds none of the scenarios, and exits 0', async () => {
    const dir = tempDir('check-empty-shard');
    const files = ['a', 'b', 'c', 'd'].map((name) => writeScenario(join(dir, `${name}.json`), tinyScenario(PASSING)));
    // vitest's split: shards of ceil(4 / 3) = 2 files, so shard 3 of 3 is empty whatever the hashes
    const result = await runInProcess(['check', ...files, '--shard', '3/3', '--out', join(dir, 'out')]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('bodycam: shard 3/3 holds none of the 4 scenarios (vitest\'s split); nothing to check\n');
    const run = await runInProcess(['run', '--scenario', files[0] as string, '--scenario', files[1] as string, '--scenario', files[2] as string, '--scenario', files[3] as string, '--shard', '3/3', '--out', join(dir, 'run')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('bodycam: shard 3/3 holds none of the 4 scenarios (vitest\'s split); nothing to run\n');
  });

  it('says so when a scenario has no expectations, and passes', async () => {
    const dir = tempDir('check-none');
    const file = writeScenario(join(dir, 'none.json'), tinyScenario([]));
    const result = await runInProcess(['check', file, '--out', join(dir, 'out'), '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { format: string; passed: boolean; scenarios: { name: string; results: unknown[] }[] };
    expect(report).toMatchObject({ format: 'bodycam-check/1', passed: true, scenarios: [{ name: 'none', results: [] }] });
  });
});
