/**
 * One simulated hour of 720p30-sized frames (~100 kB, 108 000 frames) through the pre-record
 * buffer at the device's defaults (128 MiB arena, 30 s window), with a 60 s recording drained at
 * 20 MB/s every ten minutes. Prints one JSON line of RSS figures (bytes), sampled after a full GC:
 * before the buffer exists, once it is constructed (its arena committed), every simulated minute,
 * and at the end. Run by bench/buffer.ts
 * in a fresh process with --expose-gc, so each measurement starts from a clean heap.
 */
import { PreRecordBuffer, StorageDrain, suggestedSlotCount } from '../src/buffer/index.js';

const FPS = 30;
const FRAMES = 3600 * FPS;
const PRE_RECORD_US = 30_000_000;
const BUFFER_BYTES = 128 * 1024 * 1024;
const RECORD_EVERY_US = 600_000_000;
const RECORD_FOR_US = 60_000_000;

const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rss = (): number => {
  collect();
  return process.memoryUsage().rss;
};

const beforeBuffer = rss();
const buffer = new PreRecordBuffer({
  bufferBytes: BUFFER_BYTES,
  preRecordUs: PRE_RECORD_US,
  slotCount: suggestedSlotCount({ preRecordUs: PRE_RECORD_US, videoFps: FPS, audioChunkUs: null }),
});
const drain = new StorageDrain();
const afterConstruct = rss();
const heapAfterConstruct = process.memoryUsage().heapUsed;
let written = 0;
const source = new Uint8Array(110_000).map((_, i) => (i * 31) & 0xff);
// 97 frame sizes from 90 to 110 kB, as views made once: the harness itself allocates nothing per frame.
const payloads = Array.from({ length: 97 }, (_, k) => source.subarray(0, 90_000 + ((k * 7_919) % 20_001)));
const onWritten = (): 'continue' => {
  written += 1;
  return 'continue';
};

let reader: ReturnType<PreRecordBuffer['openReader']> | undefined;
let stopUs = 0;
let nextRecordUs = RECORD_EVERY_US;
let recordings = 0;
let afterFirstMinute = 0;
let peakSampled = 0;
const samples: number[] = [];
for (let i = 0; i < FRAMES; i += 1) {
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
    nextRecordUs += RECORD_EVERY_US;
    const selection = buffer.selectPreRoll({ triggerUs: nowUs, overlap: 'allow', previousLastFrameUs: null });
    reader = buffer.openReader(selection.startSeq ?? buffer.nextSeq, nowUs);
    stopUs = nowUs + RECORD_FOR_US;
    recordings += 1;
  }
  const result = buffer.pushRaw('video', nowUs, 33_333, true, payloads[i % payloads.length]!, 0, nowUs);
  if (result < 0) throw new Error(`push ${i} failed: ${buffer.lastPushFailure}`);
  if ((i + 1) % (60 * FPS) === 0) {
    const sample = rss();
    samples.push(sample);
    peakSampled = Math.max(peakSampled, sample);
    if (afterFirstMinute === 0) afterFirstMinute = sample;
  }
}
const end = rss();
const heapEnd = process.memoryUsage().heapUsed;
const stats = buffer.stats();
process.stdout.write(`${JSON.stringify({
  frames: FRAMES,
  beforeBuffer,
  afterConstruct,
  afterFirstMinute,
  end,
  peakSampled,
  peakProcess: process.resourceUsage().maxRSS * 1024,
  growthSinceConstruct: end - afterConstruct,
  growthAfterFirstMinute: end - afterFirstMinute,
  heapUsedGrowth: heapEnd - heapAfterConstruct,
  minuteSamplesMB: samples.map((sample) => Math.round((sample - afterConstruct) / 1e5) / 10),
  recordings,
  recordedFrames: written,
  buffer: { occupancyBytes: stats.occupancyBytes, occupancyUs: stats.occupancyUs, highWaterBytes: stats.highWaterBytes, drops: stats.drops, evictions: stats.evictions },
})}\n`);
