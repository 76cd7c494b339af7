/** --shard i/n splits exactly like vitest's BaseSequencer.shard (checked against vitest itself). */
import fc from 'fast-check';
import { BaseSequencer } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { parseShard, selectShard, shardRange } from '../../src/parallel/index.js';

const ROOT = '/work/ci-root';

/** The files vitest's own sequencer gives shard `index`/`count`, for files under ROOT. */
async function vitestShard(files: readonly string[], index: number, count: number): Promise<string[]> {
  const sequencer = new BaseSequencer({ config: { root: ROOT, shard: { index, count } } } as never);
  const specs = files.map((file) => ({ moduleId: `${ROOT}/${file}` }));
  const picked = await sequencer.shard(specs as never);
  return (picked as unknown as { moduleId: string }[]).map((spec) => spec.moduleId.slice(ROOT.length + 1));
}

const fileName = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).map((name) => `scenarios/${name}.json`);

describe('selectShard', () => {
  it('takes the same files as vitest for every shard (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(fileName, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (files, wanted) => {
      const count = Math.min(wanted, files.length);
      const union: string[] = [];
      for (let index = 1; index <= count; index += 1) {
        const ours = selectShard(files, { index, count }, ROOT);
        expect(new Set(ours)).toEqual(new Set(await vitestShard(files, index, count)));
        // ours keeps the input order
        expect(ours).toEqual(files.filter((file) => ours.includes(file)));
        union.push(...ours);
      }
      expect(union.sort()).toEqual([...files].sort());
    }), { numRuns: Number(process.env.FC_RUNS ?? 60) });
  });

  it('does not depend on the order the files are listed in', () => {
    const files = Array.from({ length: 9 }, (_, i) => `s${i}.json`);
    const shuffled = [...files].reverse();
    for (let index = 1; index <= 3; index += 1) {
      expect(new Set(selectShard(files, { index, count: 3 }, ROOT))).toEqual(new Set(selectShard(shuffled, { index, count: 3 }, ROOT)));
    }
  });

  it('slices ceil(N/n) files per shard, the last one shorter', () => {
    expect([1, 2, 3].map((index) => shardRange(8, { index, count: 3 }))).toEqual([{ start: 0, end: 3 }, { start: 3, end: 6 }, { start: 6, end: 8 }]);
    expect(shardRange(2, { index: 3, count: 3 })).toEqual({ start: 2, end: 2 });
  });

  it('refuses more shards than files, like vitest', () => {
    expect(() => selectShard(['a.json'], { index: 1, count: 2 }, ROOT)).toThrow('--shard 1/2: the shard count must not exceed the number of scenarios (1), as in vitest');
  });
});

describe('parseShard', () => {
  it('reads i/n and rejects anything else with a usage error', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/2']) {
      expect(() => parseShard(bad)).toThrow(BodycamError);
      expect(() => parseShard(bad)).toThrow(/--shard: expected <index>\/<count>/);
    }
  });
});
