/**
 * The benchmark's fixture: a synthetic walk at 1280x720, 30 fps, JPEG quality 80 with sensor grain
 * (about 100 KB a frame), with a scenario that records once a minute. Generated on the fly into
 * .bench/ (gitignored) and reused while the generator version and parameters are unchanged.
 */
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

/** Makes (or reuses) the clip's fixture folder under `.bench/`; returns its path. */
export async function ensureClip(spec: ClipSpec, log: (line: string) => void): Promise<string> {
  const dir = join('.bench', `clip-${spec.width}x${spec.height}-${spec.fps}fps-${spec.seconds}s-q${spec.jpegQuality}`);
  const stamp = join(dir, 'complete.json');
  const wanted = JSON.stringify({ GENERATOR_VERSION, spec });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'frames'), { recursive: true });
  const count = clipFrameCount(spec);
  const started = performance.now();
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
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({
    format: 'bodycam-fixture/1', name: 'bench-walk', video: { frames: 'frames/%06d.jpg', startNumber: 0, fps: spec.fps }, scenario: 'scenario.json',
  }, null, 2));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify(clipScenario(spec), null, 2));
  writeFileSync(stamp, wanted);
  log(`generated ${count} frames in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
