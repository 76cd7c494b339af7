/**
 * The live server's defaults, apart from the server so that the CLI can show them in `bodycam
 * live --help` without loading the live modules (docs/performance.md, "The test suite").
 */

/** The default address: this machine only. */
export const DEFAULT_LIVE_HOST = '127.0.0.1';
/** The default port. */
export const DEFAULT_LIVE_PORT = 8480;
