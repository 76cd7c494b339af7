/**
 * One simulated hour of 720p30-sized frames (~100 kB, 108 000 frames) through the pre-record
 * buffer at the device's defaults (128 MiB arena, 30 s window), with a 60 s recording drained at
 * 20 MB/s every ten minutes. Prints one JSON line of memory figures (bytes), each sampled after a
 * full GC: before the buffer exists, once it is constructed (its arena committed), every simulated
 * minute, and at the end. Run by bench/buffer.ts in a fresh process with --expose-gc.
 *
 * A warm-up first runs the same code for three simulated minutes on a small buffer (2 s window,
 * 16 MiB), so that the one-time JIT compilation of the push, eviction, selection and drain paths
 * is not counted as growth of the measured hour; `BENCH_NO_WARMUP=1` skips it.
 */
import { PreRecordBuffer, StorageDrain, suggestedSlotCount } from '../src/buffer/index.js';

const FPS = 30;
const PRE_RECORD_US = 30_000_000;

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = (): number => {
  collect();
  return process.memoryUsage().rss;
};

const source = new Uint8Array(110_000).map((_, i) => (i * 31) & 0xff);
// 97 frame sizes from 90 to 110 kB, as views made once: the harness allocates nothing per frame.
const payloads = Array.from({ length: 97 }, (_, k) => source.subarray(0, 90_000 + ((k * 7_919) % 20_001)));

interface HourPlan {
  readonly frames: number;
  readonly recordEveryUs: number;
  readonly recordForUs: number;
  /** Called after each simulated minute. */
  readonly onMinute: () => void;
}

/** Pushes `frames` frames at 30 fps with periodic recordings; returns how many recordings and frames were written. */
function simulate(buffer: PreRecordBuffer, plan: HourPlan): { recordings: number; written: number } {
  const drain = new StorageDrain();
  let written = 0;
  const onWritten = (): 'continue' => {
    written += 1;
    return 'continue';
  };
  let reader: ReturnType<PreRecordBuffer['openReader']> | undefined;
  let stopUs = 0;
  let nextRecordUs = plan.recordEveryUs;
  let recordings = 0;
  for (let i = 0; i < plan.frames; i += 1) {
    const nowUs = Math.round((i * 1_000_000) / FPS);
    if (reader !== undefined) {
      drain.drainUntil(reader, nowUs, onWritten);
      if (nowUs >= stopUs && reader.endSeq === Infinity) reader.stopAt(buffer.nextSeq);
      if (reader.peek() === undefined && reader.endSeq !== Infinity) {
        reader.close();
        reader = undefined;
      }
    }
    if (reader === undefined && nowUs >= nextRecordUs) {
      nextRecordUs += plan.recordEveryUs;
      const selection = buffer.selectPreRoll({ triggerUs: nowUs, overlap: 'allow', previousLastFrameUs: null });
      reader = buffer.openReader(selection.startSeq ?? buffer.nextSeq, nowUs);
      stopUs = nowUs + plan.recordForUs;
      recordings += 1;
    }
    if (buffer.pushRaw('video', nowUs, 33_333, true, payloads[i % payloads.length]!, 0, nowUs) < 0) {
      throw new Error(`push ${i} failed: ${buffer.lastPushFailure}`);
    }
    if ((i + 1) % (60 * FPS) === 0) plan.onMinute();
  }
  return { recordings, written };
}

const slotCount = suggestedSlotCount({ preRecordUs: PRE_RECORD_US, videoFps: FPS, audioChunkUs: null });
if (process.env.BENCH_NO_WARMUP !== '1') {
  const warmup = new PreRecordBuffer({ bufferBytes: 16 * 1024 * 1024, preRecordUs: 2_000_000, slotCount });
  simulate(warmup, { frames: 180 * FPS, recordEveryUs: 20_000_000, recordForUs: 2_000_000, onMinute: () => rss() });
}

const beforeBuffer = rss();
const buffer = new PreRecordBuffer({ bufferBytes: 128 * 1024 * 1024, preRecordUs: PRE_RECORD_US, slotCount, commitMemory: true });
const afterConstruct = rss();
const heapAfterConstruct = process.memoryUsage().heapUsed;
const samples: number[] = [];
const outcome = simulate(buffer, {
  frames: 3600 * FPS,
  recordEveryUs: 600_000_000,
  recordForUs: 60_000_000,
  onMinute: () => samples.push(rss()),
});
const end = rss();
const heapEnd = process.memoryUsage().heapUsed;
const stats = buffer.stats();
process.stdout.write(`${JSON.stringify({
  frames: 3600 * FPS,
  warmup: process.env.BENCH_NO_WARMUP !== '1',
  beforeBuffer,
  afterConstruct,
  afterFirstMinute: samples[0],
  end,
  peakSampled: Math.max(afterConstruct, ...samples, end),
  peakProcess: process.resourceUsage().maxRSS * 1024,
  growthSinceConstruct: end - afterConstruct,
  growthAfterFirstMinute: end - samples[0]!,
  heapUsedGrowth: heapEnd - heapAfterConstruct,
  minuteSamplesMB: samples.map((sample) => Math.round((sample - afterConstruct) / 1e5) / 10),
  recordings: outcome.recordings,
  recordedFrames: outcome.written,
  buffer: { occupancyBytes: stats.occupancyBytes, occupancyUs: stats.occupancyUs, highWaterBytes: stats.highWaterBytes, drops: stats.drops, evictions: stats.evictions },
})}\n`);
