export { runJob, prepareJob, checkOutDir } from './run-job.js';
export type { RunJobOptions, RunJobResult, PreparedJob } from './run-job.js';
export { runReplay } from './replay.js';
export type { ReplayOptions, ReplayResult } from './replay.js';
export { mapInOrder } from './ordered-concurrency.js';
