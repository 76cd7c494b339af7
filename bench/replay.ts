/**
 * `npm run bench:replay`: replays the bundled fixture with its scenario several times and prints
 * the median real-time factor (fixture time / wall time), as JSON. Each run writes to a fresh
 * temporary folder. BENCH_RUNS sets the number of runs (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../src/sim/run-job.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const samples: { wallMs: number; fixtureUs: number; frames: number }[] = [];
for (let i = 0; i < runs; i += 1) {
  const outDir = mkdtempSync(join(tmpdir(), 'bodycam-bench-replay-'));
  const started = performance.now();
  const result = await runJob({ outDir });
  const wallMs = performance.now() - started;
  samples.push({ wallMs, fixtureUs: result.endUs, frames: result.framesReplayed });
  rmSync(outDir, { recursive: true, force: true });
}
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const wallMs = median(samples.map((s) => s.wallMs));
const first = samples[0];
console.log(JSON.stringify({
  bench: 'replay-bundled',
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  runs,
  frames: first?.frames,
  fixtureSeconds: (first?.fixtureUs ?? 0) / 1e6,
  wallMsMedian: Math.round(wallMs),
  wallMsAll: samples.map((s) => Math.round(s.wallMs)),
  realTimeFactorMedian: Number((((first?.fixtureUs ?? 0) / 1000) / wallMs).toFixed(2)),
  msPerFrameMedian: Number((wallMs / (first?.frames ?? 1)).toFixed(3)),
}, null, 2));
