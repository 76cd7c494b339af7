/** Worker threads: the one pool helper every part of the project runs its workers with. */
export { WorkerPool, isStartFailure, workerModule } from './worker-pool.js';
export type { WorkerPoolOptions, WorkerSource } from './worker-pool.js';
export { serveRequests } from './serve-requests.js';
export type { Answer } from './serve-requests.js';
export { workerFlags } from './worker-flags.js';
export type { WorkerFlags } from './worker-flags.js';
