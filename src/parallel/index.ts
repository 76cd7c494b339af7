/**
 * Parallel runs: many scenarios over worker threads (`--jobs`), vitest-style sharding
 * (`--shard i/n`), and the output folder names of a batch.
 */
export { runJobs, defaultJobCount, defaultEncodeConcurrency } from './run-jobs.js';
export type { RunJobsOptions } from './run-jobs.js';
export { serializeError, deserializeError } from './job-outcome.js';
export type { ScenarioJob, JobOutcome, SerializedError } from './job-outcome.js';
export { parseShard, selectShard, selectShardIndices, shardIndices, shardRange, shardKey, sha1Hex } from './shard.js';
export type { ShardSpec } from './shard.js';
export { outputNames } from './output-names.js';
export { selectCameraShard, splitCameras } from './camera-shard.js';
export { runTeamJobs } from './run-team-jobs.js';
export type { RunTeamJobsOptions } from './run-team-jobs.js';
