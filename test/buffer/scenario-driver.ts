/**
 * Random capture scenarios for the property tests: a fake camera (jittered, gapped frame times, a
 * fake codec with GOPs of N frames or random keyframes, optional encoder lag), a microphone in
 * fixed chunks pushed when their last sample is in, and control actions between frames: triggers,
 * readers that pin, clears. `runScenario` drives the real buffer and the reference model in lock
 * step and throws at the first difference.
 */
import fc from 'fast-check';
import { PreRecordBuffer, type BufferEntryInput, type BufferReader, type PreRollStart } from '../../src/buffer/index.js';
import { ReferenceBuffer, type ModelReader } from './reference-buffer.js';

export interface ScenarioParams {
  readonly preRecordUs: number;
  readonly frameIntervalUs: number;
  readonly jitterUs: number;
  /** GOP length of the fake codec; 0 for random keyframes. */
  readonly gop: number;
  /** Audio chunk span; 0 for no audio. */
  readonly audioChunkUs: number;
  readonly bufferBytes: number;
  readonly slotCount: number;
  readonly maxPayload: number;
  readonly preRollStart: PreRollStart;
}

export type Control =
  | { readonly type: 'none' }
  | { readonly type: 'trigger'; readonly extraUs: number; readonly overlap: 'allow' | 'trim'; readonly previous: number | 'null' }
  | { readonly type: 'open'; readonly pick: number }
  | { readonly type: 'advance'; readonly pick: number; readonly count: number }
  | { readonly type: 'close'; readonly pick: number }
  | { readonly type: 'stop'; readonly pick: number; readonly back: number }
  | { readonly type: 'clear' }
  | { readonly type: 'expire' };

export interface ScenarioStep {
  readonly gapUs: number;
  readonly jitter: number;
  readonly frame: boolean;
  readonly lagUs: number;
  readonly size: number;
  readonly audioSize: number;
  readonly keyRandom: boolean;
  readonly control: Control;
}

export const paramsArbitrary: fc.Arbitrary<ScenarioParams> = fc.record({
  preRecordUs: fc.oneof(fc.integer({ min: 0, max: 600_000 }), fc.constant(300_000)),
  frameIntervalUs: fc.integer({ min: 10_000, max: 50_000 }),
  jitterUs: fc.integer({ min: 0, max: 9_000 }),
  // Up to GOPs longer than the window and than the whole arena (60 frames of up to 160 bytes).
  gop: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 7, max: 60 })),
  audioChunkUs: fc.oneof(fc.constant(0), fc.integer({ min: 5_000, max: 60_000 })),
  bufferBytes: fc.oneof(fc.integer({ min: 8, max: 400 }), fc.integer({ min: 400, max: 4000 })),
  slotCount: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 12, max: 120 })),
  maxPayload: fc.integer({ min: 1, max: 160 }),
  preRollStart: fc.constantFrom('keyframe-before' as const, 'keyframe-after' as const),
});

const controlArbitrary: fc.Arbitrary<Control> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ type: 'none' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('trigger' as const),
      extraUs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120_000 })),
      overlap: fc.constantFrom('allow' as const, 'trim' as const),
      previous: fc.oneof(fc.constant('null' as const), fc.double({ min: 0, max: 1, noNaN: true })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('open' as const), pick: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('advance' as const), pick: fc.nat(3), count: fc.integer({ min: 1, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('close' as const), pick: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('stop' as const), pick: fc.nat(3), back: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'clear' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'expire' as const }) },
);

export const stepArbitrary: fc.Arbitrary<ScenarioStep> = fc.record({
  gapUs: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 500_000 }) }),
  jitter: fc.double({ min: -1, max: 1, noNaN: true }),
  frame: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  lagUs: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }) }),
  size: fc.oneof({ weight: 30, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(99) }),
  audioSize: fc.double({ min: 0, max: 1, noNaN: true }),
  keyRandom: fc.boolean(),
  control: controlArbitrary,
});

/** A payload whose bytes identify the push (`tag`), so corruption or mix-ups show. */
export function stampedPayload(size: number, tag: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) payload[i] = (tag * 131 + i * 7 + 1) & 0xff;
  return payload;
}

function fail(message: string): never {
  throw new Error(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: buffer ${a} !== model ${e}`);
}

/** Compares every held entry (metadata, arena offset, payload bytes) and the statistics. */
export function compareState(buffer: PreRecordBuffer, model: ReferenceBuffer, where: string): void {
  const stats = buffer.stats();
  same([stats.oldestSeq, stats.nextSeq], [model.held[0]?.seq ?? model.nextSeq, model.nextSeq], `${where}: held range`);
  for (const m of model.held) {
    const e = buffer.entry(m.seq) ?? fail(`${where}: seq ${m.seq} missing from the buffer`);
    same(
      [e.kind, e.captureUs, e.durationUs, e.keyframe, e.sampleCount, e.pushedUs, e.payload.byteOffset, e.payload.length],
      [m.kind, m.captureUs, m.durationUs, m.keyframe, m.sampleCount, m.pushedUs, m.offset, m.payload.length],
      `${where}: seq ${m.seq}`,
    );
    if (e.payload.byteOffset + e.payload.length > buffer.bufferBytes) fail(`${where}: seq ${m.seq} runs past the arena`);
    for (let i = 0; i < m.payload.length; i += 1) {
      if (e.payload[i] !== m.payload[i]) fail(`${where}: seq ${m.seq} payload byte ${i} corrupted`);
    }
  }
  const video = model.held.filter((e) => e.kind === 'video');
  same(
    {
      occupancyBytes: stats.occupancyBytes,
      highWaterBytes: stats.highWaterBytes,
      entries: stats.entries,
      videoEntries: stats.videoEntries,
      evictions: [stats.evictions.time, stats.evictions.bytes, stats.evictions.slots],
      drops: stats.dropsByReason,
      occupancyUs: stats.occupancyUs,
      openReaders: stats.openReaders,
      pinnedEntries: stats.pinnedEntries,
    },
    {
      occupancyBytes: model.occupancyBytes,
      highWaterBytes: model.highWaterBytes,
      entries: model.held.length,
      videoEntries: video.length,
      evictions: [model.evictions.time, model.evictions.bytes, model.evictions.slots],
      drops: model.drops,
      occupancyUs: video.length === 0 ? 0 : video[video.length - 1]!.captureUs - video[0]!.captureUs,
      openReaders: model.readers.length,
      pinnedEntries: model.held.filter((e) => model.readers.some((r) => e.seq >= r.nextSeq && e.seq < r.endSeq)).length,
    },
    `${where}: stats`,
  );
  const head = model.held[0];
  if (head !== undefined && head.kind === 'video' && !head.keyframe && !head.orphan) fail(`${where}: the oldest entry is a P-frame of a held GOP`);

}

/** What a run observed, for extra assertions by the caller. */
export interface ScenarioLog {
  triggers: number;
  limits: Record<string, number>;
  pushes: number;
  drops: number;
  /** Orphan P-frames stored (a recording read their keyframe before capacity evicted it). */
  orphans: number;
}

/** Runs `steps` on a fresh buffer and model in lock step; throws at the first difference. */
export function runScenario(params: ScenarioParams, steps: readonly ScenarioStep[]): ScenarioLog {
  const buffer = new PreRecordBuffer({ bufferBytes: params.bufferBytes, preRecordUs: params.preRecordUs, slotCount: params.slotCount, preRollStart: params.preRollStart });
  const model = new ReferenceBuffer(params.bufferBytes, params.preRecordUs, params.slotCount, params.preRollStart);
  const readers: { real: BufferReader; model: ModelReader }[] = [];
  const log: ScenarioLog = { triggers: 0, limits: {}, pushes: 0, drops: 0, orphans: 0 };
  const videoCaptures: number[] = [];
  let nowUs = 0;
  let lastVideoUs = -Infinity;
  let frameIndex = 0;
  let audioNextUs = 0;
  let tag = 0;
  const sizeOf = (fraction: number): number => (fraction === 99 ? params.bufferBytes + 1 : 1 + Math.floor(fraction * (params.maxPayload - 1)));

  const pushBoth = (input: BufferEntryInput, atUs: number, where: string): void => {
    const real = buffer.push(input, atUs);
    const expected = model.push(input, atUs);
    same(real, expected, `${where}: push result`);
    log.pushes += 1;
    if (!real.ok) log.drops += 1;
    else if (model.held.at(-1)?.orphan === true) log.orphans += 1;
  };

  steps.forEach((step, index) => {
    const where = `step ${index}`;
    nowUs += Math.max(1, params.frameIntervalUs + Math.round(step.jitter * params.jitterUs) + step.gapUs);
    if (params.audioChunkUs > 0) {
      while (audioNextUs + params.audioChunkUs <= nowUs) {
        const input: BufferEntryInput = {
          kind: 'audio', captureUs: audioNextUs, durationUs: params.audioChunkUs, keyframe: true,
          payload: stampedPayload(sizeOf(step.audioSize), tag++), sampleCount: Math.round(params.audioChunkUs / 125),
        };
        pushBoth(input, audioNextUs + params.audioChunkUs, `${where} audio`);
        audioNextUs += params.audioChunkUs;
      }
    }
    const captureUs = nowUs - step.lagUs;
    if (step.frame && captureUs > lastVideoUs) {
      const keyframe = params.gop === 0 ? step.keyRandom : frameIndex % params.gop === 0;
      frameIndex += 1;
      lastVideoUs = captureUs;
      videoCaptures.push(captureUs);
      const input: BufferEntryInput = {
        kind: 'video', captureUs, durationUs: params.frameIntervalUs, keyframe, payload: stampedPayload(sizeOf(step.size), tag++), sampleCount: 0,
      };
      pushBoth(input, nowUs, `${where} video`);
    }
    applyControl(step.control, where);
    compareState(buffer, model, where);
  });
  return log;

  function applyControl(control: Control, where: string): void {
    switch (control.type) {
      case 'none':
        return;
      case 'trigger': {
        const triggerUs = nowUs + control.extraUs;
        const previousLastFrameUs = control.previous === 'null' || videoCaptures.length === 0
          ? null
          : videoCaptures[Math.floor(control.previous * (videoCaptures.length - 1))]!;
        const request = { triggerUs, overlap: control.overlap, previousLastFrameUs };
        const real = buffer.selectPreRoll(request);
        same(real, model.select(request), `${where}: selectPreRoll(${JSON.stringify(request)})`);
        log.triggers += 1;
        log.limits[String(real.limitedBy)] = (log.limits[String(real.limitedBy)] ?? 0) + 1;
        // 'keyframe-before' reached back past the window start to a GOP's keyframe.
        if (real.firstFrameUs !== null && real.firstFrameUs < triggerUs - params.preRecordUs) log.limits['early-key'] = (log.limits['early-key'] ?? 0) + 1;
        return;
      }
      case 'open': {
        const count = buffer.nextSeq - buffer.oldestSeq;
        const fromSeq = buffer.oldestSeq + Math.floor(control.pick * count + 0.5);
        const modelReader = { nextSeq: fromSeq, endSeq: Infinity, fromSeq };
        readers.push({ real: buffer.openReader(fromSeq), model: modelReader });
        model.readers.push(modelReader);
        return;
      }
      case 'advance': {
        const pair = readers[control.pick % Math.max(1, readers.length)];
        if (pair === undefined) return;
        for (let i = 0; i < control.count && pair.real.peek() !== undefined; i += 1) {
          same(pair.real.peek()!.seq, pair.model.nextSeq, `${where}: reader position`);
          pair.real.advance();
          pair.model.nextSeq += 1;
        }
        return;
      }
      case 'close': {
        const pair = readers[control.pick % Math.max(1, readers.length)];
        if (pair === undefined) return;
        pair.real.close();
        readers.splice(readers.indexOf(pair), 1);
        model.readers.splice(model.readers.indexOf(pair.model), 1);
        return;
      }
      case 'stop': {
        const pair = readers[control.pick % Math.max(1, readers.length)];
        if (pair === undefined) return;
        const endSeq = Math.max(pair.real.nextSeq, Math.min(pair.real.endSeq, buffer.nextSeq - control.back));
        pair.real.stopAt(endSeq);
        pair.model.endSeq = endSeq;
        return;
      }
      case 'clear':
        buffer.clear(nowUs);
        model.clear();
        for (const pair of readers) if (!pair.real.closed) fail(`${where}: a reader survived clear`);
        readers.length = 0;
        return;
      case 'expire':
        same(buffer.evictExpired(nowUs), model.expire(nowUs), `${where}: evictExpired`);
        return;
    }
  }
}
