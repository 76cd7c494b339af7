import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests that replay must not depend on what earlier runs left in the user's frame cache
    // (src/encoder/frame-cache.ts); the cache's own tests turn it on with a folder of their own.
    env: { BODYCAM_FRAME_CACHE: 'off' },
  },
});
