/**
 * `--shard i/n`: splits a list of scenario files the way vitest splits test files (vitest 3,
 * `BaseSequencer.shard`): each file is keyed by its absolute path with the root (the current
 * folder) cut off, the keys' SHA-1 hex digests are sorted, and shard `i` takes the contiguous slice
 * `[(i-1)·⌈N/n⌉, i·⌈N/n⌉)`. So a file always lands in the same shard whatever order the files are
 * listed in, and a shard's files are the ones vitest would give it under the same paths.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/**
 * Parses `i/n` (vitest's `--shard` syntax).
 * @throws BodycamError `usage` when it is not two positive integers with i <= n
 */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 1 || index > count) {
    throw BodycamError.usage(`--shard: expected <index>/<count> with 1 <= index <= count, like 1/3, got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

/** The slice [start, end) of the hash-sorted list that shard `shard` takes out of `total` items. */
export function shardRange(total: number, shard: ShardSpec): { start: number; end: number } {
  const size = Math.ceil(total / shard.count);
  return { start: Math.min(total, size * (shard.index - 1)), end: Math.min(total, size * shard.index) };
}

/**
 * The indices (into `keys`) that `shard` takes, in input order. `digest` maps a key to the string
 * the items are sorted by (vitest: its SHA-1 hex). Pure.
 */
export function shardIndices(keys: readonly string[], shard: ShardSpec, digest: (key: string) => string): number[] {
  const sorted = keys.map((key, index) => ({ index, hash: digest(key) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const { start, end } = shardRange(keys.length, shard);
  return sorted.slice(start, end).map(({ index }) => index).sort((a, b) => a - b);
}

const slash = (path: string): string => path.replace(/\\/g, '/');

/** vitest's key for a file: its absolute path, slashes forward, with the root's length cut off. */
export function shardKey(file: string, root: string): string {
  return slash(resolve(root, file)).slice(slash(root).length);
}

/** SHA-1 hex of a key, as vitest hashes its spec paths. */
export function sha1Hex(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}

/**
 * The files `shard` runs, in the order given. Like vitest, a shard count above the number of files
 * is an error (some shards would be empty).
 * @param root the folder paths are keyed relative to (default: the current folder, like vitest's root)
 * @throws BodycamError `usage` when there are fewer files than shards
 */
export function selectShard<T extends string>(files: readonly T[], shard: ShardSpec, root: string = process.cwd()): T[] {
  return selectShardIndices(files, shard, root).map((index) => files[index] as T);
}

/** Like {@link selectShard}, giving the files' indices (in input order). */
export function selectShardIndices(files: readonly string[], shard: ShardSpec, root: string = process.cwd()): number[] {
  if (shard.count > files.length) {
    throw BodycamError.usage(`--shard ${shard.index}/${shard.count}: the shard count must not exceed the number of scenarios (${files.length}), as in vitest`);
  }
  return shardIndices(files.map((file) => shardKey(file, root)), shard, sha1Hex);
}
