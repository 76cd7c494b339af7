/**
 * Issue 5, crash tolerance and interop: after a power cut the recording reads up to its last whole
 * cluster and says it is incomplete; `bodycam repair` rebuilds it beside the untouched original;
 * ffprobe and ffmpeg read clean, cut-off and repaired files correctly; export-audio is sample-exact.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { parseWav } from '../../src/fixture/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { readManifests, runCli } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { ffprobeFramePtsUs, requireTestTool, run, tempDir } from '../helpers/tools.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let fixtureDir: string;
beforeAll(async () => {
  requireTestTool('ffprobe');
  const fixture = await makeFixture({ fps: 10, frames: 200, width: 160, height: 90, audio: { sampleRate: 16_000, seconds: 20 } });
  fixtureDir = fixture.dir;
});

/**
 * A run's output, made once per list of events and shared by the tests that read it: each test
 * only reads the recording and writes beside it (repaired/, cut.mkv, audio.wav), never over it.
 */
const runs = new Map<string, { outDir: string; manifest: RecordingManifest }>();
function runScenario(events: Record<string, unknown>[]): { outDir: string; manifest: RecordingManifest } {
  const key = JSON.stringify(events);
  const made = runs.get(key) ?? runScenarioOnce(events);
  runs.set(key, made);
  return made;
}

function runScenarioOnce(events: Record<string, unknown>[]): { outDir: string; manifest: RecordingManifest } {
  const outDir = tempDir('crash');
  const scenario = join(outDir, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', device: { preRecordSeconds: 5 }, events }));
  const result = runCli(['run', fixtureDir, '--scenario', scenario, '--out', outDir]);
  // A power cut loses the frames not yet in a whole cluster: said on stderr (contract §12), once.
  const cut = events.some((event) => event['power'] === 'cut');
  // The cut also loses the audio the card had not written (counted since lost audio is, contract §12).
  expect(result.stderr).toMatch(cut
    ? /^bodycam: recording \S+ lost \d+ frames? and \d+ audio samples captured from \d+ µs to \d+ µs \(frames: \d+ power-cut; audio samples: \d+ power-cut\)\n$/
    : /^$/);
  expect(result.status).toBe(0);
  const manifests = readManifests(outDir);
  expect(manifests).toHaveLength(1);
  return { outDir, manifest: manifests[0] as RecordingManifest };
}

/** ffprobe's view of a file: frames and duration per stream. */
function probe(file: string): { videoFrames: number; audioSamples: number; formatDurationUs: number } {
  const videoFrames = ffprobeFramePtsUs(file).length;
  const samples = run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'frame=nb_samples', '-of', 'csv=p=0', file])
    .split('\n').map((s) => Number(s.replace(',', ''))).filter((n) => n > 0).reduce((a, b) => a + b, 0);
  const duration = Number(run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).trim());
  return { videoFrames, audioSamples: samples, formatDurationUs: Math.round(duration * 1e6) };
}

function decodesCleanly(file: string): void {
  expect(run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']).trim()).toBe('');
}

describe('a power cut while recording', () => {
  it('leaves a file readable up to its last whole cluster, marked incomplete', () => {
    const { outDir, manifest } = runScenario([{ at: 8, press: 'record' }, { at: 14.33, power: 'cut' }]);
    const file = join(outDir, 'recordings', manifest.file);
    const bytes = new Uint8Array(readFileSync(file));
    expect(manifest).toMatchObject({ complete: false, stop: { atUs: 14_330_000, reason: 'power-cut' }, lost: { reason: 'power-cut' } });
    // Every frame captured from the first up to the cut is in the file or counted as lost.
    expect(manifest.video.frames + (manifest.lost?.frames ?? 0)).toBe(Math.floor((14_330_000 - (manifest.video.firstFrameUs ?? 0)) / 100_000) + 1);
    expect(manifest.sha256).toBe(sha256(bytes));
    const parsed = readMatroska(bytes);
    expect(parsed.finalized).toBe(false);
    const frames = parsed.blocks.filter((b) => b.trackNumber === 1);
    expect(frames.length).toBe(manifest.video.frames);
    expect((manifest.video.lastFrameUs ?? 0)).toBeLessThan(14_330_000);
    expect((manifest.video.lastFrameUs ?? 0)).toBeGreaterThan(14_330_000 - 1_500_000);
    const seen = probe(file);
    expect(seen.videoFrames).toBe(manifest.video.frames);
    expect(seen.audioSamples).toBe(manifest.audio?.samples);
    decodesCleanly(file);
  });

  it('is rebuilt by `bodycam repair` into DIR/repaired/, the original untouched', () => {
    const { outDir, manifest } = runScenario([{ at: 8, press: 'record' }, { at: 14.33, power: 'cut' }]);
    const file = join(outDir, 'recordings', manifest.file);
    const before = sha256(new Uint8Array(readFileSync(file)));
    const result = runCli(['repair', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Repaired .*: \d+ frames, \d+ audio samples, \d+\.\d{6} s/);
    expect(sha256(new Uint8Array(readFileSync(file)))).toBe(before);
    const repairedFile = join(outDir, 'repaired', manifest.file.replace(/\.mkv$/, '.repaired.mkv'));
    const repairedBytes = new Uint8Array(readFileSync(repairedFile));
    const repaired = JSON.parse(readFileSync(repairedFile.replace(/\.mkv$/, '.json'), 'utf8')) as RecordingManifest;
    expect(repaired).toMatchObject({
      repaired: true, complete: false, file: manifest.file.replace(/\.mkv$/, '.repaired.mkv'),
      repairedFrom: { file: manifest.file, sha256: before },
      video: { frames: manifest.video.frames, firstFrameUs: manifest.video.firstFrameUs, lastFrameUs: manifest.video.lastFrameUs },
      stop: manifest.stop,
    });
    expect(repaired.sha256).toBe(sha256(repairedBytes));
    const parsed = readMatroska(repairedBytes);
    expect(parsed.finalized).toBe(true);
    expect(parsed.cuePoints).toBeGreaterThan(0);
    const seen = probe(repairedFile);
    expect(seen.videoFrames).toBe(manifest.video.frames);
    expect(seen.audioSamples).toBe(manifest.audio?.samples);
    const lastUs = (manifest.video.lastFrameUs ?? 0) - manifest.originUs;
    expect(seen.formatDurationUs).toBeGreaterThanOrEqual(lastUs);
    expect(seen.formatDurationUs).toBeLessThanOrEqual(lastUs + 200_000);
    decodesCleanly(repairedFile);
  });
});

describe('interop of clean, cut-off and repaired recordings', () => {
  it('ffprobe reads every stream\'s frames and duration, and ffmpeg decodes every frame', () => {
    const { outDir, manifest } = runScenario([{ at: 8, press: 'record' }, { at: 12, press: 'record', hold: 3.2 }]);
    const clean = join(outDir, 'recordings', manifest.file);
    expect(manifest.complete).toBe(true);
    const seen = probe(clean);
    expect(seen.videoFrames).toBe(manifest.video.frames);
    expect(seen.audioSamples).toBe(manifest.audio?.samples);
    expect(Math.abs(seen.formatDurationUs - (manifest.stop.atUs - manifest.originUs))).toBeLessThanOrEqual(1000);
    decodesCleanly(clean);

    const bytes = readFileSync(clean);
    const cut = join(outDir, 'cut.mkv');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const whole = readMatroska(new Uint8Array(readFileSync(cut))).blocks.filter((b) => b.trackNumber === 1).length;
    expect(probe(cut).videoFrames).toBeGreaterThanOrEqual(whole);
    const repair = runCli(['repair', cut]);
    expect(repair.status).toBe(0);
    const repaired = join(outDir, 'repaired', 'cut.repaired.mkv');
    expect(probe(repaired).videoFrames).toBe(whole);
    decodesCleanly(repaired);
  });

  it('export-audio writes the recording\'s samples exactly', () => {
    const { outDir, manifest } = runScenario([{ at: 8, press: 'record' }, { at: 12, press: 'record', hold: 3.2 }]);
    const clean = join(outDir, 'recordings', manifest.file);
    const wav = join(outDir, 'audio.wav');
    const result = runCli(['export-audio', clean, '--out', wav]);
    expect(result.status).toBe(0);
    const exported = parseWav(new Uint8Array(readFileSync(wav)), wav);
    expect(exported.sampleRate).toBe(16_000);
    const blocks = readMatroska(new Uint8Array(readFileSync(clean))).blocks.filter((b) => b.trackNumber === 2);
    const inFile = Buffer.concat(blocks.map((b) => Buffer.from(b.payload)));
    expect(exported.samples.length).toBe(manifest.audio?.samples);
    expect(Buffer.from(exported.samples.buffer, exported.samples.byteOffset, exported.samples.byteLength).equals(inFile)).toBe(true);
    expect(manifest.avSync).toMatchObject({ endErrorUs: 0, maxDriftUs: 0 });
    expect(Math.abs(manifest.avSync?.startErrorUs ?? 99)).toBeLessThan(1e6 / 16_000);
  });

  it('repair of something that is not a recording is a bad input (exit 2, one line)', () => {
    const dir = tempDir('notmkv');
    const bogus = join(dir, 'x.mkv');
    writeFileSync(bogus, 'not a matroska file at all');
    const result = runCli(['repair', bogus]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/x\.mkv.*expected an EBML header/);
  });
});
