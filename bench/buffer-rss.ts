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
const source = new Uint8Array(110_000).map((_, i) => (i * 31) & 0xff);
const frame = { kind: 'video' as const, captureUs: 0, durationUs: 33_333, keyframe: true, payload: source, sampleCount: 0 };

let reader: ReturnType<PreRecordBuffer['openReader']> | undefined;
let stopUs = 0;
let nextRecordUs = RECORD_EVERY_US;
let recordings = 0;
let written = 0;
let afterFirstMinute = 0;
let peakSampled = 0;
const samples: number[] = [];
for (let i = 0; i < FRAMES; i += 1) {
  const nowUs = Math.round((i * 1_000_000) / FPS);
  if (reader !== undefined) {
    drain.drainUntil(reader, nowUs, () => {
      written += 1;
      return 'continue';
    });
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
  frame.captureUs = nowUs;
  frame.payload = source.subarray(0, 90_000 + ((i * 7_919) % 20_001));
  const result = buffer.pushRaw(frame.kind, frame.captureUs, frame.durationUs, frame.keyframe, frame.payload, 0, nowUs);
  if (result < 0) throw new Error(`push ${i} failed: ${buffer.lastPushFailure}`);
  if ((i + 1) % (60 * FPS) === 0) {
    const sample = rss();
    samples.push(sample);
    peakSampled = Math.max(peakSampled, sample);
    if (afterFirstMinute === 0) afterFirstMinute = sample;
  }
}
const end = rss();
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
  minuteSamples: samples.length,
  recordings,
  recordedFrames: written,
  buffer: { occupancyBytes: stats.occupancyBytes, occupancyUs: stats.occupancyUs, highWaterBytes: stats.highWaterBytes, drops: stats.drops, evictions: stats.evictions },
})}\n`);
