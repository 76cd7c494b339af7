/**
 * The benchmark's fixtures: a synthetic walk at 1280x720, 30 fps, with sensor grain, and a
 * scenario that records once a minute. Its frames are written either by sharp at the device's
 * JPEG quality 80 (about 100 KB a frame), or by ffmpeg's MJPEG encoder at another quality (as
 * imported footage is). Generated on the fly into .bench/ (gitignored) and reused while the
 * generator version and parameters are unchanged.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { renderScene } from '../scripts/synth/index.js';

/** What the clip is. */
export interface ClipSpec {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly seconds: number;
  readonly jpegQuality: number;
  /**
   * When set, ffmpeg writes the frames (`-c:v mjpeg -q:v ffmpegQscale`, 4:2:0, its own
   * quantisation and optimised Huffman tables) instead of sharp at `jpegQuality`.
   */
  readonly ffmpegQscale?: number | undefined;
}

const GENERATOR_VERSION = 1;

/** Frames of the clip, their capture times (nominal: round(i * 1e6 / fps)). */
export function clipFrameCount(spec: ClipSpec): number {
  return Math.round(spec.seconds * spec.fps);
}

/** The scenario: a record press every minute (20 s before it) and a stop hold 10 s after; one recording in a short clip. */
export function clipScenario(spec: ClipSpec): Record<string, unknown> {
  const events: Record<string, unknown>[] = [];
  if (spec.seconds >= 60) {
    for (let minute = 1; minute * 60 <= spec.seconds; minute += 1) {
      events.push({ at: minute * 60 - 20, press: 'record', hold: 0.15 });
      events.push({ at: minute * 60 - 10, press: 'record', hold: 3.2 });
    }
  } else {
    events.push({ at: spec.seconds * 0.4, press: 'record', hold: 0.15 }, { at: spec.seconds * 0.7, press: 'record', hold: 3.2 });
  }
  return { format: 'bodycam-scenario/1', clock: { start: '2026-11-22T14:00:00+01:00' }, events };
}

/**
 * Makes (or reuses) the clip's fixture folder under `.bench/`; returns its path. A clip written by
 * ffmpeg is made from the frames of `baseSpec` (sharp's clip of the same scene, at least as long;
 * by default the same length).
 */
export async function ensureClip(spec: ClipSpec, log: (line: string) => void, baseSpec?: ClipSpec): Promise<string> {
  const quality = spec.ffmpegQscale === undefined ? `q${spec.jpegQuality}` : `ffmpeg-qscale${spec.ffmpegQscale}`;
  const dir = join('.bench', `clip-${spec.width}x${spec.height}-${spec.fps}fps-${spec.seconds}s-${quality}`);
  const stamp = join(dir, 'complete.json');
  const wanted = JSON.stringify({ GENERATOR_VERSION, spec });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'frames'), { recursive: true });
  const count = clipFrameCount(spec);
  const started = performance.now();
  if (spec.ffmpegQscale === undefined) await writeWithSharp(spec, dir, log);
  else {
    log(`writing the benchmark clip's frames with ffmpeg at -q:v ${spec.ffmpegQscale}`);
    await writeWithFfmpeg(spec, spec.ffmpegQscale, dir, await ensureClip(baseSpec ?? { ...spec, ffmpegQscale: undefined }, log));
  }
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
    format: 'bodycam-fixture/1', name: 'bench-walk', video: { frames: 'frames/%06d.jpg', startNumber: 0, fps: spec.fps }, scenario: 'scenario.json',
  }, null, 2));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(clipScenario(spec), null, 2));
  writeFileSync(stamp, wanted);
  log(`generated ${count} frames in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

async function writeWithSharp(spec: ClipSpec, dir: string, log: (line: string) => void): Promise<void> {
  const count = clipFrameCount(spec);
  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const captureUs = Math.round((index * 1e6) / spec.fps);
    const rgb = renderScene({ width: spec.width, height: spec.height, frameIndex: index, captureUs, seed: 42, detail: 1 });
    pending.push(sharp(rgb, { raw: { width: spec.width, height: spec.height, channels: 3 } })
      .jpeg({ quality: spec.jpegQuality }).toFile(join(dir, 'frames', `${String(index).padStart(6, '0')}.jpg`)));
    if (pending.length >= 4) await pending.shift();
    if (index % 900 === 0) log(`generating the benchmark clip: frame ${index} of ${count}`);
  }
  await Promise.all(pending);
}

/**
 * The first frames of `base` (a clip of the same scene written by sharp, at least as long) written
 * again by ffmpeg's MJPEG encoder, one JPEG file per frame: ffmpeg decodes them and encodes them at
 * `qscale` (its own quantisation tables, 4:2:0, optimised Huffman tables), as imported footage is.
 */
async function writeWithFfmpeg(spec: ClipSpec, qscale: number, dir: string, base: string): Promise<void> {
  const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-y', '-framerate', String(spec.fps), '-start_number', '0', '-i', join(base, 'frames', '%06d.jpg'),
    '-frames:v', String(clipFrameCount(spec)), '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', String(qscale), '-start_number', '0', join(dir, 'frames', '%06d.jpg')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => ffmpeg.on('close', resolve));
  if (code !== 0) throw new Error(`ffmpeg exited with ${code} while writing the benchmark clip`);
}
