/**
 * `npm run bench:check`: `bodycam check` on 8 scenarios with `--jobs 1` and `--jobs 2`, through the
 * built CLI, alternating the two so that load from elsewhere hits both alike. Reports the median
 * wall time of each, the speed-up, and whether the two wrote byte-identical outputs. Then (unless
 * BENCH_SWEEP=0) a sweep of the frames each of 2 workers encodes at once, through the library.
 * Prints one JSON document.
 *
 * BENCH_FIXTURE: `bundled` (default: fixtures/street-warning, 75 s of 640x360 at 15 fps) or
 * `small` (a generated 20 s, 320x180, 15 fps fixture). BENCH_REPEATS: runs of each (default 3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFixture } from '../test/helpers/make-fixture.js';
import { hashTree } from '../test/helpers/tools.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'bodycam.js');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const FIXTURE_KIND = process.env.BENCH_FIXTURE ?? 'bundled';
const SCENARIOS = 8;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function fixtureDir(work: string): Promise<{ dir: string; seconds: number }> {
  if (FIXTURE_KIND === 'bundled') return { dir: join(ROOT, 'fixtures', 'street-warning'), seconds: 75 };
  const fixture = await makeFixture({ dir: join(work, 'fixture'), fps: 15, frames: 300, width: 320, height: 180, audio: { sampleRate: 16_000, seconds: 20 } });
  return { dir: fixture.dir, seconds: 20 };
}

/** Eight scenarios: record pressed at different times, stopped by a 3.5 s hold, each with expectations. */
function writeScenarios(work: string, fixture: string, seconds: number): string[] {
  return Array.from({ length: SCENARIOS }, (_, i) => {
    const start = Math.round((seconds * (0.3 + 0.04 * i)) * 1000) / 1000;
    const stop = Math.round((seconds * 0.8) * 1000) / 1000;
    const file = join(work, `scenario-${i + 1}.json`);
    writeFileSync(file, JSON.stringify({
      format: 'bodycam-scenario/1',
      fixture,
      device: { preRecordSeconds: Math.min(30, Math.floor(seconds / 3)) },
      events: [{ at: start, press: 'record' }, { at: stop, press: 'record', hold: 3.5 }],
      expect: [{ recordings: 1 }, { recording: 1, stopReason: 'button' }, { noFrameDrops: true }],
    }, null, 2));
    return file;
  });
}

function timeCheck(scenarios: readonly string[], jobs: number, out: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, 'check', ...scenarios, '--jobs', String(jobs), '--out', out], { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`bodycam check --jobs ${jobs} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return ms;
}

/** Two workers, each encoding `encodeConcurrency` frames at once, through the library (dist). */
function sweep(scenarios: readonly string[], work: string): { encodeConcurrency: number; wallMs: number }[] {
  const script = `
    import { runJobs } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
    const [conc, out, ...files] = process.argv.slice(1);
    const started = performance.now();
    const outcomes = await runJobs(files.map((scenarioFile, i) => ({ scenarioFile, outDir: out + '/' + i })), { jobs: 2, encodeConcurrency: Number(conc) });
    const failed = outcomes.find((o) => !o.ok);
    if (failed !== undefined) throw new Error('a run failed: ' + failed.error.message);
    console.log(performance.now() - started);`;
  return [1, 2, 4].map((encodeConcurrency) => {
    const times = Array.from({ length: REPEATS }, (_, r) => Number(execFileSync(process.execPath,
      ['--input-type=module', '-e', script, String(encodeConcurrency), join(work, `sweep-${encodeConcurrency}-${r}`), ...scenarios], { encoding: 'utf8' }).trim()));
    return { encodeConcurrency, wallMs: Math.round(median(times)) };
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bodycam-bench-check-'));
  const fixture = await fixtureDir(work);
  const scenarios = writeScenarios(work, fixture.dir, fixture.seconds);
  const load = [loadavg()[0]];
  timeCheck(scenarios.slice(0, 1), 1, join(work, 'warm-up'));
  const runs: Record<'1' | '2', number[]> = { 1: [], 2: [] };
  for (let r = 0; r < REPEATS; r += 1) {
    const order = r % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const);
    for (const jobs of order) runs[jobs].push(Math.round(timeCheck(scenarios, jobs, join(work, `jobs-${jobs}-${r}`))));
  }
  load.push(loadavg()[0]);
  const reference = hashTree(join(work, 'jobs-1-0'));
  const identical = Array.from({ length: REPEATS }, (_, r) => [1, 2].every((jobs) => JSON.stringify(hashTree(join(work, `jobs-${jobs}-${r}`))) === JSON.stringify(reference))).every(Boolean);
  const one = median(runs[1]);
  const two = median(runs[2]);
  const report = {
    bench: 'check --jobs',
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1m: load.map((l) => Math.round((l ?? 0) * 100) / 100) },
    fixture: { kind: FIXTURE_KIND, dir: fixture.dir, seconds: fixture.seconds },
    scenarios: SCENARIOS,
    repeats: REPEATS,
    jobs1: { medianMs: Math.round(one), runsMs: runs[1] },
    jobs2: { medianMs: Math.round(two), runsMs: runs[2] },
    speedup: Math.round((one / two) * 100) / 100,
    identicalOutputs: identical,
    files: Object.keys(reference).length,
    encodeConcurrencySweep: process.env.BENCH_SWEEP === '0' ? null : sweep(scenarios, work),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
