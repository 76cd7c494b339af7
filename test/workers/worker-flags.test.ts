/**
 * The job workers inherit the parent's Node flags, but Node refuses a worker whose execArgv holds a
 * V8 heap flag: the `bodycam` launcher runs node with --max-semi-space-size=1, so `--jobs 2` failed
 * with "Initiated Worker with invalid execArgv flags". The heap sizes go to the worker's
 * resourceLimits instead.
 */
import { describe, expect, it } from 'vitest';
import { WorkerPool, workerFlags } from '../../src/workers/index.js';

describe('workerFlags', () => {
  it('keeps the flags a worker accepts, drops --input-type and turns heap sizes into resource limits', () => {
    expect(workerFlags(['--conditions=dev', '--input-type=module', '--max-semi-space-size=1', '--max-old-space-size', '512', '--enable-source-maps'])).toEqual({
      execArgv: ['--conditions=dev', '--enable-source-maps'],
      resourceLimits: { maxYoungGenerationSizeMb: 3, maxOldGenerationSizeMb: 512 },
    });
    expect(workerFlags([])).toEqual({ execArgv: [] });
  });

  it('starts a worker from the launcher\'s flags', async () => {
    const pool = new WorkerPool<number, number>({
      name: 'the test worker', size: 1, ...workerFlags(['--max-semi-space-size=1']),
      source: { eval: "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage({ id: m.id, reply: m.request * 2 })); require('node:worker_threads').parentPort.postMessage({ ready: true });" },
    });
    try {
      expect(await pool.run(21)).toBe(42);
    } finally {
      await pool.close();
    }
  });
});
