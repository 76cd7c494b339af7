/**
 * `npm run bench:h264`: the H.264 encode path against ffmpeg's own libx264 with the same settings
 * on the same frames, as a ratio of wall times in one interleaved run (ours, ffmpeg, ours, ...);
 * then an H.264 fixture replayed in passthrough as a multiple of real time, into Matroska and into
 * fragmented MP4 (mediabunny on its worker), with the process's peak RSS. Frames are ffmpeg's
 * testsrc2 at 1280x720, 25 fps, as JPEG (what a fixture holds).
 *
 *   npm run bench:h264                      5 rounds of 250 frames; a 60 s passthrough clip
 *   npm run bench:h264 -- --rounds 3 --frames 100 --seconds 20
 *   npm run bench:h264 -- --mp4-only        only the fMP4 passthrough: its own peak RSS
 *   npm run bench:h264 -- --rounds 0 --passthrough-rounds 5   only the passthroughs, 5 of each, interleaved
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile } from '../src/device/index.js';
import { H264_CODEC, x264Arguments } from '../src/encoder/h264/index.js';
import { UNPROTECTED } from '../src/recorder/index.js';
import { runReplay } from '../src/sim/index.js';
import { openSource } from '../src/source/index.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = arg('rounds', 5);
const FRAMES = arg('frames', 250);
const SECONDS = arg('seconds', 60);
const MP4_ONLY = process.argv.includes('--mp4-only');
const PASSTHROUGH_ROUNDS = arg('passthrough-rounds', 3);
const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 25;
const FRAME_US = 1_000_000 / FPS;
const log = (line: string): void => { process.stderr.write(`${line}\n`); };
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function ffmpeg(args: readonly string[]): void {
  const result = spawnSync('ffmpeg', ['-v', 'error', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${result.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'bench-h264-'));
try {
  mkdirSync(join(work, 'frames'));
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${FPS}`, '-frames:v', String(FRAMES), '-q:v', '3', join(work, 'frames', '%06d.jpg')]);
  const frames = Array.from({ length: FRAMES }, (_, i) => readFileSync(join(work, 'frames', `${String(i + 1).padStart(6, '0')}.jpg`)));
  const profile = resolveProfile({ video: { codec: 'h264', burnIn: false, keyframeIntervalSeconds: 1, bitrateKbps: 4000 } });

  /** Our path: decode (sharp), I420, the encoder process; 4 frames in flight, as a replay keeps. */
  const ours = async (): Promise<number> => {
    const started = performance.now();
    const encoder = H264_CODEC.createEncoder({
      profile, origin: { epochMs: 0, offsetMinutes: 0 }, sourceWidth: WIDTH, sourceHeight: HEIGHT, outputWidth: WIDTH, outputHeight: HEIGHT, frameDurationUs: FRAME_US,
    });
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < FRAMES; i += 1) {
      inFlight.push(encoder.encode(frames[i] as Uint8Array, i * FRAME_US));
      if (inFlight.length >= encoder.framesInFlight) await inFlight.shift();
    }
    await Promise.all(inFlight);
    await encoder.close?.('finish');
    return performance.now() - started;
  };
  /** ffmpeg alone: the same JPEG frames, the same x264 settings (its own JPEG decode and colour conversion). */
  const reference = (): number => {
    const settings = x264Arguments({ width: WIDTH, height: HEIGHT, frameDurationUs: FRAME_US, bitrateKbps: 4000 });
    const output = settings.slice(settings.indexOf('-c:v'));
    output.splice(output.indexOf('-force_key_frames'), 2, '-force_key_frames', 'expr:gte(t,n_forced*1)');
    const started = performance.now();
    ffmpeg(['-framerate', String(FPS), '-i', join(work, 'frames', '%06d.jpg'), ...output.slice(0, -1), join(work, 'reference.flv'), '-y']);
    return performance.now() - started;
  };

  const oursMs: number[] = [];
  const referenceMs: number[] = [];
  for (let round = 0; round < (MP4_ONLY ? 0 : ROUNDS); round += 1) {
    oursMs.push(await ours());
    referenceMs.push(reference());
    log(`round ${round + 1}: ours ${oursMs.at(-1)?.toFixed(0)} ms, ffmpeg ${referenceMs.at(-1)?.toFixed(0)} ms`);
  }

  // Passthrough: an H.264 fixture at 1280x720, 25 fps, 1 s GOP, replayed by a device at its size without burn-in.
  const fixture = join(work, 'fixture');
  mkdirSync(fixture);
  mkdirSync(join(work, 'out'));
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=${FPS}`, '-t', String(SECONDS), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-g', String(FPS), '-bf', '0', join(fixture, 'video.mkv')]);
  writeFileSync(join(fixture, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { codec: 'h264', stream: 'video.mkv', fps: FPS } }));
  /** One passthrough replay of the fixture into `container`: its wall time and recorded frames. */
  const passthrough = async (container: 'matroska' | 'mp4', round = 0): Promise<{ wallMs: number; cpuMs: number; frames: number; paths: unknown }> => {
    const out = join(work, `out-${container}-${round}`);
    mkdirSync(out);
    // CPU time of the whole process (every thread: the MP4 muxer's worker too), less disturbed by a loaded machine than wall time.
    const cpu = process.cpuUsage();
    const started = performance.now();
    const replay = await runReplay({
      source: await openSource(fixture), profile: resolveProfile({ preRecordSeconds: 5, video: { codec: 'h264', burnIn: false }, recording: { container } }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 }, initialState: 'standby',
      inputs: [{ kind: 'signal', signal: 'holster', atUs: 10_000_000 }], outDir: out, protection: UNPROTECTED,
    });
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, frames: replay.recordings[0]?.video.frames ?? 0, paths: replay.framesEncoded };
  };
  const figure = (run: { wallMs: number; cpuMs: number; frames: number; paths: unknown }): Record<string, unknown> => ({
    seconds: SECONDS, wallMs: Math.round(run.wallMs), cpuMs: Math.round(run.cpuMs), realTimeMultiple: Number(((SECONDS * 1000) / run.wallMs).toFixed(1)),
    cpuRealTimeMultiple: Number(((SECONDS * 1000) / run.cpuMs).toFixed(1)), recordedFrames: run.frames, paths: run.paths,
  });
  // Interleaved (Matroska, fMP4, Matroska, fMP4, ...), medians by CPU time: a loaded machine disturbs both alike.
  const runs: { matroska: Awaited<ReturnType<typeof passthrough>>[]; mp4: Awaited<ReturnType<typeof passthrough>>[] } = { matroska: [], mp4: [] };
  for (let round = 0; round < PASSTHROUGH_ROUNDS; round += 1) {
    if (!MP4_ONLY) runs.matroska.push(await passthrough('matroska', round));
    runs.mp4.push(await passthrough('mp4', round));
  }
  const byCpu = <T extends { cpuMs: number }>(list: readonly T[]): T | null => [...list].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(list.length / 2)] ?? null;
  const matroska = byCpu(runs.matroska);
  const mp4 = byCpu(runs.mp4)!;
  log(`passthrough (median by CPU of ${PASSTHROUGH_ROUNDS}): ${matroska === null ? '' : `Matroska ${Math.round(matroska.wallMs)} ms wall, ${Math.round(matroska.cpuMs)} ms CPU; `}fMP4 ${Math.round(mp4.wallMs)} ms wall, ${Math.round(mp4.cpuMs)} ms CPU`);
  process.stdout.write(`${JSON.stringify({
    frames: `${FRAMES} JPEG frames ${WIDTH}x${HEIGHT}`,
    rounds: ROUNDS,
    ...(MP4_ONLY ? {} : {
      encodeMedianMs: { ours: Math.round(median(oursMs)), ffmpeg: Math.round(median(referenceMs)) },
      encodeRatio: Number((median(oursMs) / median(referenceMs)).toFixed(2)),
    }),
    ...(matroska === null ? {} : { passthrough: figure(matroska) }),
    passthroughFragmentedMp4: figure(mp4),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
