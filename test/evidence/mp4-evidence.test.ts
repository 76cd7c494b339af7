/**
 * The tools on an MP4 recording (issue 17): `verify` checks its hash, signature and boxes; the
 * back office offloads it and the prosecutor's export package carries it (plain and encrypted at
 * rest) and verifies; `export-audio` writes its PCM; `repair` leaves a complete one alone and rebuilds
 * a copy cut off at several offsets (every whole fragment kept byte for byte, ffmpeg and `verify`
 * pass, the facts and the loss in the manifest), and one cut by a power cut. One plain and one
 * encrypted run (beforeAll) serve every test but the power cut's.
 */
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFragmentedMp4 } from '../../src/container/index.js';
import { readBoxHeader } from '../../src/container/mp4/boxes.js';
import { exportRecording, hashFileSync, offloadDevice } from '../../src/evidence/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { hashTree, requireTestTool, run, tempDir } from '../helpers/tools.js';
import { CONTEXT, cli, newStore } from './helpers.js';

interface Mp4Run {
  readonly dir: string;
  readonly manifest: RecordingManifest;
  readonly file: string;
}

let fixture: string;
let plain: Mp4Run;
let encrypted: Mp4Run;

async function recordMp4(encrypt: boolean, extraEvents: Record<string, unknown>[] = []): Promise<Mp4Run> {
  const inputs = tempDir('mp4-evidence-inputs');
  const configFile = join(inputs, 'device.json');
  writeFileSync(configFile, JSON.stringify({ preRecordSeconds: 2, bootSeconds: 0, encryptAtRest: encrypt, video: { codec: 'h264', burnIn: false }, recording: { container: 'mp4' } }));
  const scenarioFile = join(inputs, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({ format: 'bodycam-scenario/1', clock: { start: '2026-11-22T10:00:00+01:00' }, events: [{ at: 3.0, press: 'record', hold: 0.2 }, ...extraEvents] }));
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

describe('export-audio on an MP4 recording', () => {
  it('export-audio writes its PCM sample for sample', async () => {
    const wav = join(tempDir('mp4-wav'), 'a.wav');
    const result = await cli('export-audio', plain.file, '--out', wav);
    expect(result.code, result.stderr).toBe(0);
    const samples = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'stream=duration_ts', '-of', 'csv=p=0', wav]).trim());
    expect(samples).toBe(plain.manifest.audio?.samples);
  });
});

/**
 * A copy of the plain run as a SIGKILL leaves it: the recording cut at `cutAt` bytes, no manifest,
 * the log as .part up to the recording's stop (unless `wholeLog`: a file cut later, its log whole).
 */
function killedCopy(cutAt: number, wholeLog = false): { dir: string; file: string } {
  const dir = tempDir('mp4-killed');
  cpSync(plain.dir, dir, { recursive: true });
  const file = join(dir, 'recordings', plain.manifest.file);
  writeFileSync(file, readFileSync(plain.file).subarray(0, cutAt));
  rmSync(join(dir, 'recordings', `${plain.manifest.id}.json`));
  const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n');
  const stop = lines.findIndex((line) => line.includes('"type":"recording.stop"'));
  expect(stop).toBeGreaterThan(0);
  writeFileSync(join(dir, 'events.jsonl.part'), wholeLog ? lines.join('\n') : lines.slice(0, stop).join('\n'));
  rmSync(join(dir, 'events.jsonl'));
  return { dir, file };
}

/** `sha256` of each video packet's data, in order (ffprobe). */
function packetHashes(file: string): string[] {
  return run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'sha256', '-show_entries', 'packet=data_hash', '-of', 'csv=p=0', file])
    .trim().split('\n').filter((line) => line !== '');
}

describe('repair of an MP4 recording', () => {
  it('leaves a complete one alone: exit 0, says so, writes nothing', async () => {
    const dir = tempDir('mp4-complete');
    cpSync(plain.dir, dir, { recursive: true });
    const result = await cli('repair', join(dir, 'recordings', plain.manifest.file));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/is complete \(the fragmented MP4 is finalized and its manifest says complete: true\): nothing to repair, nothing written/);
    expect(existsSync(join(dir, 'repaired'))).toBe(false);
  });

  it('rebuilds a cut-off one at any offset: every whole fragment\'s frames, byte for byte, in a finalized MP4 ffmpeg decodes; the manifest keeps the facts and counts what the cut fragment lost', async () => {
    const bytes = new Uint8Array(readFileSync(plain.file));
    const layout = readFragmentedMp4(bytes, { file: plain.file });
    expect(layout.fragments.length).toBeGreaterThanOrEqual(4);
    const all = packetHashes(plain.file);
    const third = layout.fragments[2]!;
    const thirdMoof = readBoxHeader(bytes, third.offset)!;
    const last = layout.fragments.at(-1)!;
    const cuts = [
      { at: third.offset + 20, name: 'inside the third fragment\'s moof' },
      { at: thirdMoof.end + 100, name: 'inside the third fragment\'s mdat' },
      { at: third.offset, name: 'between two fragments' },
      { at: last.end - 1, name: 'one byte short of the last fragment' },
      { at: third.offset, name: 'between two fragments, the log whole (its recording.stop counts the frames)', wholeLog: true },
    ];
    for (const cut of cuts) {
      const { dir, file } = killedCopy(cut.at, cut.wholeLog);
      const cutLayout = readFragmentedMp4(readFileSync(file), { file });
      const keptFrames = cutLayout.fragments.reduce((sum, f) => sum + (f.runs.find((r) => r.trackId === 1)?.sampleSizes.length ?? 0), 0);
      const recordingsBefore = hashTree(join(dir, 'recordings'));
      const result = await cli('repair', file);
      expect(result.code, `${cut.name}: ${result.stderr}`).toBe(0);
      expect(hashTree(join(dir, 'recordings')), cut.name).toEqual(recordingsBefore);
      const id = `${plain.manifest.id}.repaired`;
      const out = join(dir, 'repaired', `${id}.mp4`);
      const repaired = JSON.parse(readFileSync(join(dir, 'repaired', `${id}.json`), 'utf8')) as RecordingManifest;
      // The whole fragments come out as the device wrote them, then the index.
      const outBytes = new Uint8Array(readFileSync(out));
      expect(Buffer.compare(outBytes.subarray(0, cutLayout.validBytes), bytes.subarray(0, cutLayout.validBytes)), cut.name).toBe(0);
      expect(readFragmentedMp4(outBytes, { file: out }).finalized, cut.name).toBe(true);
      run('ffmpeg', ['-v', 'error', '-xerror', '-i', out, '-f', 'null', '-']);
      expect(packetHashes(out), cut.name).toEqual(all.slice(0, keptFrames));
      const cutFragment = cut.at === thirdMoof.end + 100 ? third : cut.at === last.end - 1 ? last : null;
      const cutFrames = cut.wholeLog === true ? plain.manifest.video.frames - keptFrames : cutFragment?.runs.find((r) => r.trackId === 1)?.sampleSizes.length ?? 0;
      expect(repaired, cut.name).toMatchObject({
        complete: false, repaired: true, file: `${id}.mp4`, bytes: outBytes.length,
        deviceId: plain.manifest.deviceId, trigger: plain.manifest.trigger, preRoll: plain.manifest.preRoll,
        video: { codec: 'avc1', frames: keptFrames, firstFrameUs: plain.manifest.video.firstFrameUs, width: 128, height: 72 },
        audio: { codec: 'ipcm', sampleRate: 8000 },
        originUs: plain.manifest.originUs,
        stop: cut.wholeLog === true ? plain.manifest.stop : { reason: 'power-cut', detail: 'cut-off' },
        repairedFrom: { id: plain.manifest.id, file: plain.manifest.file, bytes: cut.at, droppedBytes: cut.at - cutLayout.validBytes },
        lost: cutFrames === 0 ? null : { frames: cutFrames, reason: 'cut-off' },
      });
      // The event log (.part) has no stop: the wall clock's start and trigger are the file's (mvhd date, offset tag).
      expect([repaired.wallClock.start, repaired.wallClock.trigger], cut.name).toEqual([plain.manifest.wallClock.start, plain.manifest.wallClock.trigger]);
      expect((await cli('verify', join(dir, 'repaired'))).code, cut.name).toBe(0);
    }
  }, 60_000);

  it('after a power cut keeps the device manifest\'s stop and lost', async () => {
    const cut = await recordMp4(false, [{ at: 4.55, power: 'cut' }]);
    expect(cut.manifest.complete).toBe(false);
    const result = await cli('repair', cut.file);
    expect(result.code, result.stderr).toBe(0);
    const repaired = JSON.parse(readFileSync(join(cut.dir, 'repaired', `${cut.manifest.id}.repaired.json`), 'utf8')) as RecordingManifest;
    expect(repaired).toMatchObject({ complete: false, repaired: true, stop: cut.manifest.stop, lost: cut.manifest.lost, video: { frames: cut.manifest.video.frames } });
    expect(cut.manifest.lost?.frames).toBeGreaterThan(0);
  }, 30_000);
});
