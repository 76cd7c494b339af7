/**
 * Random scenarios for the pipeline property test: a camera with random frame sizes, jittered
 * intervals and dropped runs (and now and then two frames closer than the container's tick),
 * budgets from tiny to roomy with boundary values around the first pre-roll (exactly its bytes,
 * one byte either side, one frame either side), card speeds from far too slow to far faster than
 * the stream, presses (as the trigger and stop instants they give, contract §4: the gesture
 * recogniser has its own tests), overlapping recordings, power cuts and storage failures.
 */
import fc from 'fast-check';
import type { PipelineOp, PipelineParams } from './pipeline-model.js';

/** A generated scenario. */
export interface PipelineScenario {
  readonly params: PipelineParams;
  readonly ops: readonly PipelineOp[];
  readonly endUs: number;
}

type Control = 'none' | 'trigger' | 'stop' | 'power-cut' | 'storage-fail' | 'storage-ok';

interface Step {
  readonly gap: 'normal' | 'dropped-run' | 'too-close';
  readonly jitterUs: number;
  readonly droppedFrames: number;
  readonly size: number;
  readonly control: Control;
  /** Where the control falls between this frame and the next (0..1). */
  readonly controlAt: number;
}

const stepArbitrary = (maxSize: number): fc.Arbitrary<Step> => fc.record({
  gap: fc.oneof(
    { weight: 30, arbitrary: fc.constant('normal' as const) },
    { weight: 2, arbitrary: fc.constant('dropped-run' as const) },
    { weight: 1, arbitrary: fc.constant('too-close' as const) },
  ),
  jitterUs: fc.integer({ min: -5_000, max: 5_000 }),
  droppedFrames: fc.integer({ min: 1, max: 20 }),
  size: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 4, max: maxSize }) }, { weight: 1, arbitrary: fc.constant(maxSize) }),
  control: fc.oneof(
    { weight: 40, arbitrary: fc.constant('none' as const) },
    { weight: 3, arbitrary: fc.constant('trigger' as const) },
    { weight: 3, arbitrary: fc.constant('stop' as const) },
    { weight: 1, arbitrary: fc.constant('power-cut' as const) },
    { weight: 1, arbitrary: fc.constant('storage-fail' as const) },
    { weight: 1, arbitrary: fc.constant('storage-ok' as const) },
  ),
  // Often at the very instant of the next frame, or just before it: a trigger there finds the card
  // with nothing written yet when the next frame needs room.
  controlAt: fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(1, 0.999, 0.99) },
  ),
});

const settingsArbitrary = fc.record({
  frameIntervalUs: fc.integer({ min: 20_000, max: 50_000 }),
  maxSize: fc.integer({ min: 8, max: 1_500 }),
  preRecordMs: fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 2_000 })),
  /** Card speed as a multiple of the largest frame per frame interval. */
  cardFactor: fc.oneof(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 1, max: 50, noNaN: true })),
  budget: fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('frames' as const), frames: fc.integer({ min: 1, max: 80 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('boundary' as const), delta: fc.constantFrom('-frame', '-1', '0', '+1', '+frame') }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('roomy' as const) }) },
    // Around the GOP that reaches into the first window from before it (contract §9 'keyframe-before').
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('gop-boundary' as const), delta: fc.constantFrom('-gop', '-1', '0') }) },
  ),
  slots: fc.oneof({ weight: 5, arbitrary: fc.constant(4096) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }) }),
  overlap: fc.constantFrom('allow' as const, 'trim' as const),
  /** Frames per GOP (a keyframe every `gop` frames): all keyframes (MJPEG), short GOPs, or GOPs longer than the window and the buffer. */
  gop: fc.oneof({ weight: 2, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 8 }) }, { weight: 1, arbitrary: fc.integer({ min: 9, max: 150 }) }),
  preRollStart: fc.constantFrom('keyframe-before' as const, 'keyframe-after' as const),
  bootUs: fc.integer({ min: 0, max: 300_000 }),
});

/** Scenarios of up to `maxSteps` frames. */
export function scenarioArbitrary(maxSteps: number): fc.Arbitrary<PipelineScenario> {
  return settingsArbitrary.chain((settings) =>
    fc.array(stepArbitrary(settings.maxSize), { minLength: 1, maxLength: maxSteps }).map((steps) => build(settings, steps)));
}

function build(settings: SettingsOf<typeof settingsArbitrary>, steps: readonly Step[]): PipelineScenario {
  const ops: PipelineOp[] = [];
  let atUs = 0;
  let poweredOn = true;
  let powerOnAtUs = -1;
  const frames: { atUs: number; size: number; keyframe: boolean }[] = [];
  for (const [index, step] of steps.entries()) {
    const intervalUs = step.gap === 'too-close' ? 1 + Math.abs(step.jitterUs % 99)
      : settings.frameIntervalUs * (step.gap === 'dropped-run' ? step.droppedFrames + 1 : 1) + step.jitterUs;
    const nextUs = index === 0 ? 0 : atUs + Math.max(1, intervalUs);
    // The control falls in the gap before this frame (at the frame's instant when controlAt is 1).
    if (index > 0 && step.control !== 'none') {
      const controlUs = atUs + Math.max(1, Math.round((nextUs - atUs) * step.controlAt));
      if (poweredOn || step.control === 'storage-fail' || step.control === 'storage-ok') {
        ops.push({ kind: step.control, atUs: controlUs });
        if (step.control === 'power-cut') {
          poweredOn = false;
          powerOnAtUs = controlUs + settings.bootUs;
        }
      }
    }
    if (!poweredOn && nextUs >= powerOnAtUs) {
      ops.push({ kind: 'power-on', atUs: Math.max(powerOnAtUs, ops.at(-1)?.atUs ?? 0) });
      poweredOn = true;
    }
    atUs = nextUs;
    ops.push({ kind: 'frame', atUs, index, size: step.size, keyframe: index % settings.gop === 0 });
    frames.push({ atUs, size: step.size, keyframe: index % settings.gop === 0 });
  }
  ops.sort((a, b) => a.atUs - b.atUs || Number(a.kind === 'frame') - Number(b.kind === 'frame'));
  const preRecordUs = settings.preRecordMs * 1000;
  return {
    params: {
      bufferBytes: budgetBytes(settings, ops, frames),
      preRecordUs,
      slotCount: settings.slots,
      bytesPerSecond: Math.max(1, Math.round((settings.cardFactor * settings.maxSize * 1_000_000) / settings.frameIntervalUs)),
      overlap: settings.overlap,
      preRollStart: settings.preRollStart,
    },
    ops,
    endUs: atUs + 1,
  };
}

type SettingsOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** The byte budget; boundary budgets are set around the frames of the first trigger's window. */
function budgetBytes(settings: SettingsOf<typeof settingsArbitrary>, ops: readonly PipelineOp[], frames: readonly { atUs: number; size: number; keyframe: boolean }[]): number {
  const { budget, maxSize } = settings;
  if (budget.kind === 'frames') return budget.frames * maxSize;
  if (budget.kind === 'roomy') return frames.reduce((sum, f) => sum + f.size, 0) + maxSize;
  const triggerUs = ops.find((op) => op.kind === 'trigger')?.atUs ?? frames.at(-1)?.atUs ?? 0;
  const window = frames.filter((f) => f.atUs < triggerUs && f.atUs >= triggerUs - settings.preRecordMs * 1000);
  if (budget.kind === 'gop-boundary') {
    // From the keyframe of the window's first frame to the trigger, plus the trigger's headroom of
    // three largest frames: one byte less evicts that GOP ('keyframe-evicted'), one GOP less more.
    const firstAt = frames.indexOf(window[0] ?? frames[0]!);
    let keyAt = firstAt;
    while (keyAt > 0 && !frames[keyAt]!.keyframe) keyAt -= 1;
    const before = frames.slice(0, frames.findIndex((f) => f.atUs >= triggerUs) >>> 0);
    const span = frames.slice(keyAt).filter((f) => f.atUs < triggerUs);
    const headroom = 3 * Math.max(0, ...before.map((f) => f.size));
    const gopBytes = frames.slice(keyAt, firstAt).reduce((sum, f) => sum + f.size, 0);
    const delta = { '-gop': -gopBytes, '-1': -1, '0': 0 }[budget.delta];
    return Math.max(1, span.reduce((sum, f) => sum + f.size, 0) + headroom + delta);
  }
  const exact = window.reduce((sum, f) => sum + f.size, 0);
  const frame = window.at(-1)?.size ?? maxSize;
  const delta = { '-frame': -frame, '-1': -1, '0': 0, '+1': 1, '+frame': frame }[budget.delta];
  return Math.max(1, exact + delta);
}

/**
 * Scenarios where the storage keeps up: no power cut or storage failure, no two frames closer than
 * the container's tick, a card that writes the largest frame within the shortest frame interval,
 * a budget of at least three largest frames, and no frame after a trigger larger than the largest
 * one before it. Contract §12: nothing after a recording's first
 * frame may be lost, whatever the budget above that.
 */
export function keepsUpArbitrary(maxSteps: number): fc.Arbitrary<PipelineScenario> {
  return fc.tuple(scenarioArbitrary(maxSteps), fc.double({ min: 1, max: 4, noNaN: true }), fc.integer({ min: 0, max: 5_000 })).map(([scenario, factor, extraBytes]) => {
    const ops: PipelineOp[] = [];
    let lastFrameUs = -Infinity;
    for (const op of scenario.ops) {
      if (op.kind === 'power-cut' || op.kind === 'power-on' || op.kind === 'storage-fail') continue;
      if (op.kind === 'frame') {
        if (op.atUs - lastFrameUs < 100) continue;
        lastFrameUs = op.atUs;
      }
      ops.push(op);
    }
    const largest = Math.max(...ops.map((op) => (op.kind === 'frame' ? op.size : 0)));
    // The largest frame is seen before any trigger (the first frame is one): the trigger sizes its
    // headroom from the frames it has seen.
    const first = ops.findIndex((op) => op.kind === 'frame');
    ops[first] = { ...(ops[first] as Extract<PipelineOp, { kind: 'frame' }>), size: largest };
    const frames = ops.filter((op): op is Extract<PipelineOp, { kind: 'frame' }> => op.kind === 'frame');
    let shortestUs = Infinity;
    for (let i = 1; i < frames.length; i += 1) shortestUs = Math.min(shortestUs, frames[i]!.atUs - frames[i - 1]!.atUs);
    const cardBytesPerSecond = Number.isFinite(shortestUs) ? Math.ceil((largest * 1_000_000 * factor) / shortestUs) : 1_000_000;
    return {
      ...scenario,
      ops,
      params: {
        ...scenario.params,
        slotCount: Math.max(scenario.params.slotCount, 4096),
        bufferBytes: Math.max(scenario.params.bufferBytes, 3 * largest + (extraBytes % (largest + 1))),
        bytesPerSecond: Math.max(scenario.params.bytesPerSecond, cardBytesPerSecond),
      },
    };
  });
}
