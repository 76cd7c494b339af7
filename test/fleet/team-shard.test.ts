/**
 * Splitting one team scenario by camera (issue 18, scale): `bodycam run TEAM.json --shard i/n`
 * writes, in each shard's `devices/<id>/`, the very bytes of the unsplit run's folder, and
 * `--jobs N` (the cameras over N worker threads in one process) writes every file, the team's
 * included (bus.jsonl, the team timeline, run.json), and prints the `--json`, exit code and
 * `check` results of `--jobs 1`, although signals and a cancel cross the slices (every slice plans
 * the bus from the scenario; a slice runs its groups' senders too, as shadows). The frame cache on
 * or off changes no byte.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TINY_FIXTURE } from '../check/scenarios.js';
import { runCli } from '../helpers/cli.js';
import { hashTree, tempDir } from '../helpers/tools.js';

interface Cli { status: number; stdout: string; stderr: string }

async function bodycam(...args: string[]): Promise<Cli> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (t: string) => void) => ({ write: (t: string) => { append(t); return true; } }) as unknown as NodeJS.WritableStream;
  const status = await main(['node', 'bodycam', ...args], { stdout: sink((t) => { stdout += t; }), stderr: sink((t) => { stderr += t; }) });
  return { status, stdout, stderr };
}

/** A CLI's stdout with the run's output folder written as OUT, to compare runs into different folders. */
const samePaths = (text: string, outDir: string): string => text.split(outDir).join('OUT');

const IDS = ['CAM-A', 'CAM-B', 'CAM-C', 'CAM-D', 'CAM-E', 'CAM-F'];
const SHORT_FIXTURE = join(TINY_FIXTURE, '..', 'stereo-png');
let dir: string;
let scenarioFile: string;
let whole: Cli;
let jobs2: Cli;
let cold: Cli;

beforeAll(async () => {
  dir = tempDir('team-shard');
  const fixture = relative(dir, TINY_FIXTURE);
  scenarioFile = join(dir, 'team.json');
  // A sends at 1.5 s and its officer cancels it (a record press within the cancel window): the cancel reaches
  // D in another slice (--jobs 2 and --shard i/2: A B C | D E F), and F, whose own, shorter
  // fixture (2 s) has ended by then, drops it. E (team-2) sends at 2.2 s to nobody but itself.
  writeFileSync(scenarioFile, JSON.stringify({
    format: 'bodycam-scenario/1',
    device: { preRecordSeconds: 1 },
    triggerBus: { latencyMs: 300 },
    devices: IDS.map((id, i) => ({
      id, fixture: id === 'CAM-F' ? relative(dir, SHORT_FIXTURE) : fixture, group: id === 'CAM-E' ? 'team-2' : 'team-1',
      ...(id === 'CAM-B' ? { clockOffsetMs: -86_400_000 } : {}), ...(i === 3 ? { clockOffsetMs: 86_400_000 } : {}),
    })),
    events: [
      { at: 1.5, device: 'CAM-A', signal: 'holster' },
      { at: 2.2, device: 'CAM-E', signal: 'taser' },
      { at: 2.5, device: 'CAM-A', press: 'record', hold: 1.2 },
      { at: 3.0, device: 'CAM-B', press: 'record' },
    ],
    expect: [
      { devices: { group: 'team-1' }, after: { signal: 'holster' }, startedWithin: 0.5 },
      { device: 'CAM-D', recording: 1, stopReason: 'button' },
      // fails: E is in another group and never hears the holster signal
      { devices: 'all', after: { signal: 'holster' }, startedWithin: 0.5 },
    ],
  }));
  whole = await bodycam('run', scenarioFile, '--out', join(dir, 'whole'), '--json');
  // The launcher npx runs (its Node flags reach the workers), the frame cache on: cold, then warm with --jobs 2.
  const cache = { BODYCAM_FRAME_CACHE: 'on', BODYCAM_FRAME_CACHE_DIR: join(dir, 'frame-cache') };
  cold = runCli(['run', scenarioFile, '--out', join(dir, 'cold'), '--json'], { env: cache, viaNpxBin: true });
  jobs2 = runCli(['run', scenarioFile, '--jobs', '2', '--out', join(dir, 'jobs-2'), '--json'], { env: cache, viaNpxBin: true });
}, 120_000);

describe('a team split by camera', () => {
  it('runs whole, cancel crossing slices and a delivery dropped after a short fixture\'s end', () => {
    expect(whole.stderr).toBe('');
    expect(whole.status).toBe(0);
    const bus = readFileSync(join(dir, 'whole', 'bus.jsonl'), 'utf8');
    expect(bus).toMatch(/"type":"bus.deliver","message":"cancel","sender":"CAM-A","receiver":"CAM-D"/);
    expect(bus).toMatch(/"message":"cancel","sender":"CAM-A","receiver":"CAM-F",[^\n]*"dropped"/);
    const summary = JSON.parse(whole.stdout) as { devices: { id: string; recordings: { stop: { detail?: string } }[] }[] };
    expect(summary.devices.find((device) => device.id === 'CAM-D')?.recordings.map((m) => m.stop.detail)).toEqual(['cancelled']);
  });

  it('with --jobs 2 writes every file, the team\'s included, and prints the --json of --jobs 1', () => {
    expect(jobs2.stderr).toBe('');
    expect(jobs2.status).toBe(0);
    const hashes = hashTree(join(dir, 'jobs-2'));
    expect(Object.keys(hashes)).toEqual(expect.arrayContaining(['bus.jsonl', 'timeline.svg', 'timeline.png', 'run.json', join('devices', 'CAM-D', 'events.jsonl')]));
    expect(hashes).toEqual(hashTree(join(dir, 'whole')));
    expect(samePaths(jobs2.stdout, join(dir, 'jobs-2'))).toBe(samePaths(whole.stdout, join(dir, 'whole')));
  });

  it('gives the same bytes with the frame cache on (cold and warm) as off', () => {
    expect(cold.status).toBe(0);
    expect(readdirSync(join(dir, 'frame-cache')).length).toBeGreaterThan(0);
    expect(hashTree(join(dir, 'cold'))).toEqual(hashTree(join(dir, 'whole')));
  });

  it('with --shard writes, in each shard, its cameras\' folders with the unsplit run\'s bytes', async () => {
    const merged: Record<string, string> = {};
    for (const shard of ['1/2', '2/2']) {
      const out = join(dir, `shard-${shard.replace('/', '-')}`);
      const result = await bodycam('run', scenarioFile, '--shard', shard, '--out', out);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      Object.assign(merged, hashTree(join(out, 'devices')));
    }
    expect(merged).toEqual(hashTree(join(dir, 'whole', 'devices')));
    // shard 2/2 holds D, E and F: A ran as a shadow (its cancel reaches D) and left no folder
    expect(existsSync(join(dir, 'shard-2-2', 'devices', 'CAM-A'))).toBe(false);
  }, 120_000);

  it('checks the team with --jobs 2 on the bytes of --jobs 1: a failing team expectation fails (exit 1)', () => {
    const two = runCli(['check', scenarioFile, '--jobs', '2', '--out', join(dir, 'check-2'), '--json']);
    expect(two.status).toBe(1);
    const report = JSON.parse(two.stdout) as { assertions: number; failed: number; scenarios: { results: { passed: boolean; measured: string }[] }[] };
    expect(report.scenarios[0]?.results.map((result) => result.passed)).toEqual([true, true, false]);
    expect(report.scenarios[0]?.results[2]?.measured).toMatch(/CAM-E/);
    // what the results are read from: the files of the unsplit run
    expect(hashTree(join(dir, 'check-2', 'team'))).toEqual(hashTree(join(dir, 'whole')));
  }, 120_000);

  it('refuses more shards than cameras as a usage error, and bad input with --jobs before a worker starts', async () => {
    expect(await bodycam('run', scenarioFile, '--shard', '7/7', '--out', join(dir, 'x'))).toMatchObject({ status: 2 });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'bodycam-scenario/1', devices: [{ id: 'A', fixture: relative(dir, TINY_FIXTURE) }, { id: 'B', fixture: relative(dir, TINY_FIXTURE) }], events: [{ at: 1, device: 'C', signal: 'holster' }] }));
    const result = await bodycam('run', bad, '--jobs', '2', '--out', join(dir, 'y'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.json: events\[0\]\.device: expected one of the scenario's cameras/);
    expect(existsSync(join(dir, 'y'))).toBe(false);
  });
});
