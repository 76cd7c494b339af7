/**
 * Issue 14, write faults: a recording file that cannot be written (disk full, I/O error) ends the
 * run with exit 3 and one line naming the file and the byte; the first error is the one reported;
 * the recording keeps what was written and its manifest says complete: false and why; the device
 * sees the fault (storageWriteFailed); the event log is kept up to the fault.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import type { BodycamError } from '../../src/errors/index.js';
import { loadScenario } from '../../src/fixture/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/replay.js';
import { openSource } from '../../src/source/index.js';
import { parseWallClock } from '../../src/time/index.js';
import { failingProtection } from '../helpers/failing-protection.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; t: number; code?: string });

describe('a recording file that cannot be written', () => {
  it.each(['ENOSPC', 'EIO'] as const)('%s: the first error ends the run; file, manifest and log keep what was written', async (code) => {
    const fixture = await makeFixture({
      fps: 10, frames: 120, width: 160, height: 90, audio: { sampleRate: 8_000, seconds: 12 },
      scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 2 }, events: [{ at: 3, press: 'record' }] },
    });
    const source = await openSource(fixture.dir);
    const scenario = await loadScenario(join(fixture.dir, 'scenario.json'));
    const outDir = tempDir(`write-fault-${code}`);
    const failure = runReplay({
      source, profile: resolveProfile(scenario.device), origin: parseWallClock('2026-01-01T00:00:00Z'),
      initialState: 'standby', inputs: scenario.inputs, outDir, protection: failingProtection(60_000, code),
    });
    await expect(failure).rejects.toMatchObject({ code: 'runtime', message: expect.stringMatching(new RegExp(`recordings/DRD-BC-0001_[0-9TZ]+\\.mkv at byte \\d+: ${code}`)) });
    const error = (await failure.then(() => new Error('the run did not fail'), (e: unknown) => e)) as BodycamError;
    const at = Number(/at byte (\d+)/.exec(error.message)?.[1]);
    const recordings = join(outDir, 'recordings');
    const mkv = readdirSync(recordings).find((f) => f.endsWith('.mkv'))!;
    // The file holds exactly the clusters written before the failing one, and reads.
    expect(readFileSync(join(recordings, mkv)).length).toBe(at);
    const parsed = readMatroska(new Uint8Array(readFileSync(join(recordings, mkv))));
    expect(parsed.finalized).toBe(false);
    const framesInFile = parsed.blocks.filter((b) => b.trackNumber === 1).length;
    expect(framesInFile).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(recordings, mkv.replace(/\.mkv$/, '.json')), 'utf8')) as RecordingManifest;
    expect(manifest).toMatchObject({ complete: false, bytes: at, stop: { reason: 'storage', detail: 'write-failure' }, video: { frames: framesInFile } });
    expect(manifest.lost?.reason).toBe('storage');
    // The log: kept (unpublished) up to the fault, with the device's own account of it.
    expect(existsSync(join(outDir, 'events.jsonl'))).toBe(false);
    const events = lines(join(outDir, 'events.jsonl.part'));
    const fault = events.find((e) => e.type === 'fault');
    expect(fault).toMatchObject({ code: 'storage-write-failed' });
    expect(events.some((e) => e.type === 'recording.finalized')).toBe(true);
    expect(events.at(-1)!.t).toBeGreaterThanOrEqual(fault!.t);
  });
});

describe('a recording whose finalize cannot be written', () => {
  it('EIO on the in-place patches: complete: false, its own stop kept, the error ends the run', async () => {
    const fixture = await makeFixture({
      fps: 10, frames: 60, width: 160, height: 90,
      scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, events: [{ at: 2, press: 'record' }, { at: 3, press: 'record', hold: 3.1 }] },
    });
    const source = await openSource(fixture.dir);
    const scenario = await loadScenario(join(fixture.dir, 'scenario.json'));
    const outDir = tempDir('finalize-fault');
    await expect(runReplay({
      source, profile: resolveProfile(scenario.device), origin: parseWallClock('2026-01-01T00:00:00Z'),
      initialState: 'standby', inputs: scenario.inputs, outDir, protection: failingProtection(Infinity, 'EIO', true),
    })).rejects.toMatchObject({ code: 'runtime', message: expect.stringMatching(/\.mkv at byte \d+: EIO/) });
    const recordings = join(outDir, 'recordings');
    const manifest = JSON.parse(readFileSync(join(recordings, readdirSync(recordings).find((f) => f.endsWith('.json'))!), 'utf8')) as RecordingManifest;
    expect(manifest).toMatchObject({ complete: false, stop: { atUs: 6_000_000, reason: 'button' } });
    expect(lines(join(outDir, 'events.jsonl.part')).find((e) => e.type === 'fault')).toMatchObject({ code: 'storage-write-failed' });
  });
});

/** A 2 MB tmpfs, where the system allows mounting one (root on Linux); null with the reason otherwise. */
function mountSmallDisk(): { dir: string } | { skipped: string } {
  const dir = tempDir('tmpfs-2m');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.error !== undefined || mounted.status !== 0) return { skipped: (mounted.stderr || String(mounted.error ?? 'mount failed')).trim() };
  return { dir };
}

const disk = process.platform === 'linux' ? mountSmallDisk() : { skipped: 'not Linux' };
const diskDir = 'dir' in disk ? disk.dir : '';
afterAll(() => {
  if (diskDir !== '') {
    spawnSync('umount', [diskDir]);
    rmdirSync(diskDir);
  }
});

describe('--out on a full disk (a 2 MB tmpfs)', () => {
  let fixtureDir = '';
  beforeAll(async () => {
    if (diskDir === '') return;
    fixtureDir = (await makeFixture({
      fps: 30, frames: 900, width: 320, height: 180,
      scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 2 }, events: [{ at: 1, press: 'record' }] },
    })).dir;
  });

  it.skipIf(diskDir === '')(`exit 3, one line naming the file and the byte; the log and the recording keep what fit${'skipped' in disk ? ` (SKIPPED: cannot mount a tmpfs here: ${disk.skipped})` : ''}`, async () => {
    const out = join(diskDir, 'out');
    mkdirSync(out);
    const result = await bodycam('run', fixtureDir, '--out', out);
    expect(result.status).toBe(3);
    expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^bodycam: ${out}/\\S+: cannot write ${out}/\\S+ at byte \\d+: ENOSPC`));
    const events = lines(join(out, 'events.jsonl.part'));
    expect(events.length).toBeGreaterThan(5);
    expect(events.some((e) => e.type === 'recording.start')).toBe(true);
    const mkv = readdirSync(join(out, 'recordings')).find((f) => f.endsWith('.mkv'))!;
    const parsed = readMatroska(new Uint8Array(readFileSync(join(out, 'recordings', mkv))));
    expect(parsed.blocks.filter((b) => b.trackNumber === 1).length).toBeGreaterThan(0);
  }, 60_000);
});
