/**
 * Builds small fixture folders (contract §2) for tests: numbered frames that show their index,
 * capture times with jitter and runs of dropped frames, an optional PCM WAV, and a scenario.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wav from 'node-wav';
import sharp from 'sharp';
import { drawText, rasterizeText } from '../../src/text/index.js';
import { tempDir } from './tools.js';

/** What the fixture holds. */
export interface TestFixtureOptions {
  readonly dir?: string;
  readonly width?: number;
  readonly height?: number;
  readonly fps: number;
  /** Frames captured (after drops). */
  readonly frames: number;
  /** Explicit capture times; otherwise nominal times with jitter and drops. */
  readonly captureUs?: readonly number[];
  /** Deterministic jitter amplitude (µs) added to nominal times, frame 0 excluded. */
  readonly jitterUs?: number;
  /** Runs of nominal frame slots that were never captured: [firstSlot, count]. */
  readonly dropRuns?: readonly (readonly [number, number])[];
  readonly audio?: { readonly sampleRate: number; readonly seconds: number; readonly startUs?: number; readonly channels?: 1 | 2 };
  readonly scenario?: Record<string, unknown>;
  readonly format?: 'jpeg' | 'png';
  /** Write timestamps.csv even for nominal times (default: only when times are irregular). */
  readonly writeTimestamps?: boolean;
}

/** A written fixture and the capture time of each frame. */
export interface TestFixture {
  readonly dir: string;
  readonly captureUs: readonly number[];
  readonly audioSamples: Int16Array | null;
}

/** Deterministic jitter in [-amplitude, amplitude] for slot `i`. */
function jitter(i: number, amplitude: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return Math.round((x - Math.floor(x)) * 2 * amplitude - amplitude);
}

/** Capture times: nominal slots, minus dropped runs, plus jitter. */
export function captureTimes(options: Pick<TestFixtureOptions, 'fps' | 'frames' | 'jitterUs' | 'dropRuns'>): number[] {
  const dropped = new Set<number>();
  for (const [first, count] of options.dropRuns ?? []) for (let s = first; s < first + count; s += 1) dropped.add(s);
  const times: number[] = [];
  for (let slot = 0; times.length < options.frames; slot += 1) {
    if (dropped.has(slot)) continue;
    const nominal = Math.round((slot * 1e6) / options.fps);
    times.push(slot === 0 ? 0 : nominal + jitter(slot, options.jitterUs ?? 0));
  }
  return times;
}

/** Writes a fixture folder and returns where it is. */
export async function makeFixture(options: TestFixtureOptions): Promise<TestFixture> {
  const dir = options.dir ?? tempDir('fixture');
  const width = options.width ?? 160;
  const height = options.height ?? 90;
  const format = options.format ?? 'jpeg';
  const ext = format === 'jpeg' ? 'jpg' : 'png';
  mkdirSync(join(dir, 'frames'), { recursive: true });
  const captureUs = options.captureUs === undefined ? captureTimes(options) : [...options.captureUs];
  const irregular = options.captureUs !== undefined || (options.jitterUs ?? 0) > 0 || (options.dropRuns?.length ?? 0) > 0;
  await Promise.all(captureUs.map(async (_, index) => {
    const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < pixels.length; i += 3) {
      pixels[i] = (index * 37) % 256;
      pixels[i + 1] = ((i / 3) % width) * (255 / width);
      pixels[i + 2] = 100;
    }
    drawText(pixels, width, height, 3, rasterizeText(String(index), { scale: 2 }), 4, 4);
    const image = sharp(pixels, { raw: { width, height, channels: 3 } });
    const bytes = format === 'jpeg' ? await image.jpeg({ quality: 70 }).toBuffer() : await image.png().toBuffer();
    writeFileSync(join(dir, 'frames', `${String(index).padStart(6, '0')}.${ext}`), bytes);
  }));
  const writeTimestamps = options.writeTimestamps ?? irregular;
  if (writeTimestamps) writeFileSync(join(dir, 'timestamps.csv'), `pts_us\n${captureUs.join('\n')}\n`);
  let audioSamples: Int16Array | null = null;
  if (options.audio !== undefined) {
    const { sampleRate, seconds } = options.audio;
    const channels = options.audio.channels ?? 1;
    const count = Math.round(sampleRate * seconds);
    audioSamples = new Int16Array(count);
    const channelData = Array.from({ length: channels }, () => new Float32Array(count));
    for (let i = 0; i < count; i += 1) {
      // a 440 Hz tone whose level steps every 100 ms, so trimming errors show up as wrong samples
      const value = Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * (2000 + (Math.floor((i * 10) / sampleRate) % 10) * 2000));
      audioSamples[i] = value;
      for (const data of channelData) data[i] = value / 32768;
    }
    writeFileSync(join(dir, 'audio.wav'), wav.encode(channelData, { sampleRate, float: false, bitDepth: 16 }));
  }
  const fixture = {
    format: 'bodycam-fixture/1',
    name: 'test-fixture',
    video: { frames: `frames/%06d.${ext}`, startNumber: 0, fps: options.fps, ...(writeTimestamps ? { timestamps: 'timestamps.csv' } : {}) },
    ...(options.audio === undefined ? {} : { audio: { file: 'audio.wav', startUs: options.audio.startUs ?? 0 } }),
    ...(options.scenario === undefined ? {} : { scenario: 'scenario.json' }),
  };
  writeFileSync(join(dir, 'fixture.json'), `${JSON.stringify(fixture, null, 2)}\n`);
  if (options.scenario !== undefined) writeFileSync(join(dir, 'scenario.json'), `${JSON.stringify(options.scenario, null, 2)}\n`);
  return { dir, captureUs, audioSamples };
}
