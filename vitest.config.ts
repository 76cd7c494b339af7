import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { ISOLATED_TEST_FILES } from './test/setup/isolated-files.js';

/**
 * Test files that replace a module with `vi.mock` run isolated (a fresh module graph per file), so
 * the replacement cannot leak into other files (test/setup/isolated-files.ts). Every other file
 * shares its worker's module graph with the files before it (`isolate: false`): importing src/
 * anew for each of ~140 files cost about half of the suite's CPU time in the unit-test folders
 * (docs/performance.md, "The test suite"). Those files keep no state between files: what they
 * change in `process.env` they put back, and what they start they stop.
 */
const MOCKING_FILES = [...ISOLATED_TEST_FILES];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two forks at least: vitest's default (cores - 1) is one fork on CI's 2 cores, which left a
    // core idle while end-to-end files wait on their processes (docs/performance.md, "The test suite").
    maxWorkers: Math.max(2, availableParallelism() - 1),
    minWorkers: 1,
    // Tests that replay must not depend on what earlier runs left in the user's frame cache
    // (src/encoder/frame-cache.ts); the cache's own tests turn it on with a folder of their own.
    env: { BODYCAM_FRAME_CACHE: 'off' },
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING_FILES, isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKING_FILES, isolate: true } },
    ],
  },
});
