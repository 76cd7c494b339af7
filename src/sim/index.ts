export { runJob, prepareJob, checkOutDir, checkFrameSizes } from './run-job.js';
export { encodeConcurrencyFor, frameWorkBytes } from './encode-concurrency.js';
export type { RunJobOptions, RunJobResult, PreparedJob } from './run-job.js';
export { runReplay } from './replay.js';
export type { ReplayOptions, ReplayResult } from './replay.js';
export { mapInOrder } from './ordered-concurrency.js';
