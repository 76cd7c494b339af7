/** Golden outputs shared by the tests that pin them. */

/**
 * Golden hashes of the bundled replay (issue 15): taken on main before the camera/media refactor,
 * and kept equal by every refactor commit, so a restructuring that changes a single byte of the
 * recording, its manifest or the event log fails here. Change them only in a commit that means to
 * change the output (a new burn-in text, a new manifest field) and say why in its message.
 * test/e2e/frame-cache-run.test.ts holds the cached runs to the same hashes.
 */
export const BUNDLED_GOLDEN_SHA256 = {
  recording: '76e579a1b21e1bf9a71f63726ba9fc42e17eb020957e2a0209daea97cbad2fe6',
  manifest: '55b76839570f9a9d4056afe66107079eeb04646d93612282637d62c4124b1c93',
  events: '1d2607be21f2a18089ecb6700fb746d46a19ac6bd1be359aeee26209592d7506',
} as const;
