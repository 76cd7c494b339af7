/**
 * Issue 15: the splice workers run the code under test. From TypeScript sources (vitest) they load
 * src/encoder/block-burn-in-worker.ts, not a dist/ copy that may be stale.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockWorkerModule } from '../../src/encoder/block-burn-in-pool.js';
import { ROOT } from '../helpers/cli.js';

describe('the splice worker pool, running from sources', () => {
  it('loads the worker from src/, not dist/', () => {
    const module = blockWorkerModule();
    expect(module === null ? null : module.startsWith('file:') ? fileURLToPath(module) : module).toBe(`${ROOT}/src/encoder/block-burn-in-worker.ts`);
  });
});
