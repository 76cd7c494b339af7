/**
 * Issue 14: a run never deletes or overwrites a recording already on disk (contract §12). Running
 * again into the same --out used to delete the previous run's recordings silently.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { hashTree, tempDir } from '../helpers/tools.js';

let fixture: string;
beforeAll(async () => {
  fixture = (await makeFixture({ fps: 10, frames: 20, width: 32, height: 18, audio: { sampleRate: 8000, seconds: 2 },
    scenario: { format: 'bodycam-scenario/1', events: [{ at: 0.5, press: 'record' }] } })).dir;
});

describe('a second run into the same --out', () => {
  it('is refused with exit 2 naming a recording, and leaves every file of the first run as it was', async () => {
    const out = join(tempDir('rerun'), 'out');
    const first = await bodycam('run', fixture, '--out', out, '--json');
    expect(first.status).toBe(0);
    const before = hashTree(out);
    const recordings = readdirSync(join(out, 'recordings')).sort();
    expect(recordings.some((name) => name.endsWith('.mkv'))).toBe(true);

    const second = await bodycam('run', fixture, '--out', out);
    expect(second.status).toBe(2);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(out, 'recordings', recordings[0] ?? ''));
    expect(lines[0]).toMatch(/never deletes or overwrites a recording/);
    expect(lines[0]).toMatch(/another --out/);
    expect(hashTree(out)).toEqual(before);
  });

  it('is refused for a recording with no manifest (a killed run) and for a manifest alone', async () => {
    for (const name of ['X_20260101T000000Z.mkv', 'X_20260101T000000Z.json', 'X_20260101T000000Z.mkv.enc']) {
      const out = join(tempDir('rerun-one'), 'out');
      const first = await bodycam('run', fixture, '--out', out);
      expect(first.status).toBe(0);
      for (const file of readdirSync(join(out, 'recordings'))) rmSync(join(out, 'recordings', file));
      writeFileSync(join(out, 'recordings', name), 'kept');
      const second = await bodycam('run', fixture, '--out', out);
      expect(second.status, name).toBe(2);
      expect(second.stderr).toContain(name);
      expect(readFileSync(join(out, 'recordings', name), 'utf8')).toBe('kept');
    }
  });

  it('runs again once the recordings are gone (offloaded), replacing the log, the timeline and run.json', async () => {
    const out = join(tempDir('rerun-empty'), 'out');
    expect((await bodycam('run', fixture, '--out', out)).status).toBe(0);
    const firstRun = readFileSync(join(out, 'run.json'), 'utf8');
    for (const file of readdirSync(join(out, 'recordings'))) rmSync(join(out, 'recordings', file));
    writeFileSync(join(out, 'events.jsonl'), 'stale\n');
    const again = await bodycam('run', fixture, '--out', out);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(readFileSync(join(out, 'events.jsonl'), 'utf8')).not.toContain('stale');
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(firstRun);
    expect(existsSync(join(out, 'timeline.svg'))).toBe(true);
  });
});
