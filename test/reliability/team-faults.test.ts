/**
 * Issue 18's reliability leftovers (issue 14 for a team): one camera's storage fails mid-recording
 * while its team records (exit 3 with the first error, naming the file and byte; that camera's
 * recording cut off with its manifest saying so; the other cameras' recordings intact and
 * complete; every log kept up to the fault), and `bodycam repair` of a recording the trigger bus
 * started brings back the signal's kind and sender.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { runFleet } from '../../src/fleet/index.js';
import { type RecordingManifest, recoverRepairFacts } from '../../src/recorder/index.js';
import { failingProtection } from '../helpers/failing-protection.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { ffprobeFramePtsUs, tempDir } from '../helpers/tools.js';

const IDS = ['DRD-BC-0001', 'DRD-BC-0002', 'DRD-BC-0003'] as const;
const FAULTY = 'DRD-BC-0002';
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const eventsOf = (file: string): DeviceEvent[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeviceEvent);
const manifestsOf = (device: string): RecordingManifest[] => readdirSync(join(device, 'recordings')).filter((f) => f.endsWith('.json')).map((f) => readJson<RecordingManifest>(join(device, 'recordings', f)));

/** A team of three on one small fixture; DRD-BC-0001's holster starts all three at 2 s. */
async function team(): Promise<string> {
  const dir = tempDir('team-faults');
  await makeFixture({ dir: join(dir, 'officer'), fps: 10, frames: 60, width: 64, height: 36 });
  writeFileSync(join(dir, 'team.json'), JSON.stringify({
    format: 'bodycam-scenario/1', clock: { start: '2026-11-22T14:00:00+01:00' }, device: { preRecordSeconds: 1 },
    devices: IDS.map((id, i) => ({ id, officerId: `H-000${i + 1}`, fixture: 'officer', group: 'team-1' })),
    triggerBus: { latencyMs: 300 },
    events: [{ at: 2, device: 'DRD-BC-0001', signal: 'holster' }],
  }));
  return dir;
}

describe('a team where one camera\'s storage fails mid-recording', () => {
  let dir = '';
  let error: unknown = null;
  beforeAll(async () => {
    dir = await team();
    error = await runFleet({
      scenarioFile: join(dir, 'team.json'), outDir: join(dir, 'out'), timeline: false,
      recordingProtection: (id) => (id === FAULTY ? failingProtection(8_000, 'EIO') : undefined),
    }).then(() => null, (e: unknown) => e);
  }, 60_000);

  it('ends with the first error (exit 3), naming that camera\'s file and the byte', () => {
    expect(error).toBeInstanceOf(BodycamError);
    expect(error).toMatchObject({ code: 'runtime', message: expect.stringMatching(new RegExp(`devices/${FAULTY}/recordings/${FAULTY}_\\S+\\.mkv at byte \\d+: EIO`)) });
  });

  it('cuts that camera\'s recording off with a manifest that says why; its log is kept up to the fault', () => {
    const device = join(dir, 'out', 'devices', FAULTY);
    const [manifest, ...more] = manifestsOf(device);
    expect(more).toEqual([]);
    const at = Number(/at byte (\d+)/.exec((error as Error).message)?.[1]);
    expect(manifest).toMatchObject({ complete: false, bytes: at, stop: { reason: 'storage', detail: 'write-failure' }, lost: { reason: 'storage' } });
    expect(readFileSync(join(device, 'recordings', manifest!.file)).length).toBe(at);
    expect(existsSync(join(device, 'events.jsonl'))).toBe(false);
    const events = eventsOf(join(device, 'events.jsonl.part'));
    const fault = events.find((e) => e.type === 'fault');
    expect(fault).toMatchObject({ code: 'storage-write-failed' });
    expect(events.some((e) => e.type === 'recording.finalized' && !e.complete)).toBe(true);
  });

  it('leaves the other cameras\' recordings intact and complete, and their logs whole', () => {
    for (const id of IDS.filter((one) => one !== FAULTY)) {
      const device = join(dir, 'out', 'devices', id);
      const [manifest, ...more] = manifestsOf(device);
      expect(more, id).toEqual([]);
      expect(manifest, id).toMatchObject({ complete: true, lost: null, stop: { reason: 'end-of-fixture' } });
      expect(ffprobeFramePtsUs(join(device, 'recordings', manifest!.file)), id).toHaveLength(manifest!.video.frames);
      const events = eventsOf(join(device, 'events.jsonl'));
      expect(events.some((e) => e.type === 'recording.finalized' && e.complete), id).toBe(true);
    }
  });

  it('repair of a recording the bus started brings back the signal\'s kind and sender (from the file\'s tags)', async () => {
    // DRD-BC-0003's recording as a SIGKILL leaves it: cut off, no manifest, the log as .part.
    const device = join(tempDir('team-repair'), 'DRD-BC-0003');
    cpSync(join(dir, 'out', 'devices', 'DRD-BC-0003'), device, { recursive: true });
    const [manifest] = manifestsOf(device);
    expect(manifest!.trigger).toMatchObject({ source: 'signal', signal: 'holster', sender: 'DRD-BC-0001' });
    const file = join(device, 'recordings', manifest!.file);
    truncateSync(file, Math.floor(readFileSync(file).length * 0.6));
    rmSync(join(device, 'recordings', `${manifest!.id}.json`));
    rmSync(join(device, 'events.jsonl'));
    const result = await bodycam('repair', file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const repaired = readJson<RecordingManifest>(join(device, 'repaired', `${manifest!.id}.repaired.json`));
    expect(repaired.trigger).toEqual(manifest!.trigger);
  });
});

describe('repair facts of a bus-triggered recording from the event log alone', () => {
  it('takes the signal and sender from recording.start when the file has no such tags', () => {
    const events = [{ t: 2_300_000, type: 'recording.start', id: 'R', firstFrameUs: 1_300_000, triggerUs: 2_300_000, source: 'signal', signal: 'taser', sender: 'DRD-BC-0009' }] as DeviceEvent[];
    const facts = recoverRepairFacts('R', null, { BODYCAM_ORIGIN_US: '1300000' }, events);
    expect(facts.trigger).toEqual({ atUs: 2_300_000, source: 'signal', signal: 'taser', sender: 'DRD-BC-0009' });
  });

  it('takes them from the tags, and ignores a signal tag that names no signal', () => {
    const tags = { BODYCAM_TRIGGER_US: '5000', BODYCAM_TRIGGER_SOURCE: 'signal', BODYCAM_TRIGGER_SIGNAL: 'gunshot', BODYCAM_TRIGGER_SENDER: 'DRD-BC-0004' };
    expect(recoverRepairFacts('R', null, tags, null).trigger).toEqual({ atUs: 5000, source: 'signal', signal: 'gunshot', sender: 'DRD-BC-0004' });
    expect(recoverRepairFacts('R', null, { ...tags, BODYCAM_TRIGGER_SIGNAL: 'cat /etc/passwd' }, null).trigger).toEqual({ atUs: 5000, source: 'signal' });
  });
});

/** A small tmpfs where the system allows mounting one (root on Linux). */
function mountSmallDisk(at: string): string | null {
  mkdirSync(at, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', at], { encoding: 'utf8' });
  return mounted.error !== undefined || mounted.status !== 0 ? (mounted.stderr || String(mounted.error ?? 'mount failed')).trim() : null;
}

describe('bodycam run of a team whose one camera\'s card is full (a 64 KiB tmpfs)', () => {
  let dir = '';
  let mountPoint = '';
  let skipped: string | null = 'not Linux';
  beforeAll(async () => {
    if (process.platform !== 'linux') return;
    dir = await team();
    mountPoint = join(dir, 'out', 'devices', FAULTY, 'recordings');
    skipped = mountSmallDisk(mountPoint);
  }, 60_000);
  afterAll(() => {
    if (skipped === null) spawnSync('umount', [mountPoint]);
    if (mountPoint !== '' && existsSync(mountPoint)) rmdirSync(mountPoint);
  });

  it('exits 3 with one line naming the file and byte; the other cameras complete', async (context) => {
    if (skipped !== null) context.skip(`cannot mount a tmpfs here: ${skipped}`);
    // Frames large enough to pass 64 KiB in the recording.
    renameSync(join(dir, 'team.json'), join(dir, 'team-small.json'));
    const scenario = readJson<Record<string, unknown>>(join(dir, 'team-small.json'));
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ ...scenario, device: { preRecordSeconds: 1, video: { jpegQuality: 100 } } }));
    const result = await bodycam('run', join(dir, 'team.json'), '--out', join(dir, 'out'));
    expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^bodycam: \\S+/devices/${FAULTY}/recordings/\\S+\\.mkv: cannot write \\S+ at byte \\d+: ENOSPC`));
    expect(result.status).toBe(3);
    expect(manifestsOf(join(dir, 'out', 'devices', FAULTY))[0]).toMatchObject({ complete: false, stop: { reason: 'storage' } });
    for (const id of IDS.filter((one) => one !== FAULTY)) expect(manifestsOf(join(dir, 'out', 'devices', id))[0], id).toMatchObject({ complete: true });
  }, 60_000);
});
