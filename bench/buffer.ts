/**
 * `npm run bench:buffer`: push+evict throughput of the pre-record buffer on metadata-sized frames,
 * and RSS over one simulated hour of 720p30-sized frames (after a JIT warm-up, and cold). Prints one
 * JSON document with the median of several runs (and every run). Targets (issue 3):
 * >= 1 000 000 push+evict/s, RSS growth < 5 MB. BENCH_RUNS and BENCH_RSS_RUNS set the run counts.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PreRecordBuffer } from '../src/buffer/index.js';

const THROUGHPUT_RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RSS_RUNS = Number(process.env.BENCH_RSS_RUNS ?? 5);
const PUSHES = 2_000_000;
const PAYLOAD = new Uint8Array(32).fill(7);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Workload {
  readonly name: string;
  readonly what: string;
  /** Runs PUSHES pushes on a fresh buffer; returns the elapsed ms and the evictions, for the record. */
  run(): { ms: number; evicted: number };
}

/** 30 fps video, 30 s window: in steady state every push evicts the frame that left the window. */
function timeEviction(api: 'push' | 'pushRaw'): Workload {
  return {
    name: `time-eviction-${api}`,
    what: `${api}() of 32-byte frames at 30 fps, 30 s window: each push evicts one frame by time`,
    run() {
      const buffer = new PreRecordBuffer({ bufferBytes: 1 << 20, preRecordUs: 30_000_000, slotCount: 2048 });
      const input = { kind: 'video' as const, captureUs: 0, durationUs: 33_333, keyframe: true, payload: PAYLOAD, sampleCount: 0 };
      const start = performance.now();
      for (let i = 0; i < PUSHES; i += 1) {
        const t = Math.floor((i * 1_000_000) / 30);
        if (api === 'push') {
          input.captureUs = t;
          if (!buffer.push(input, t).ok) throw new Error('push failed');
        } else if (buffer.pushRaw('video', t, 33_333, true, PAYLOAD, 0, t) < 0) throw new Error('push failed');
      }
      return { ms: performance.now() - start, evicted: buffer.stats().evictions.total };
    },
  };
}

/** A 4 KiB arena that holds 128 frames: every push evicts the oldest for bytes. */
function byteEviction(): Workload {
  return {
    name: 'byte-eviction-pushRaw',
    what: 'pushRaw() of 32-byte frames into a 4 KiB arena: each push evicts one frame for bytes (wrapping)',
    run() {
      const buffer = new PreRecordBuffer({ bufferBytes: 4096, preRecordUs: 1e12, slotCount: 2048 });
      const start = performance.now();
      for (let i = 0; i < PUSHES; i += 1) if (buffer.pushRaw('video', i, 0, true, PAYLOAD, 0, i) < 0) throw new Error('push failed');
      return { ms: performance.now() - start, evicted: buffer.stats().evictions.total };
    },
  };
}

/** GOPs of 30 frames with 20 ms audio chunks interleaved: whole units (~80 entries) go at once. */
function gopWithAudio(): Workload {
  return {
    name: 'gop30-audio-pushRaw',
    what: 'pushRaw() of 32-byte frames at 30 fps in GOPs of 30, plus 20 ms audio chunks; time eviction by GOP unit',
    run() {
      const buffer = new PreRecordBuffer({ bufferBytes: 1 << 20, preRecordUs: 30_000_000, slotCount: 8192 });
      let pushed = 0;
      let frame = 0;
      let audioUs = 0;
      const start = performance.now();
      while (pushed < PUSHES) {
        const t = Math.floor((frame * 1_000_000) / 30);
        while (audioUs + 20_000 <= t) {
          if (buffer.pushRaw('audio', audioUs, 20_000, true, PAYLOAD, 320, audioUs + 20_000) < 0) throw new Error('push failed');
          audioUs += 20_000;
          pushed += 1;
        }
        if (buffer.pushRaw('video', t, 33_333, frame % 30 === 0, PAYLOAD, 0, t) < 0) throw new Error('push failed');
        frame += 1;
        pushed += 1;
      }
      return { ms: performance.now() - start, evicted: buffer.stats().evictions.total };
    },
  };
}

function measureThroughput(workload: Workload) {
  workload.run(); // warm-up: JIT and caches
  const runs = Array.from({ length: THROUGHPUT_RUNS }, () => workload.run());
  const opsPerSecond = runs.map((r) => Math.round((PUSHES / r.ms) * 1000));
  return { name: workload.name, what: workload.what, pushes: PUSHES, medianOpsPerSecond: median(opsPerSecond), runsOpsPerSecond: opsPerSecond, evictedPerRun: runs[0]!.evicted };
}

/** Runs the one-hour RSS simulation `runs` times, each in a fresh process, and takes medians. */
function measureRss(runs: number, warmup: boolean) {
  const script = fileURLToPath(new URL('./buffer-rss.ts', import.meta.url));
  const results = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_NO_WARMUP: warmup ? '0' : '1' },
    });
    return JSON.parse(out) as Record<string, number> & { minuteSamplesMB: number[] };
  });
  const pick = (key: string) => median(results.map((r) => r[key] as number));
  const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
  return {
    warmup,
    medianMB: {
      beforeBuffer: mb(pick('beforeBuffer')),
      start: mb(pick('afterConstruct')),
      afterFirstMinute: mb(pick('afterFirstMinute')),
      end: mb(pick('end')),
      peakSampled: mb(pick('peakSampled')),
      peakProcess: mb(pick('peakProcess')),
      growth: mb(pick('growthSinceConstruct')),
      peakOverStart: mb(median(results.map((r) => r.peakSampled! - r.afterConstruct!))),
      heapUsedGrowth: mb(pick('heapUsedGrowth')),
    },
    runsGrowthMB: results.map((r) => mb(r.growthSinceConstruct!)),
    runs: results,
  };
}

const throughput = [timeEviction('push'), timeEviction('pushRaw'), byteEviction(), gopWithAudio()].map(measureThroughput);
const rss = {
  what: '108 000 frames of 90-110 kB at 30 fps (one simulated hour), 128 MiB arena, 30 s window, a 60 s recording drained at 20 MB/s every 10 min; start = RSS once the buffer is constructed (arena committed)',
  warm: measureRss(RSS_RUNS, true),
  cold: measureRss(Math.max(1, RSS_RUNS - 2), false),
};
const worstOps = Math.min(...throughput.map((t) => t.medianOpsPerSecond));
process.stdout.write(`${JSON.stringify({
  machine: { cpus: availableParallelism(), node: process.version },
  throughput,
  rssHour: rss,
  targets: {
    opsPerSecond: { target: 1_000_000, worstMedian: worstOps, met: worstOps >= 1_000_000 },
    rssGrowthMB: { target: 5, medianWarm: rss.warm.medianMB.growth, medianCold: rss.cold.medianMB.growth, met: rss.warm.medianMB.growth < 5 },
  },
}, null, 2)}\n`);
