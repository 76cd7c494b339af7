/**
 * The tools on an MP4 recording (issue 17): `verify` checks its hash, signature and boxes; the
 * back office offloads it and the prosecutor's export package carries it (plain and encrypted at
 * rest) and verifies; `export-audio` writes its PCM; `repair` refuses it saying why. One plain and
 * one encrypted run (beforeAll) serve every test.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRecording, hashFileSync, offloadDevice } from '../../src/evidence/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';
import { CONTEXT, cli, newStore } from './helpers.js';

interface Mp4Run {
  readonly dir: string;
  readonly manifest: RecordingManifest;
  readonly file: string;
}

let fixture: string;
let plain: Mp4Run;
let encrypted: Mp4Run;

async function recordMp4(encrypt: boolean): Promise<Mp4Run> {
  const inputs = tempDir('mp4-evidence-inputs');
  const configFile = join(inputs, 'device.json');
  writeFileSync(configFile, JSON.stringify({ preRecordSeconds: 2, bootSeconds: 0, encryptAtRest: encrypt, video: { codec: 'h264', burnIn: false }, recording: { container: 'mp4' } }));
  const scenarioFile = join(inputs, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({ format: 'bodycam-scenario/1', clock: { start: '2026-11-22T10:00:00+01:00' }, events: [{ at: 3.0, press: 'record', hold: 0.2 }] }));
  const dir = tempDir('mp4-evidence-device');
  const result = await runJob({ source: fixture, outDir: dir, configFile, scenarioFile, evidence: encrypt ? { chunkBytes: 8192 } : {} });
  const manifest = result.recordings[0];
  if (manifest === undefined) throw new Error('no recording');
  return { dir, manifest, file: join(dir, 'recordings', manifest.file) };
}

beforeAll(async () => {
  requireTestTool('ffmpeg');
  requireTestTool('ffprobe');
  fixture = tempDir('mp4-evidence-fixture');
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=128x72:rate=10', '-t', '6', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1', '-g', '10', '-bf', '0', '-y', join(fixture, 'video.mkv')]);
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '6', '-c:a', 'pcm_s16le', '-y', join(fixture, 'audio.wav')]);
  writeFileSync(join(fixture, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: 10 }, audio: { file: 'audio.wav' } }));
  plain = await recordMp4(false);
  encrypted = await recordMp4(true);
}, 90_000);

describe('verify on an MP4 recording', () => {
  it('checks the hash, the signature and the boxes against the manifest', async () => {
    expect(plain.manifest.file).toMatch(/\.mp4$/);
    const result = await cli('verify', plain.file);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/structure: fragmented MP4: \d+ frames in whole fragments, finalized \(mfra\)/);
  });

  it('fails a copy whose last fragment and index were cut off with a manifest still saying complete (exit 1, naming the structure)', async () => {
    const copy = tempDir('mp4-evidence-cut');
    const bytes = readFileSync(plain.file);
    const cutFile = join(copy, plain.manifest.file);
    writeFileSync(cutFile, bytes.subarray(0, bytes.byteLength - 400));
    // The manifest re-signed would need the device key; here the manifest is the device's, so size and hash fail too.
    writeFileSync(join(copy, `${plain.manifest.id}.json`), readFileSync(join(plain.dir, 'recordings', `${plain.manifest.id}.json`)));
    const result = await cli('verify', cutFile);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/structure: .*(no whole mfra|the manifest says \d+)/);
  });
});

describe('offload and the prosecutor\'s export of an MP4 recording', () => {
  for (const kind of ['plain', 'encrypted'] as const) {
    it(`${kind}: the package holds the playable .mp4 and verifies`, async () => {
      const recording = kind === 'plain' ? plain : encrypted;
      const store = newStore();
      // Offload frees the device's copy: offload a copy of the run.
      const device = tempDir('mp4-evidence-copy');
      cpSync(recording.dir, device, { recursive: true });
      const items = offloadDevice(store, device, CONTEXT);
      expect(items.map((item) => item.status)).toEqual(['offloaded']);
      const dir = join(tempDir('mp4-export'), 'package');
      exportRecording(store, recording.manifest.id, dir, { at: '2026-01-03T10:00:00+01:00', actor: 'clerk', caseRef: 'OM-1' });
      const id = recording.manifest.id;
      expect(readdirSync(dir)).toContain(`${id}.mp4`);
      if (kind === 'encrypted') {
        expect(recording.manifest.file).toBe(`${id}.mp4.enc`);
        expect(readdirSync(dir)).toContain(`${id}.mp4.enc`);
        // Decrypted, it is the same MP4 as the plain run's (the same calls give the same bytes).
        expect(hashFileSync(join(dir, `${id}.mp4`)).sha256).toBe(plain.manifest.sha256);
      }
      run('ffmpeg', ['-v', 'error', '-xerror', '-i', join(dir, `${id}.mp4`), '-f', 'null', '-']);
      const result = await cli('verify', dir);
      expect(result.code, result.stdout).toBe(0);
    }, 60_000);
  }
});

describe('export-audio and repair on an MP4 recording', () => {
  it('export-audio writes its PCM sample for sample', async () => {
    const wav = join(tempDir('mp4-wav'), 'a.wav');
    const result = await cli('export-audio', plain.file, '--out', wav);
    expect(result.code, result.stderr).toBe(0);
    const samples = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'stream=duration_ts', '-of', 'csv=p=0', wav]).trim());
    expect(samples).toBe(plain.manifest.audio?.samples);
  });

  it('repair refuses it with exit 2 saying why', async () => {
    const result = await cli('repair', plain.file, '--out', tempDir('mp4-repair'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/repairing an MP4 recording is not supported yet .*plays as it is up to its last whole fragment/);
  });
});
