/**
 * The buffer against its reference model (test/buffer/reference-buffer.ts): random frame sizes,
 * jittered and gapped timestamps, budgets, slot counts, GOPs of N frames (up to longer than the
 * whole arena) or random keyframes, both pre-roll starts (contract §9),
 * interleaved audio, encoder lag, triggers with both overlap policies, pinning readers and clears.
 * After every step the held entries (metadata, arena offsets, payload bytes), push results,
 * statistics and every pre-roll selection must be identical.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paramsArbitrary, runScenario, stepArbitrary } from './scenario-driver.js';

const runs = Number(process.env.FC_RUNS ?? 300);
/** Bounds shrinking of a failure (runs are long scenarios); a pass takes a few seconds. */
const timeLimitMs = Math.max(40_000, runs * 200);

describe('PreRecordBuffer = reference model', () => {
  it('agrees on every push, eviction, statistic and pre-roll', () => {
    const limits: Record<string, number> = {};
    let triggers = 0;
    let drops = 0;
    let orphans = 0;
    fc.assert(
      fc.property(paramsArbitrary, fc.array(stepArbitrary, { minLength: 1, maxLength: 200, size: 'max' }), (params, steps) => {
        const log = runScenario(params, steps);
        triggers += log.triggers;
        drops += log.drops;
        orphans += log.orphans;
        for (const [limit, count] of Object.entries(log.limits)) limits[limit] = (limits[limit] ?? 0) + count;
      }),
      { numRuns: runs, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: true },
    );
    // The generator must reach every outcome, or the comparison above proves less than it claims.
    expect(triggers).toBeGreaterThan(runs);
    expect(drops).toBeGreaterThan(0);
    expect(orphans, 'P-frames kept for a recording after a GOP longer than the arena lost its keyframe').toBeGreaterThan(0);
    for (const limit of ['null', 'boot', 'bytes', 'trim', 'gop', 'keyframe-evicted', 'early-key']) expect(limits[limit] ?? 0, `limitedBy ${limit} reached`).toBeGreaterThan(0);
  }, timeLimitMs + 30_000);
});
