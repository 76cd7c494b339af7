/**
 * Issue 14: `bodycam repair` of a recording cut off by a killed run or a power cut. It writes
 * beside the run's folders (DIR/repaired/) or to --out, never into recordings/; it does nothing
 * for a complete file; the repaired manifest carries the original facts (trigger, pre-roll,
 * markers) from the file's tags and the event log, says complete:false and repaired:true, is
 * signed with the device key, and `evidence offload` accepts it, logging the cut-off original's hash.
 */
import { createHash, verify as verifySignature, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { canonicalJson } from '../../src/evidence/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { ffprobeFramePtsUs, hashTree, requireTestTool, tempDir } from '../helpers/tools.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

let fixture: string;
beforeAll(async () => {
  requireTestTool('ffprobe');
  fixture = (await makeFixture({ fps: 10, frames: 100, width: 64, height: 36, audio: { sampleRate: 8000, seconds: 10 } })).dir;
});

/** Record from 4 s (2 s pre-roll requested, 3 s held? no: boot limits nothing), a marker at 6 s, then `end` events. */
async function record(end: Record<string, unknown>[], extra: string[] = []): Promise<{ out: string; manifest: RecordingManifest; file: string }> {
  const out = join(tempDir('repair'), 'out');
  const scenario = join(tempDir('repair-scenario'), 'scenario.json');
  writeFileSync(scenario, JSON.stringify({
    format: 'bodycam-scenario/1', device: { preRecordSeconds: 2, bootSeconds: 3 }, clock: { start: '2026-11-22T14:00:00+01:00' },
    events: [{ at: 4, press: 'record' }, { at: 6, press: 'record' }, { at: 7.5, press: 'record' }, ...end],
  }));
  const result = await bodycam('run', fixture, '--scenario', scenario, '--out', out, ...extra);
  // A power cut's loss is reported on stderr (contract §12); nothing else may be.
  expect(result.stderr.split('\n').filter((line) => line !== '' && !/^bodycam: recording \S+ lost \d+ frames? /.test(line))).toEqual([]);
  expect(result.status).toBe(0);
  const name = readdirSync(join(out, 'recordings')).find((f) => f.endsWith('.json')) ?? '';
  const manifest = readJson<RecordingManifest>(join(out, 'recordings', name));
  return { out, manifest, file: join(out, 'recordings', manifest.file) };
}

/** Turns a finished run into what a SIGKILL leaves: the file cut off, no manifest, the log as .part. */
function killRun(out: string, manifest: RecordingManifest, keepFraction = 0.6): string {
  const file = join(out, 'recordings', manifest.file);
  truncateSync(file, Math.floor(readFileSync(file).length * keepFraction));
  rmSync(join(out, 'recordings', `${manifest.id}.json`));
  renameSync(join(out, 'events.jsonl'), join(out, 'events.jsonl.part'));
  return file;
}

function checkSignature(manifest: RecordingManifest): string {
  const { signature, ...rest } = manifest;
  expect(signature).toBeDefined();
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(signature?.publicKey ?? '', 'base64')]), format: 'der', type: 'spki' });
  const message = Buffer.from(`bodycam-manifest-signature/1\n${canonicalJson(rest as never)}`, 'utf8');
  expect(verifySignature(null, message, key, Buffer.from(signature?.value ?? '', 'base64'))).toBe(true);
  return signature?.keyFingerprint ?? '';
}

describe('repair of a killed run\'s recording', () => {
  it('writes DIR/repaired/, never recordings/, with the original facts, complete:false, signed; ffprobe opens it', async () => {
    const { out, manifest } = await record([]);
    expect(manifest.markers).toHaveLength(2);
    expect(manifest.preRoll.actualUs).toBeGreaterThan(0);
    const file = killRun(out, manifest);
    const cutBytes = new Uint8Array(readFileSync(file));
    const recordingsBefore = hashTree(join(out, 'recordings'));

    const result = await bodycam('repair', file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(hashTree(join(out, 'recordings'))).toEqual(recordingsBefore);
    const repairedDir = join(out, 'repaired');
    expect(result.stdout).toContain(repairedDir);
    const id = `${manifest.id}.repaired`;
    const repaired = readJson<RecordingManifest>(join(repairedDir, `${id}.json`));
    const bytes = new Uint8Array(readFileSync(join(repairedDir, `${id}.mkv`)));
    const kept = readMatroska(cutBytes).blocks.filter((b) => b.trackNumber === 1).length;
    expect(kept).toBeLessThan(manifest.video.frames);
    expect(repaired).toMatchObject({
      id, file: `${id}.mkv`, deviceId: manifest.deviceId, officerId: manifest.officerId,
      complete: false, repaired: true,
      trigger: manifest.trigger, preRoll: manifest.preRoll, markers: manifest.markers,
      bytes: bytes.length, sha256: sha256(bytes),
      video: { frames: kept, firstFrameUs: manifest.video.firstFrameUs, width: 64, height: 36 },
      originUs: manifest.originUs,
      repairedFrom: { id: manifest.id, file: manifest.file, bytes: cutBytes.length, sha256: sha256(cutBytes) },
    });
    expect(repaired.wallClock.start).toBe(manifest.wallClock.start);
    expect(repaired.wallClock.trigger).toBe(manifest.wallClock.trigger);
    expect(checkSignature(repaired)).toBe(manifest.signature?.keyFingerprint);
    expect(ffprobeFramePtsUs(join(repairedDir, `${id}.mkv`))).toHaveLength(kept);

    const verify = await bodycam('verify', repairedDir);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const again = await bodycam('repair', file);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/repaired\.mkv: expected .*no repaired file there yet/);
  });

  it('finds the facts in the file\'s tags alone when the event log is gone (no markers then, and it says so)', async () => {
    const { out, manifest } = await record([]);
    const file = killRun(out, manifest);
    rmSync(join(out, 'events.jsonl.part'));
    const result = await bodycam('repair', file);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/no event log/);
    const repaired = readJson<RecordingManifest>(join(out, 'repaired', `${manifest.id}.repaired.json`));
    expect(repaired).toMatchObject({ trigger: manifest.trigger, preRoll: manifest.preRoll, markers: [] });
  });
});

describe('repair after a power cut (the run wrote a complete:false manifest)', () => {
  it('keeps verify of the run passing, and verify of repaired/ passes too', async () => {
    const { out, manifest } = await record([{ at: 8.33, power: 'cut' }]);
    expect(manifest.complete).toBe(false);
    expect((await bodycam('verify', out)).status).toBe(0);
    const result = await bodycam('repair', join(out, 'recordings', manifest.file));
    expect(result.status).toBe(0);
    expect((await bodycam('verify', out)).status).toBe(0);
    const repaired = readJson<RecordingManifest>(join(out, 'repaired', `${manifest.id}.repaired.json`));
    expect(repaired).toMatchObject({ complete: false, repaired: true, stop: manifest.stop, markers: manifest.markers, preRoll: manifest.preRoll });
    expect((await bodycam('verify', join(out, 'repaired'))).status).toBe(0);
  });
});

describe('repair of a complete recording', () => {
  it('says so and writes nothing (exit 0)', async () => {
    const { out, manifest, file } = await record([]);
    expect(manifest.complete).toBe(true);
    const before = hashTree(out);
    const result = await bodycam('repair', file);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/is complete.*nothing to repair/);
    expect(hashTree(out)).toEqual(before);
    expect(existsSync(join(out, 'repaired'))).toBe(false);
  });
});

describe('where repair writes', () => {
  it('--out DIR writes there; --out inside recordings/ is refused (exit 2)', async () => {
    const { out, manifest } = await record([]);
    const file = killRun(out, manifest);
    const refused = await bodycam('repair', file, '--out', join(out, 'recordings'));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--out: expected a folder outside recordings\//);
    const elsewhere = join(tempDir('repair-out'), 'fixed');
    const result = await bodycam('repair', file, '--out', elsewhere);
    expect(result.status).toBe(0);
    expect(readdirSync(elsewhere).sort()).toEqual([`${manifest.id}.repaired.json`, `${manifest.id}.repaired.mkv`]);
  });
});

describe('a repaired recording in the back office', () => {
  it('is signed with --device-key and offloaded, marked repaired with the cut-off original\'s SHA-256', async () => {
    const keys = tempDir('repair-keys');
    expect((await bodycam('evidence', 'keygen', '--device', 'DRD-BC-0001', '--out', keys)).status).toBe(0);
    const keyFile = join(keys, 'DRD-BC-0001.key.pem');
    const { out, manifest } = await record([], ['--device-key', keyFile]);
    const file = killRun(out, manifest);
    const cutSha = sha256(new Uint8Array(readFileSync(file)));
    const unsignedByKey = await bodycam('repair', file, '--out', join(tempDir('repair-sim'), 'r'));
    expect(unsignedByKey.stdout).toMatch(/simulation key/);
    const result = await bodycam('repair', file, '--device-key', keyFile);
    expect(result.status).toBe(0);
    const repaired = readJson<RecordingManifest>(join(out, 'repaired', `${manifest.id}.repaired.json`));
    expect(checkSignature(repaired)).toBe(manifest.signature?.keyFingerprint);

    const store = join(tempDir('repair-store'), 'st');
    expect((await bodycam('evidence', 'init', '--store', store)).status).toBe(0);
    const registered = await bodycam('evidence', 'register', 'DRD-BC-0001', '--public-key', join(keys, 'DRD-BC-0001.pub.pem'), '--store', store, '--now', '2026-11-23T09:00:00+01:00');
    expect(registered.stderr).toBe('');
    const offload = await bodycam('evidence', 'offload', join(out, 'repaired'), '--store', store, '--now', '2026-11-23T09:00:00+01:00');
    expect(offload.stderr).toBe('');
    expect(offload.status).toBe(0);
    const audit = readFileSync(join(store, 'audit.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { action: string; recordingId?: string; details: Record<string, unknown> });
    const offloaded = audit.find((entry) => entry.action === 'offloaded' && entry.recordingId === repaired.id);
    expect(offloaded?.details).toMatchObject({ repaired: true, repairedFromId: manifest.id, repairedFromSha256: cutSha });
    expect((await bodycam('verify', store)).status).toBe(0);
  });
});

