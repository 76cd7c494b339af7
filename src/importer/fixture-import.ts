/**
 * `bodycam fixture import`: any video ffmpeg reads becomes a fixture folder (contract §2) with its
 * real per-frame capture times and its audio. One ffmpeg pass writes the frames and the WAV; the
 * showinfo filters report every frame's and the first audio block's timestamp in µs (settb), so
 * frames and audio share one timeline. The folder appears only when complete (written as
 * `DIR.part-<pid>` and renamed).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BodycamError, assertArgument } from '../errors/index.js';
import { requireTool, runTool } from './external-tool.js';
import { checkCopiedFixture, copyH264 } from './copy-import.js';
import { type ProbedVideo, probeVideo } from './probe.js';

/** What to import. */
export interface ImportOptions {
  readonly video: string;
  readonly outDir: string;
  /** Resample to this constant frame rate (ffmpeg's fps filter); default: keep every source frame and its time. */
  readonly fps?: number;
  /** Scale to exactly this size. */
  readonly size?: { readonly width: number; readonly height: number };
  /** Start and end of the excerpt, seconds of the source's timeline. */
  readonly fromSeconds?: number;
  readonly toSeconds?: number;
  /** Replace an existing output folder. */
  readonly force?: boolean;
  /**
   * `copy`: keep an H.264 video's access units and times (an H.264 fixture, contract §9) rather
   * than decode every frame to JPEG (the default).
   */
  readonly codec?: 'jpeg' | 'copy';
  /** Called as ffmpeg decodes, with the fraction of the span done (for a progress bar only). */
  readonly onProgress?: (fraction: number) => void;
}

/** What an import wrote. */
export interface ImportResult {
  readonly dir: string;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly firstFrameSourceUs: number;
  readonly audio: { readonly sampleRate: number; readonly samples: number; readonly startUs: number } | null;
  /** Frames whose timestamp had to be moved 1 µs later to keep capture times strictly increasing. */
  readonly nudgedFrames: number;
}

const SHOWINFO = /Parsed_(a?)showinfo_\d+ @ [^\]]+\] n:\s*(\d+) pts:\s*(-?\d+)/;

/** Imports `options.video` into a new fixture folder. */
export async function importFixture(options: ImportOptions): Promise<ImportResult> {
  validateOptions(options);
  requireTool('ffmpeg', 'bodycam fixture import');
  requireTool('ffprobe', 'bodycam fixture import');
  const video = resolve(options.video);
  if (!existsSync(video) || !statSync(video).isFile()) throw BodycamError.badInput({ file: video }, 'a video file', 'nothing at that path');
  const outDir = resolve(options.outDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && options.force !== true) {
    throw BodycamError.usage(`${outDir}: the output folder exists and is not empty (use --force to replace it)`);
  }
  const probed = await probeVideo(video);
  const work = `${outDir}.part-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'frames'), { recursive: true });
  try {
    const result = options.codec === 'copy' ? await extractCopy(video, work, probed, options) : await extract(video, work, probed, options);
    if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(work, outDir);
    return { ...result, dir: outDir };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

/** The H.264 track as it is (copy-import.ts), with the same scenario and provenance as a plain import. */
async function extractCopy(video: string, work: string, probed: ProbedVideo, options: ImportOptions): Promise<Omit<ImportResult, 'dir'>> {
  const copied = await copyH264(video, work, probed);
  const name = basename(video).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  writeFileSync(join(work, 'fixture.json'), `${JSON.stringify({ ...copied.fixtureJson, name, scenario: 'scenario.json' }, null, 2)}\n`);
  writeFileSync(join(work, 'scenario.json'), `${JSON.stringify(starterScenario(copied.lastUs), null, 2)}\n`);
  writeProvenance(work, video, options, 0);
  rmSync(join(work, 'frames'), { recursive: true, force: true });
  await checkCopiedFixture(work, video);
  return { frames: copied.frames, width: probed.width, height: probed.height, fps: copied.fps, firstFrameSourceUs: 0, audio: copied.audio, nudgedFrames: 0 };
}

function validateOptions(options: ImportOptions): void {
  if (options.codec === 'copy' && (options.fps !== undefined || options.size !== undefined || options.fromSeconds !== undefined || options.toSeconds !== undefined)) {
    throw BodycamError.usage('--codec copy keeps the stream as it is: --fps, --size, --from and --to need a re-encode (leave out --codec copy)');
  }
  if (options.fps !== undefined) assertArgument(Number.isFinite(options.fps) && options.fps > 0 && options.fps <= 240, '--fps', 'a frame rate above 0 and at most 240', options.fps);
  if (options.size !== undefined) {
    const { width, height } = options.size;
    assertArgument(Number.isInteger(width) && Number.isInteger(height) && width >= 16 && height >= 16 && width <= 16384 && height <= 16384 && width % 2 === 0 && height % 2 === 0,
      '--size', 'WxH with even integers from 16 to 16384', `${width}x${height}`);
  }
  const from = options.fromSeconds ?? 0;
  assertArgument(Number.isFinite(from) && from >= 0, '--from', 'a non-negative number of seconds', options.fromSeconds);
  if (options.toSeconds !== undefined) assertArgument(Number.isFinite(options.toSeconds) && options.toSeconds > from, '--to', `a number of seconds after --from (${from})`, options.toSeconds);
}

async function extract(video: string, work: string, probed: ProbedVideo, options: ImportOptions): Promise<Omit<ImportResult, 'dir'>> {
  const filters = [
    ...(options.fps === undefined ? [] : [`fps=${options.fps}`]),
    ...(options.size === undefined ? [] : [`scale=${options.size.width}:${options.size.height}:flags=lanczos`]),
    'settb=1/1000000',
    'showinfo',
  ];
  const sampleRate = probed.audio === null ? 0 : Math.min(48_000, Math.max(8_000, probed.audio.sampleRate || 16_000));
  const args = [
    '-hide_banner', '-nostdin', '-y',
    ...(options.fromSeconds === undefined ? [] : ['-ss', String(options.fromSeconds)]),
    ...(options.toSeconds === undefined ? [] : ['-to', String(options.toSeconds)]),
    '-copyts', '-i', video,
    '-map', '0:v:0', '-vf', filters.join(','), '-fps_mode', 'passthrough', '-q:v', '2', '-start_number', '0',
    join(work, 'frames', '%06d.jpg'),
    ...(probed.audio === null ? [] : [
      '-map', '0:a:0', '-af', 'aresample=async=1,asettb=1/1000000,ashowinfo', '-ac', '1', '-ar', String(sampleRate),
      '-c:a', 'pcm_s16le', join(work, 'audio.wav'),
    ]),
  ];
  const videoPts: number[] = [];
  // the span ffmpeg will decode, in the µs of its (copied) timestamps, for progress only
  const fromUs = Math.round((options.fromSeconds ?? 0) * 1e6);
  const endSeconds = options.toSeconds ?? probed.durationSeconds;
  const spanUs = endSeconds === null || endSeconds <= (options.fromSeconds ?? 0) ? null : Math.round(endSeconds * 1e6) - fromUs;
  let audioFirstPts: number | null = null;
  let audioSamples = 0;
  const run = await runTool('ffmpeg', args, (line) => {
    const match = SHOWINFO.exec(line);
    if (match === null) return;
    const pts = Number(match[3]);
    if (match[1] === 'a') {
      audioFirstPts ??= pts;
      const samples = /nb_samples:(\d+)/.exec(line);
      audioSamples += samples === null ? 0 : Number(samples[1]);
    } else {
      videoPts[Number(match[2])] = pts;
      if (options.onProgress !== undefined && spanUs !== null) options.onProgress(Math.min(1, Math.max(0, (pts - fromUs) / spanUs)));
    }
  });
  if (run.status !== 0) {
    throw BodycamError.badInput({ file: video }, 'a video that ffmpeg can decode', `ffmpeg failed: ${run.stderr.trim().split('\n').pop() ?? 'unknown error'}`);
  }
  const frameFiles = readdirSync(join(work, 'frames')).filter((name) => name.endsWith('.jpg')).length;
  if (frameFiles === 0) throw BodycamError.badInput({ file: video }, 'at least one video frame in the selected span', 'none');
  if (frameFiles !== videoPts.length || videoPts.some((pts) => pts === undefined)) {
    throw BodycamError.runtime(`ffmpeg wrote ${frameFiles} frames but reported ${videoPts.length} timestamps`);
  }
  const hasAudio = audioFirstPts !== null && existsSync(join(work, 'audio.wav'));
  const originUs = Math.min(videoPts[0] ?? 0, hasAudio ? (audioFirstPts ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY);
  let nudgedFrames = 0;
  const captureUs: number[] = [];
  for (const pts of videoPts) {
    let t = pts - originUs;
    const previous = captureUs[captureUs.length - 1];
    if (previous !== undefined && t <= previous) {
      t = previous + 1;
      nudgedFrames += 1;
    }
    captureUs.push(t);
  }
  const fps = options.fps ?? probed.fps ?? estimateFps(captureUs);
  const width = options.size?.width ?? probed.width;
  const height = options.size?.height ?? probed.height;
  const audioStartUs = hasAudio ? (audioFirstPts ?? originUs) - originUs : 0;
  writeFileSync(join(work, 'timestamps.csv'), `pts_us\n${captureUs.join('\n')}\n`);
  const name = basename(video).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  const fixture = {
    format: 'bodycam-fixture/1',
    name,
    video: { frames: 'frames/%06d.jpg', startNumber: 0, fps: Number(fps.toFixed(6)), timestamps: 'timestamps.csv' },
    ...(hasAudio ? { audio: { file: 'audio.wav', startUs: audioStartUs } } : {}),
    scenario: 'scenario.json',
  };
  writeFileSync(join(work, 'fixture.json'), `${JSON.stringify(fixture, null, 2)}\n`);
  const lastUs = captureUs[captureUs.length - 1] ?? 0;
  writeFileSync(join(work, 'scenario.json'), `${JSON.stringify(starterScenario(lastUs), null, 2)}\n`);
  writeProvenance(work, video, options, originUs);
  return {
    frames: captureUs.length,
    width,
    height,
    fps,
    firstFrameSourceUs: videoPts[0] ?? 0,
    audio: hasAudio ? { sampleRate, samples: audioSamples, startUs: audioStartUs } : null,
    nudgedFrames,
  };
}

function estimateFps(captureUs: readonly number[]): number {
  const spanUs = (captureUs[captureUs.length - 1] ?? 0) - (captureUs[0] ?? 0);
  return captureUs.length > 1 && spanUs > 0 ? ((captureUs.length - 1) * 1e6) / spanUs : 30;
}

/**
 * A starting scenario for the imported footage, for the tester to edit: a record press at 60 % of
 * the footage (at most 40 s in, so a 30 s pre-roll fits), and a 3.5 s stop hold 5 s before the end
 * when there is room; otherwise the recording stops at the end of the fixture.
 */
function starterScenario(lastFrameUs: number): Record<string, unknown> {
  const seconds = lastFrameUs / 1e6;
  const pressAt = Math.round(Math.min(seconds * 0.6, 40) * 1000) / 1000;
  const stopAt = Math.round((seconds - 5) * 1000) / 1000;
  const events: Record<string, unknown>[] = [{ at: pressAt, press: 'record', hold: 0.15 }];
  if (stopAt - pressAt > 4) events.push({ at: stopAt, press: 'record', hold: 3.5 });
  return { format: 'bodycam-scenario/1', initialState: 'standby', clock: { start: '2026-01-01T00:00:00Z' }, events };
}

function writeProvenance(work: string, video: string, options: ImportOptions, originUs: number): void {
  const provenance = {
    importedFrom: basename(video),
    fromSeconds: options.fromSeconds ?? null,
    toSeconds: options.toSeconds ?? null,
    fps: options.fps ?? null,
    size: options.size === undefined ? null : `${options.size.width}x${options.size.height}`,
    sourceTimeOfFixtureZeroUs: originUs,
  };
  writeFileSync(join(work, 'import.json'), `${JSON.stringify(provenance, null, 2)}\n`);
  // Derived footage keeps its licence's attribution (e.g. CC BY 4.0).
  const attribution = join(dirname(video), 'ATTRIBUTION.md');
  if (existsSync(attribution)) copyFileSync(attribution, join(work, 'ATTRIBUTION.md'));
}
