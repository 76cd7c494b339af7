/**
 * `npm run bench:fleet` (issue 18, item 5): one 10-minute team scenario with 1, 6 (the pilot) and
 * 60 cameras (every officer), each camera on the same small synthetic fixture (160x90, 10 fps, no
 * audio, shared by every camera), run in its own process as `bodycam run --scenario TEAM --out
 * DIR` runs it (bench/fleet-run.mjs: the compiled runFleet, with the launcher's memory settings). For each size: wall time, CPU time (user + sys, every thread) and peak RSS (the
 * kernel's ru_maxrss at exit, bench/usage-hook.mjs), the median of BENCH_RUNS runs (default 3),
 * and the per-camera slope of each (least squares over the sizes). Memory is compared with its
 * bound: the cameras' buffers (`bufferBytes` each) plus a constant, the 1-camera run's RSS minus
 * its buffer. Prints JSON.
 *
 *   npm run bench:fleet                 sizes 1, 6, 60; 3 runs each
 *   npm run bench:fleet -- --quick      sizes 1, 6; 1 run (a smoke test of the bench itself)
 *   BENCH_SIZES=1,6,12 npm run bench:fleet
 *   BENCH_SPLIT=1 BENCH_SIZES=6,60 npm run bench:fleet
 *                                       each size also split in two: --jobs 2 (two worker threads,
 *                                       one process) and --shard 1/2 + 2/2 (two processes at once)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ClipSpec, ensureClip } from './bench-clip.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const SIZES = (process.env.BENCH_SIZES ?? (quick ? '1,6' : '1,6,60')).split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 1 : 3));
const CLIP: ClipSpec = { width: 160, height: 90, fps: 10, seconds: 600, jpegQuality: 80 };
/** Each camera's pre-record buffer: 30 s of these frames is about 1.2 MB. */
const BUFFER_BYTES = 4 * 1024 * 1024;
const GROUP_SIZE = 6;
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

/**
 * The team: cameras DRD-BC-0001.., in groups of 6 (team-1, team-2, ...). The first camera of each
 * group sends a holster signal at 100 s (+1 s per group) and a taser signal at 400 s; every camera
 * stops with a 3.5 s hold of record 60 s after each signal. Two recordings per camera.
 */
export function teamScenario(cameras: number, fixture: string): Record<string, unknown> {
  const devices = Array.from({ length: cameras }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      id: `DRD-BC-${n}`, officerId: `H-${n}`, fixture, group: `team-${Math.floor(i / GROUP_SIZE) + 1}`,
      device: { bufferBytes: BUFFER_BYTES, video: { burnIn: false } },
    };
  });
  const events: Record<string, unknown>[] = [];
  devices.forEach((device, i) => {
    const group = Math.floor(i / GROUP_SIZE);
    if (i % GROUP_SIZE === 0) {
      events.push({ at: 100 + group, device: device.id, signal: 'holster' }, { at: 400 + group, device: device.id, signal: 'taser' });
    }
    events.push({ at: 160 + group, device: device.id, press: 'record', hold: 3.5 }, { at: 460 + group, device: device.id, press: 'record', hold: 3.5 });
  });
  events.sort((a, b) => (a.at as number) - (b.at as number));
  return { format: 'bodycam-scenario/1', clock: { start: '2026-11-22T14:00:00+01:00' }, triggerBus: { latencyMs: 300 }, devices, events };
}

interface Sample {
  readonly wallMs: number;
  /** CPU time (user + sys, every thread) of every process of the run. */
  readonly cpuMs: number;
  /** The largest peak RSS of one process of the run. */
  readonly peakRssBytes: number;
  /** The processes' peak RSS added up (one process: the same). */
  readonly totalRssBytes: number;
}

/** One child (bench/fleet-run.mjs) with its usage at exit. */
async function runChild(scenarioFile: string, outDir: string, extra: readonly string[], usageFile: string): Promise<{ maxRssKiB: number; cpuMs: number }> {
  const hook = pathToFileURL(join(REPO_ROOT, 'bench', 'usage-hook.mjs')).href;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bench', 'fleet-run.mjs'), scenarioFile, outDir, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BODYCAM_BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim() },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const status = await new Promise<number | null>((done) => child.on('close', done));
  if (status !== 0) throw new Error(`the team run failed (exit ${status}): ${stderr.trim()}`);
  return JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; cpuMs: number };
}

/** One team run: one process, or (`shards`) that many processes at once, one shard each. */
async function runTeam(scenarioFile: string, extra: readonly string[], shards: number): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'bodycam-bench-fleet-'));
  try {
    const started = performance.now();
    const usages = await Promise.all(shards <= 1
      ? [runChild(scenarioFile, join(dir, 'out'), extra, join(dir, 'usage.json'))]
      : Array.from({ length: shards }, (_, i) => runChild(scenarioFile, join(dir, `out-${i + 1}`), ['--shard', `${i + 1}/${shards}`], join(dir, `usage-${i + 1}.json`))));
    const wallMs = performance.now() - started;
    return {
      wallMs,
      cpuMs: usages.reduce((sum, usage) => sum + usage.cpuMs, 0),
      peakRssBytes: Math.max(...usages.map((usage) => usage.maxRssKiB * 1024)),
      totalRssBytes: usages.reduce((sum, usage) => sum + usage.maxRssKiB * 1024, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Least-squares slope and intercept of y over x. */
function fit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

const clip = resolve(await ensureClip(CLIP, log));
const scenarioDir = join(REPO_ROOT, '.bench', 'fleet');
mkdirSync(scenarioDir, { recursive: true });
const load = [loadavg()[0] ?? 0];
interface Variant { readonly cameras: number; readonly jobs: number | null; readonly shards: number }
const split = process.env.BENCH_SPLIT === '1';
const variants: Variant[] = SIZES.flatMap((cameras) => [
  { cameras, jobs: null, shards: 1 },
  ...(split && cameras >= 2 ? [{ cameras, jobs: 2, shards: 1 }, { cameras, jobs: null, shards: 2 }] : []),
]);
const samples = new Map<string, Sample[]>();
const key = (v: Variant): string => `${v.cameras}${v.jobs === null ? '' : `-jobs${v.jobs}`}${v.shards > 1 ? `-shards${v.shards}` : ''}`;
// Rounds interleave the sizes, so a burst of load from elsewhere on the machine spreads over all of them.
for (let round = 0; round < RUNS; round += 1) {
  for (const variant of variants) {
    const file = join(scenarioDir, `team-${variant.cameras}.json`);
    writeFileSync(file, `${JSON.stringify(teamScenario(variant.cameras, relative(scenarioDir, clip)), null, 2)}\n`);
    const sample = await runTeam(file, variant.jobs === null ? [] : ['--jobs', String(variant.jobs)], variant.shards);
    log(`round ${round + 1}/${RUNS}, ${key(variant)} cameras: ${(sample.wallMs / 1000).toFixed(1)} s wall, ${(sample.cpuMs / 1000).toFixed(1)} s CPU, ${(sample.peakRssBytes / 2 ** 20).toFixed(0)} MiB peak RSS (total ${(sample.totalRssBytes / 2 ** 20).toFixed(0)} MiB)`);
    samples.set(key(variant), [...(samples.get(key(variant)) ?? []), sample]);
    load.push(loadavg()[0] ?? 0);
  }
}
const rows = variants.map((variant) => {
  const list = samples.get(key(variant)) ?? [];
  return {
    cameras: variant.cameras, jobs: variant.jobs, processes: variant.shards,
    wallSecondsMedian: Number((median(list.map((s) => s.wallMs)) / 1000).toFixed(2)),
    cpuSecondsMedian: Number((median(list.map((s) => s.cpuMs)) / 1000).toFixed(2)),
    peakRssMiBMedian: Number((median(list.map((s) => s.peakRssBytes)) / 2 ** 20).toFixed(1)),
    wallSeconds: list.map((s) => Number((s.wallMs / 1000).toFixed(2))),
    cpuSeconds: list.map((s) => Number((s.cpuMs / 1000).toFixed(2))),
    peakRssMiB: list.map((s) => Number((s.peakRssBytes / 2 ** 20).toFixed(1))),
    totalRssMiBMedian: Number((median(list.map((s) => s.totalRssBytes)) / 2 ** 20).toFixed(1)),
  };
});
const single = rows.filter((row) => row.jobs === null && row.processes === 1);
const slope = (field: 'wallSecondsMedian' | 'cpuSecondsMedian' | 'peakRssMiBMedian') => fit(single.map((row) => [row.cameras, row[field]] as const));
const smallest = single[0];
// The constant of the memory bound: the smallest run's peak RSS beyond its cameras' buffers.
const constantMiB = smallest === undefined ? 0 : smallest.peakRssMiBMedian - (smallest.cameras * BUFFER_BYTES) / 2 ** 20;
console.log(JSON.stringify({
  bench: 'fleet',
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1m: { min: Math.min(...load), max: Math.max(...load) } },
  fixture: { ...CLIP, frames: CLIP.fps * CLIP.seconds, sharedByEveryCamera: true, audio: false, burnIn: false },
  bufferBytesPerCamera: BUFFER_BYTES,
  runs: RUNS,
  rows,
  perCamera: {
    wallSeconds: Number(slope('wallSecondsMedian').slope.toFixed(3)),
    cpuSeconds: Number(slope('cpuSecondsMedian').slope.toFixed(3)),
    peakRssMiB: Number(slope('peakRssMiBMedian').slope.toFixed(2)),
  },
  memoryBound: {
    constantMiB: Number(constantMiB.toFixed(1)),
    rows: single.map((row) => ({
      cameras: row.cameras,
      boundMiB: Number((constantMiB + (row.cameras * BUFFER_BYTES) / 2 ** 20).toFixed(1)),
      peakRssMiB: row.peakRssMiBMedian,
    })),
  },
}, null, 2));
