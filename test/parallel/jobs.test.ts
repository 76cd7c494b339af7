/**
 * Parallel runs from the built CLI (workers load dist/parallel/worker.js): `--jobs 2` writes the
 * same bytes and prints the same report as `--jobs 1`; shards partition the scenarios; a run that
 * fails in a worker is reported and the others finish. Needs `npm run build` (npm test does it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { hashTree, tempDir } from '../helpers/tools.js';
import { tinyScenario, writeScenario } from '../check/scenarios.js';

let dir: string;
let scenarios: string[];

beforeAll(() => {
  dir = tempDir('jobs');
  scenarios = [
    writeScenario(join(dir, 'street', 'scenario.json'), tinyScenario([{ recordings: 1 }, { recording: 1, stopReason: 'button' }])),
    writeScenario(join(dir, 'park', 'scenario.json'), tinyScenario([{ recordings: 1 }, { recording: 1, frames: 3 }], 1.2, 3.5)),
    writeScenario(join(dir, 'late.json'), tinyScenario([{ at: 4.2, led: 'record', color: 'red' }], 3.9, 4.4)),
    writeScenario(join(dir, 'early.json'), tinyScenario([{ noFrameDrops: true }], 0.2, 1.0)),
  ];
});

describe('--jobs', () => {
  it('check: --jobs 2 gives the same outputs and report as --jobs 1', () => {
    const one = runCli(['check', ...scenarios, '--jobs', '1', '--out', join(dir, 'check-1'), '--junit', join(dir, 'check-1.xml')]);
    const two = runCli(['check', ...scenarios, '--jobs', '2', '--out', join(dir, 'check-2'), '--junit', join(dir, 'check-2.xml')]);
    expect(one.status).toBe(1); // the park scenario expects 3 frames
    expect(two.status).toBe(1);
    expect(two.stdout.replaceAll(join(dir, 'check-2'), 'OUT')).toBe(one.stdout.replaceAll(join(dir, 'check-1'), 'OUT'));
    expect(readFileSync(join(dir, 'check-2.xml'), 'utf8')).toBe(readFileSync(join(dir, 'check-1.xml'), 'utf8'));
    const files = hashTree(join(dir, 'check-1'));
    expect(Object.keys(files).filter((f) => f.endsWith('events.jsonl')).sort()).toEqual([
      'early/events.jsonl', 'late/events.jsonl', 'park-scenario/events.jsonl', 'street-scenario/events.jsonl',
    ]);
    expect(Object.keys(files).filter((f) => f.endsWith('.mkv'))).toHaveLength(4);
    expect(hashTree(join(dir, 'check-2'))).toEqual(files);
  });

  it('run: several --scenario go to OUT/<name>/, the same whatever --jobs', () => {
    const args = scenarios.flatMap((file) => ['--scenario', file]);
    const one = runCli(['run', ...args, '--jobs', '1', '--out', join(dir, 'run-1'), '--json']);
    const two = runCli(['run', ...args, '--jobs', '2', '--out', join(dir, 'run-2'), '--json']);
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    const summary = JSON.parse(one.stdout) as { runs: { outDir: string }[]; recordings: unknown[] };
    expect(summary.runs.map((r) => relative(join(dir, 'run-1'), r.outDir))).toEqual(['street-scenario', 'park-scenario', 'late', 'early']);
    expect(summary.recordings).toHaveLength(4);
    expect(two.stdout.replaceAll(join(dir, 'run-2'), 'OUT')).toBe(one.stdout.replaceAll(join(dir, 'run-1'), 'OUT'));
    expect(hashTree(join(dir, 'run-2'))).toEqual(hashTree(join(dir, 'run-1')));
    // each folder is what a single run of that scenario writes
    const single = runCli(['run', '--scenario', scenarios[2] as string, '--out', join(dir, 'single')]);
    expect(single.status).toBe(0);
    expect(hashTree(join(dir, 'single'))).toEqual(Object.fromEntries(Object.entries(hashTree(join(dir, 'run-1'))).flatMap(([f, h]) => (f.startsWith('late/') ? [[f.slice(5), h]] : []))));
  });

  it('--shard 1/2 and 2/2 partition the scenarios and keep their folders', () => {
    const first = runCli(['check', ...scenarios, '--shard', '1/2', '--jobs', '2', '--out', join(dir, 'shards'), '--json']);
    const second = runCli(['check', ...scenarios, '--shard', '2/2', '--jobs', '2', '--out', join(dir, 'shards'), '--json']);
    const names = (stdout: string) => (JSON.parse(stdout) as { scenarios: { name: string }[] }).scenarios.map((s) => s.name);
    const a = names(first.stdout);
    const b = names(second.stdout);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect([...a, ...b].sort()).toEqual(['early', 'late', 'park-scenario', 'street-scenario']);
    expect(readdirSync(join(dir, 'shards')).sort()).toEqual(['early', 'late', 'park-scenario', 'street-scenario']);
  });

  it('runs workers from a library caller started with node --input-type=module -e', () => {
    const script = `
      import { runJobs } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
      const files = JSON.parse(process.argv[1]);
      const outcomes = await runJobs(files.map((scenarioFile, i) => ({ scenarioFile, outDir: process.argv[2] + '/' + i })), { jobs: 2 });
      console.log(JSON.stringify(outcomes.map((o) => (o.ok ? o.result.recordings.length : o.error.message))));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(scenarios.slice(0, 2)), join(dir, 'library')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([1, 1]);
  });

  it('check refuses an --out whose scenario folder is a file before any scenario runs (exit 2, naming it)', () => {
    const out = join(dir, 'broken');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'late'), 'a file where the scenario\'s folder should go');
    const result = runCli(['check', ...scenarios, '--jobs', '2', '--out', out, '--junit', join(dir, 'broken.xml')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(join(out, 'late'));
    expect(readdirSync(out)).toEqual(['late']);
  });

  it('a job that fails in a worker is reported with its error; the others still run', () => {
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked, { recursive: true });
    writeFileSync(join(blocked, '2'), 'a file where the job\'s folder should go');
    const script = `
      import { runJobs } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
      const files = JSON.parse(process.argv[1]);
      const outcomes = await runJobs(files.map((scenarioFile, i) => ({ scenarioFile, outDir: process.argv[2] + '/' + i })), { jobs: 2 });
      console.log(JSON.stringify(outcomes.map((o) => (o.ok ? o.result.recordings.length : o.error.code))));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(scenarios), blocked], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([1, 1, 'bad-input', 1]);
  });
});
