/**
 * Issue 14: the real pipeline (buffer + drain + recorder, in CameraHost, with in-memory files and
 * virtual time) against the reference model (pipeline-model.ts), frame for frame, with the same
 * loss accounting; and the invariant of contract §12 checked straight from the scenario.
 *
 * `BODYCAM_PROPERTY_RUNS=100000 npx vitest run test/pipeline` runs the long version (docs/reliability.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ModelRecording, type PipelineOp, runModel } from './pipeline-model.js';
import { type PipelineScenario, keepsUpArbitrary, scenarioArbitrary } from './pipeline-scenarios.js';
import { type RealRecording, runReal } from './real-pipeline.js';

const runs = Number(process.env.BODYCAM_PROPERTY_RUNS ?? 2000);
/** A case takes a few ms; the long run gets room on a busy machine. */
const timeoutMs = Math.max(600_000, runs * 40);
/**
 * A fixed seed by default, so CI's 2000 cases are the same every run and the outcome counts below
 * (overlapping recordings are rare) cannot flake; BODYCAM_PROPERTY_SEED=random explores new ones.
 */
const seedEnv = process.env.BODYCAM_PROPERTY_SEED ?? '20261202';
const seed = seedEnv === 'random' ? undefined : Number(seedEnv);

/** What the reached outcomes were: the generator must reach each, or the comparison proves less than it claims. */
const reached = {
  recordings: 0, lost: 0, overflow: 0, cutOff: 0, bytesLimited: 0, overlapping: 0, noLoss: 0,
  // Contract §9: pre-rolls that reach back to a GOP's keyframe, that lost that GOP to bytes, that
  // skipped to a later keyframe; recordings of GOPs longer than the whole buffer.
  beforeWindow: 0, keyframeEvicted: 0, gopSkip: 0, gopLongerThanBuffer: 0,
};

function compare(scenario: PipelineScenario, real: RealRecording[]): void {
  const model = runModel(scenario.params, scenario.ops, scenario.endUs, (i) => real[i]?.manifest.video.frames ?? 0);
  expect(real.map((r) => r.manifest.trigger.atUs)).toEqual(model.map((m) => m.triggerUs));
  model.forEach((expected, i) => {
    const { manifest, frames } = real[i]!;
    const context = `recording ${i} (trigger ${expected.triggerUs})`;
    expect(frames, context).toEqual(expected.written);
    expect(manifest.video.frames, context).toBe(expected.written.length);
    expect(manifest.complete, context).toBe(expected.complete);
    expect(manifest.preRoll.limitedBy, context).toBe(expected.preRollLimitedBy);
    expect(manifest.preRoll.actualUs, context).toBe(expected.preRollActualUs);
    expect(manifest.lost ?? null, context).toEqual(lostSummary(expected));
    reached.recordings += 1;
    if (expected.lost.length > 0) reached.lost += 1;
    else reached.noLoss += 1;
    if (expected.lost.some((l) => l.reason === 'buffer-overflow')) reached.overflow += 1;
    if (!expected.complete) reached.cutOff += 1;
    if (expected.preRollLimitedBy === 'bytes') reached.bytesLimited += 1;
    if (expected.overlapped) reached.overlapping += 1;
    if (expected.preRollActualUs > scenario.params.preRecordUs) reached.beforeWindow += 1;
    if (expected.preRollLimitedBy === 'keyframe-evicted') reached.keyframeEvicted += 1;
    if (expected.preRollLimitedBy === 'gop') reached.gopSkip += 1;
    if (frames.length > 0 && gopLongerThanBuffer(scenario)) reached.gopLongerThanBuffer += 1;
  });
}

/** Some GOP of the scenario holds more bytes than the whole buffer. */
function gopLongerThanBuffer(scenario: PipelineScenario): boolean {
  let gopBytes = 0;
  for (const op of scenario.ops) {
    if (op.kind !== 'frame') continue;
    gopBytes = op.keyframe === false ? gopBytes + op.size : op.size;
    if (gopBytes > scenario.params.bufferBytes) return true;
  }
  return false;
}

function lostSummary(m: ModelRecording): unknown {
  if (m.lost.length === 0) return null;
  const byReason: Record<string, number> = {};
  for (const l of m.lost) byReason[l.reason] = (byReason[l.reason] ?? 0) + 1;
  const first = m.lost.reduce((a, b) => (b.captureUs < a.captureUs ? b : a));
  return { frames: m.lost.length, fromUs: first.captureUs, toUs: Math.max(...m.lost.map((l) => l.captureUs)), reason: first.reason, byReason };
}

/**
 * Contracts §12 and §9 straight from the scenario, no model: a recording starts with a keyframe and
 * holds every frame captured from its first frame up to its end, each once, in order, except the
 * frames its `lost` counts.
 */
function checkInvariant(ops: readonly PipelineOp[], real: RealRecording[]): void {
  const keyframeOf = new Map(ops.flatMap((op) => (op.kind === 'frame' ? [[op.index, op.keyframe ?? true] as const] : [])));
  real.forEach(({ manifest, frames, keyframes }, i) => {
    expect(frames.every((f) => f >= 0), `recording ${i}: every payload intact`).toBe(true);
    if (frames.length > 0) {
      expect(keyframeOf.get(frames[0]!), `recording ${i}: starts with a keyframe`).toBe(true);
      expect(keyframes[0], `recording ${i}: its file marks the first frame a keyframe`).toBe(true);
    }
    expect(keyframes, `recording ${i}: the file's keyframe flags are the frames'`).toEqual(frames.map((f) => keyframeOf.get(f)));
    const first = manifest.video.firstFrameUs ?? manifest.lost?.fromUs ?? Infinity;
    const endUs = manifest.stop.atUs;
    // Frames captured in the span; a frame captured while powered off was never captured.
    // From the first frame, or the trigger when that is earlier (a recording waiting for a keyframe).
    const fromUs = Math.min(first, manifest.trigger.atUs, manifest.lost?.fromUs ?? first);
    const span = capturedWhileOn(ops).filter((f) => f.atUs >= fromUs && f.atUs < endUs).map((f) => f.index);
    const lost = manifest.lost?.frames ?? 0;
    expect(frames.length + lost, `recording ${i}: frames in the file plus frames lost = frames captured`).toBe(span.length);
    // In order, each once: the file's frames are a subsequence of the span.
    let at = 0;
    for (const f of frames) {
      while (at < span.length && span[at] !== f) at += 1;
      expect(at < span.length, `recording ${i}: frame ${f} in order`).toBe(true);
      at += 1;
    }
  });
}

function capturedWhileOn(ops: readonly PipelineOp[]): { atUs: number; index: number }[] {
  let on = true;
  const out: { atUs: number; index: number }[] = [];
  for (const op of ops) {
    if (op.kind === 'power-cut') on = false;
    else if (op.kind === 'power-on') on = true;
    else if (op.kind === 'frame' && on) out.push(op);
  }
  return out;
}

/**
 * Found by the 100 000-case run of 2026-12-02 (seed 20261202, case 47 635): one GOP longer than the
 * 402-byte arena; the card, which keeps up, has written the keyframe and three P-frames when the
 * last P-frame needs the arena's start. The buffer evicted GOPs only whole, and the recording still
 * pinned the GOP's unwritten P-frame, so the written frames stayed and the frame was refused.
 */
const GOP_LONGER_THAN_BUFFER_PART_READ: PipelineScenario = {
  params: { bufferBytes: 402, preRecordUs: 273_000, slotCount: 4096, bytesPerSecond: 3081, overlap: 'trim', preRollStart: 'keyframe-before' },
  ops: [
    { kind: 'frame', atUs: 0, index: 0, size: 88, keyframe: true }, { kind: 'frame', atUs: 28_566, index: 1, size: 50, keyframe: false },
    { kind: 'trigger', atUs: 28_567 }, { kind: 'frame', atUs: 57_132, index: 2, size: 76, keyframe: false },
    { kind: 'frame', atUs: 85_698, index: 3, size: 88, keyframe: false }, { kind: 'frame', atUs: 114_264, index: 4, size: 51, keyframe: false },
    { kind: 'frame', atUs: 142_830, index: 5, size: 88, keyframe: false },
  ],
  endUs: 142_831,
};

describe('the recording pipeline = its reference model (contract §12)', () => {
  it(`agrees frame for frame and loss for loss over ${runs} scenarios`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary(120), async (scenario) => {
        // Let vitest's worker answer its runner between cases (a long run starves its RPC otherwise).
        await new Promise((resolve) => setImmediate(resolve));
        const { recordings } = await runReal(scenario.params, scenario.ops, scenario.endUs);
        try {
          compare(scenario, recordings);
        } catch (e) {
          if (process.env.DEBUG_PIPE) console.log('FAIL', JSON.stringify(scenario), JSON.stringify(recordings.map((r) => ({ frames: r.frames, video: r.manifest.video, lost: r.manifest.lost, complete: r.manifest.complete, trigger: r.manifest.trigger }))));
          throw e;
        }
        checkInvariant(scenario.ops, recordings);
      }),
      {
        numRuns: runs, ...(seed === undefined ? {} : { seed }),
        // Found by a 100 000-case run: a trigger while a recording still drains must see the card's
        // finished writes before it makes room (the drain pinned an entry it had already written).
        examples: [[{
          params: { bufferBytes: 53, preRecordUs: 429_000, slotCount: 36, bytesPerSecond: 452, overlap: 'allow', preRollStart: 'keyframe-after' },
          ops: [
            { kind: 'frame', atUs: 0, index: 0, size: 4 }, { kind: 'trigger', atUs: 28_769 }, { kind: 'frame', atUs: 28_769, index: 1, size: 4 },
            { kind: 'frame', atUs: 57_538, index: 2, size: 11 }, { kind: 'stop', atUs: 57_539 }, { kind: 'frame', atUs: 81_874, index: 3, size: 13 },
            { kind: 'trigger', atUs: 110_643 }, { kind: 'frame', atUs: 110_643, index: 4, size: 4 }, { kind: 'frame', atUs: 139_412, index: 5, size: 4 },
          ],
          endUs: 139_413,
        }]],
      },
    );
    for (const [outcome, count] of Object.entries(reached)) expect(count, `outcome ${outcome} reached`).toBeGreaterThan(0);
  }, timeoutMs);

  it(`loses nothing after the first frame when the storage keeps up, whatever the budget (${Math.ceil(runs / 2)} scenarios)`, async () => {
    let limitedByBytes = 0;
    await fc.assert(
      fc.asyncProperty(keepsUpArbitrary(120), async (scenario) => {
        await new Promise((resolve) => setImmediate(resolve));
        const { recordings } = await runReal(scenario.params, scenario.ops, scenario.endUs);
        compare(scenario, recordings);
        checkInvariant(scenario.ops, recordings);
        for (const { manifest } of recordings) {
          // Nothing after the first frame: a P-frame captured after the trigger whose keyframe the
          // buffer no longer held (a GOP longer than the window, 'keyframe-after') is before it.
          const first = manifest.video.firstFrameUs ?? Infinity;
          if (manifest.lost !== null && manifest.lost !== undefined) {
            expect(manifest.lost.toUs, manifest.id).toBeLessThan(first);
            expect(Object.keys(manifest.lost.byReason), manifest.id).toEqual(['no-keyframe']);
          }
          expect(manifest.complete).toBe(true);
          if (manifest.preRoll.limitedBy === 'bytes') limitedByBytes += 1;
        }
      }),
      {
        numRuns: Math.ceil(runs / 2), ...(seed === undefined ? {} : { seed }),
        examples: [[GOP_LONGER_THAN_BUFFER_PART_READ]],
      },
    );
    // The budget did bind: pre-rolls gave way to it.
    expect(limitedByBytes).toBeGreaterThan(0);
  }, timeoutMs);
});
