/** `bodycam run` with several scenarios (in process, one at a time): folders per scenario, validation first. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tinyScenario, writeScenario } from '../check/scenarios.js';
import { tempDir } from '../helpers/tools.js';

describe('bodycam run --scenario A --scenario B', () => {
  it('writes each run to OUT/<name>/ and prints each summary in input order', async () => {
    const dir = tempDir('run-many');
    const a = writeScenario(join(dir, 'a.json'), tinyScenario([]));
    const b = writeScenario(join(dir, 'b.json'), tinyScenario([], 1.2, 3.5));
    const result = await runInProcess(['run', '--scenario', b, '--scenario', a, '--jobs', '1', '--out', join(dir, 'out')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a', 'b']);
    for (const name of ['a', 'b']) {
      expect(readdirSync(join(dir, 'out', name)).sort()).toEqual(['events.jsonl', 'recordings', 'run.json', 'timeline.png', 'timeline.svg']);
    }
    expect(result.stdout.indexOf(`${join(dir, 'out', 'b')}/recordings`)).toBeLessThan(result.stdout.indexOf(`${join(dir, 'out', 'a')}/recordings`));
  });

  it('validates every scenario before running any: bad input exits 2 and writes nothing', async () => {
    const dir = tempDir('run-many-bad');
    const good = writeScenario(join(dir, 'good.json'), tinyScenario([]));
    const bad = writeScenario(join(dir, 'bad.json'), { ...tinyScenario([]), events: [{ at: 1, press: 'recrod' }] });
    const result = await runInProcess(['run', '--scenario', good, '--scenario', bad, '--out', join(dir, 'out')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bodycam: .*bad\.json: events\[0\]\.press: expected one of "record", "power", "mute", "stream", found "recrod"\n$/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
