/**
 * `npm run bench`: the replay pipeline against its physical limit (issue 9). Prints JSON with the
 * real-time factor and ms per frame of a full replay (burn-in on), the limit (the same frames
 * decoded and re-encoded by sharp alone at the same quality, all cores busy), the efficiency
 * (limit time / pipeline time), ffmpeg's MJPEG transcode of the same frames, the passthrough mode,
 * peak RSS and bytes written per second.
 *
 *   npm run bench              5 minutes of 1280x720 at 30 fps, a recording every minute
 *   npm run bench -- --short   20 seconds (CI: well under 2 minutes)
 *   npm run bench -- --hour    also a 1-hour replay (the 5-minute clip looped) for RSS flatness
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DEFAULT_PROFILE, resolveProfile } from '../src/device/index.js';
import { JPEG_SETTINGS } from '../src/encoder/frame-encoder.js';
import { parseScenario } from '../src/fixture/index.js';
import { runJob } from '../src/sim/run-job.js';
import { openSource } from '../src/sim/run-job.js';
import { runReplay } from '../src/sim/replay.js';
import type { FrameSource } from '../src/sim/frame-source.js';
import { parseWallClock } from '../src/time/index.js';
import { type ClipSpec, clipFrameCount, clipScenario, ensureClip } from './bench-clip.js';

const args = new Set(process.argv.slice(2));
const short = args.has('--short');
const spec: ClipSpec = { width: 1280, height: 720, fps: 30, seconds: short ? 20 : 300, jpegQuality: 80 };
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Samples resident memory every 50 ms while `work` runs. */
async function withRss<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number; peakRssBytes: number; samples: number[] }> {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(process.memoryUsage.rss()), 50);
  const started = performance.now();
  try {
    const result = await work();
    return { result, wallMs: performance.now() - started, peakRssBytes: Math.max(...samples, process.memoryUsage.rss()), samples };
  } finally {
    clearInterval(timer);
  }
}

async function pipeline(clip: string, config?: Record<string, unknown>) {
  const outDir = mkdtempSync(join(tmpdir(), 'bodycam-bench-'));
  let configFile: string | undefined;
  if (config !== undefined) {
    configFile = join(outDir, 'config.json');
    (await import('node:fs')).writeFileSync(configFile, JSON.stringify(config));
  }
  try {
    const run = await withRss(() => runJob({ source: clip, outDir, ...(configFile === undefined ? {} : { configFile }) }));
    const bytesWritten = run.result.recordings.reduce((sum, m) => sum + m.bytes, 0);
    return { ...run, bytesWritten, frames: run.result.framesReplayed, fixtureUs: run.result.endUs, recordings: run.result.recordings.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The limit: read, decode and re-encode every frame with sharp alone, in one libvips pipeline per
 * frame, with the device encoder's JPEG settings, 2 per core in flight.
 */
async function sharpLimit(clip: string, frames: number): Promise<number> {
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let index = 0; index < frames; index += 1) {
    const file = join(clip, 'frames', `${String(index).padStart(6, '0')}.jpg`);
    inFlight.push(readFile(file).then((bytes) => sharp(bytes, { sequentialRead: true }).jpeg({ quality: spec.jpegQuality, ...JPEG_SETTINGS }).toBuffer()));
    if (inFlight.length >= cpus().length * 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return performance.now() - started;
}

/** ffmpeg transcoding the same frames to MJPEG in Matroska, or null without ffmpeg. */
function ffmpegTranscode(clip: string): { wallMs: number; qscale: number } | null {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) return null;
  const out = join(mkdtempSync(join(tmpdir(), 'bodycam-bench-ff-')), 'out.mkv');
  const qscale = 4; // ffmpeg's MJPEG qscale closest to libjpeg quality 80 in file size on this clip (docs/performance.md)
  const started = performance.now();
  const result = spawnSync('ffmpeg', ['-v', 'error', '-y', '-framerate', String(spec.fps), '-start_number', '0', '-i', join(clip, 'frames', '%06d.jpg'),
    '-c:v', 'mjpeg', '-q:v', String(qscale), '-f', 'matroska', out]);
  const wallMs = performance.now() - started;
  rmSync(out, { force: true });
  return result.status === 0 ? { wallMs, qscale } : null;
}

/** The clip looped to one hour of fixture time, a recording every minute, for memory flatness. */
async function hourReplay(clip: string) {
  const base = await openSource(clip);
  const loops = Math.ceil(3600 / spec.seconds);
  const clipUs = base.endUs;
  const looped: FrameSource = {
    ...base,
    frameCount: base.frameCount * loops,
    captureUs: Array.from({ length: base.frameCount * loops }, (_, i) => Math.floor(i / base.frameCount) * clipUs + (base.captureUs[i % base.frameCount] ?? 0)),
    readFrame: (index) => base.readFrame(index % base.frameCount),
    endUs: clipUs * loops,
  };
  const scenario = parseScenario(clipScenario({ ...spec, seconds: 3600 }), null, clip);
  const outDir = mkdtempSync(join(tmpdir(), 'bodycam-bench-hour-'));
  const marks: { fixtureMinute: number; rssBytes: number }[] = [];
  let lastMinute = -1;
  try {
    const run = await withRss(() => runReplay({
      source: looped, profile: resolveProfile(scenario.device), origin: parseWallClock('2026-11-22T14:00:00+01:00'),
      initialState: 'standby', inputs: scenario.inputs, outDir,
      onProgress: (fraction) => {
        const minute = Math.floor(fraction * 60);
        if (minute % 10 === 0 && minute !== lastMinute) {
          lastMinute = minute;
          marks.push({ fixtureMinute: minute, rssBytes: process.memoryUsage.rss() });
        }
      },
    }));
    return { wallMs: run.wallMs, peakRssBytes: run.peakRssBytes, marks, recordings: run.result.recordings.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const mb = (bytes: number): number => Number((bytes / 1e6).toFixed(1));
const clip = await ensureClip(spec, log);
const frames = clipFrameCount(spec);
const jpegBytes = readFileSync(join(clip, 'frames', '000000.jpg')).length;
log('pipeline (burn-in on)...');
const full = await pipeline(clip);
log('limit: sharp alone...');
const limitMs = await sharpLimit(clip, frames);
log('ffmpeg...');
const ffmpeg = ffmpegTranscode(clip);
log('passthrough...');
const passthrough = await pipeline(clip, { video: { burnIn: false } });
const hour = args.has('--hour') ? (log('one hour...'), await hourReplay(clip)) : null;
const fixtureMs = full.fixtureUs / 1000;
console.log(JSON.stringify({
  bench: 'pipeline',
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9), node: process.version, sharp: sharp.versions.vips },
  clip: { ...spec, frames, firstFrameBytes: jpegBytes, recordings: full.recordings },
  pipeline: {
    wallMs: Math.round(full.wallMs),
    realTimeFactor: Number((fixtureMs / full.wallMs).toFixed(2)),
    msPerFrame: Number((full.wallMs / frames).toFixed(3)),
    peakRssMB: mb(full.peakRssBytes),
    bufferMB: mb(DEFAULT_PROFILE.bufferBytes),
    writtenMBPerSecond: Number(((full.bytesWritten / 1e6) / (full.wallMs / 1000)).toFixed(1)),
  },
  limit: { wallMs: Math.round(limitMs), msPerFrame: Number((limitMs / frames).toFixed(3)) },
  efficiency: Number((limitMs / full.wallMs).toFixed(3)),
  ffmpeg: ffmpeg === null ? null : { wallMs: Math.round(ffmpeg.wallMs), qscale: ffmpeg.qscale, pipelineVsFfmpeg: Number((full.wallMs / ffmpeg.wallMs).toFixed(3)) },
  passthrough: { wallMs: Math.round(passthrough.wallMs), realTimeFactor: Number((fixtureMs / passthrough.wallMs).toFixed(1)), peakRssMB: mb(passthrough.peakRssBytes) },
  hour: hour === null ? null : {
    wallMs: Math.round(hour.wallMs), recordings: hour.recordings, peakRssMB: mb(hour.peakRssBytes),
    rssMBAtFixtureMinute: hour.marks.map((m) => [m.fixtureMinute, mb(m.rssBytes)]),
  },
}, null, 2));
