/**
 * Sources: what a camera captures from. A fixture folder and a device recording (.mkv) each
 * become a {@link FrameSource}; a new kind of source is one more file here and one line in
 * {@link openSource}.
 */
export type { FrameSource } from './frame-source.js';
export { fixtureSource } from './fixture-source.js';
export { matroskaSource } from './matroska-source.js';
export { openSource, BUNDLED_FIXTURE_DIR, BUNDLED_SCENARIO_FILE } from './open-source.js';
export { planFrameRate, resampleFrameRate } from './frame-rate.js';
export type { FrameRatePlan } from './frame-rate.js';
