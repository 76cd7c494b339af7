/**
 * Splitting one team scenario (contract §10) by camera: `--shard i/n` takes a contiguous slice of
 * the cameras in the scenario's order (`[(i-1)·⌈N/n⌉, i·⌈N/n⌉)`, as vitest slices its sorted
 * files), and `--jobs n` splits a run's cameras the same way over n workers. A camera's outputs
 * depend only on the scenario (the bus's signals are scenario events, so every shard computes the
 * deliveries to its own cameras), so the slices' `devices/<id>/` folders are the unsplit run's.
 * Pure.
 */
import { BodycamError } from '../errors/index.js';
import { type ShardSpec, shardRange } from './shard.js';

/**
 * The camera ids shard `shard` runs, in scenario order.
 * @throws BodycamError `usage` when there are more shards than cameras (a shard would be empty)
 */
export function selectCameraShard(ids: readonly string[], shard: ShardSpec): string[] {
  if (shard.count > ids.length) {
    throw BodycamError.usage(`--shard: ${shard.count} shards for ${ids.length} camera${ids.length === 1 ? '' : 's'}; use at most ${ids.length}`);
  }
  const { start, end } = shardRange(ids.length, shard);
  return ids.slice(start, end);
}

/** The cameras split into at most `jobs` non-empty contiguous slices, in scenario order. */
export function splitCameras(ids: readonly string[], jobs: number): string[][] {
  const count = Math.max(1, Math.min(jobs, ids.length));
  return Array.from({ length: count }, (_, i) => selectCameraShard(ids, { index: i + 1, count })).filter((slice) => slice.length > 0);
}
