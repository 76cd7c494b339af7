/**
 * The test files that run isolated (a fresh module graph per file): those that replace a module
 * with `vi.mock`, so the replacement cannot leak into the files that share a worker's module graph
 * (vitest.config.ts). test/setup/isolation.test.ts keeps this list complete.
 */
export const ISOLATED_TEST_FILES = ['test/container/fd-io.test.ts', 'test/encoder/frame-slots-fallback.test.ts', 'test/encoder/png-frames.test.ts'] as const;
