/**
 * `npm run bench:frame-sizes`: peak RSS of `bodycam run` (the launcher npx runs, in its own
 * process; the kernel's ru_maxrss at exit, bench/usage-hook.mjs) for frames of 1080p, 4K and the
 * largest size the device accepts, as JPEG at the device's quality (only the burn-in's blocks are
 * encoded again) and as PNG (every frame decoded and encoded whole: the most memory a frame
 * costs). Each clip is 3 s at 10 fps, recorded from 1 s with the whole clip as pre-roll. Frames
 * are the synthetic street (scripts/synth) scaled up with grain, so JPEG sizes are near a
 * real camera's. Prints one JSON document; the cap is `bufferBytes` + 200 MB (docs/performance.md).
 *
 *   npm run bench:frame-sizes                      1080p, 4K UHD and the widest and tallest accepted (4096x2025, 2025x4096)
 *   npm run bench:frame-sizes -- --sizes 640x360,8192x4320
 *   npm run bench:frame-sizes -- --sizes 4096x2025 --formats png --runs 5
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { DEFAULT_PROFILE } from '../src/device/index.js';
import { MAX_FRAME_HEIGHT, MAX_FRAME_PIXELS, MAX_FRAME_WIDTH } from '../src/fixture/index.js';
import { renderScene } from '../scripts/synth/index.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FPS = 10;
const FRAMES = 30;
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

const sizesArg = process.argv.slice(2).find((_, i, all) => all[i - 1] === '--sizes');
const sizes = (sizesArg ?? `1920x1080,3840x2160,${MAX_FRAME_WIDTH}x${Math.floor(MAX_FRAME_PIXELS / MAX_FRAME_WIDTH)},${Math.floor(MAX_FRAME_PIXELS / MAX_FRAME_HEIGHT)}x${MAX_FRAME_HEIGHT}`).split(',').map((s) => {
  const [w, h] = s.split('x').map(Number);
  if (!Number.isInteger(w) || !Number.isInteger(h)) throw new Error(`--sizes: expected WxH,WxH..., got ${s}`);
  return { width: w as number, height: h as number };
});

/** A fixture of FRAMES frames at `width`x`height` in `format`. */
async function makeClip(dir: string, width: number, height: number, format: 'jpeg' | 'png'): Promise<number> {
  mkdirSync(join(dir, 'frames'), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < FRAMES; i += 1) {
    const scene = renderScene({ width: 640, height: 360, frameIndex: i, captureUs: Math.round((i * 1e6) / FPS), seed: 7, detail: 1 });
    let image = sharp(scene, { raw: { width: 640, height: 360, channels: 3 } }).resize(width, height, { fit: 'fill', kernel: 'nearest' });
    // Grain at the full size, so a frame compresses like a real sensor's, not like a smooth upscale.
    image = sharp(await image.raw().toBuffer(), { raw: { width, height, channels: 3 } })
      .composite([{ input: { create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 6 } } }, blend: 'overlay' }]);
    const data = format === 'jpeg'
      ? await image.jpeg({ quality: DEFAULT_PROFILE.video.jpegQuality, chromaSubsampling: '4:2:0', optimiseCoding: false }).toBuffer()
      : await image.png({ compressionLevel: 1 }).toBuffer();
    writeFileSync(join(dir, 'frames', `${String(i).padStart(6, '0')}.${format === 'jpeg' ? 'jpg' : 'png'}`), data);
    bytes += data.length;
  }
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify({ format: 'bodycam-fixture/1', video: { frames: `frames/%06d.${format === 'jpeg' ? 'jpg' : 'png'}`, fps: FPS } }));
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ format: 'bodycam-scenario/1', device: { preRecordSeconds: 30 }, events: [{ at: 1, press: 'record' }] }));
  return bytes;
}

/** `bodycam run` on `clip` as its own process, with its peak RSS from the kernel. */
function cliRun(clip: string, work: string) {
  const usageFile = join(work, 'usage.json');
  const out = join(work, 'out');
  // A run never writes over recordings: each run of a clip gets a fresh folder.
  rmSync(out, { recursive: true, force: true });
  const hook = pathToFileURL(join(REPO_ROOT, 'bench', 'usage-hook.mjs')).href;
  const started = performance.now();
  const result = spawnSync(join(REPO_ROOT, 'bin', 'bodycam'), ['run', clip, '--scenario', join(clip, 'scenario.json'), '--out', out, '--json'], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, BODYCAM_BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim() },
  });
  const wallMs = Math.round(performance.now() - started);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number; cpuMs: number };
  const summary = result.status === 0 ? JSON.parse(result.stdout) as { recordings: { video: { frames: number }; bytes: number }[] } : null;
  const events = result.status === 0 ? readFileSync(join(out, 'events.jsonl'), 'utf8') : '';
  const drops = events.split('\n').filter((line) => line.includes('"frame.drop"')).length;
  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0',
    ...readdirSync(join(out, 'recordings')).filter((f) => f.endsWith('.mkv')).map((f) => join(out, 'recordings', f))], { encoding: 'utf8' });
  return {
    exit: result.status, stderr: result.stderr.trim().split('\n').slice(-1)[0] ?? '',
    wallMs, cpuMs: Math.round(usage.cpuMs), peakRssMB: Math.round((usage.maxRssKiB * 1024) / 1e5) / 10,
    framesRecorded: summary?.recordings.reduce((n, r) => n + r.video.frames, 0) ?? 0, frameDrops: drops,
    ffprobe: probe.stdout.trim(),
  };
}

const capMB = Math.round((DEFAULT_PROFILE.bufferBytes + 200e6) / 1e5) / 10;
const formatsArg = process.argv.slice(2).find((_, i, all) => all[i - 1] === '--formats') ?? 'jpeg,png';
const formats = formatsArg.split(',').map((f) => {
  if (f !== 'jpeg' && f !== 'png') throw new Error(`--formats: expected jpeg and/or png, got ${f}`);
  return f;
});
/** `--runs N`: runs of each clip (the peak RSS swings from run to run with the collector's timing). */
const runs = Number(process.argv.slice(2).find((_, i, all) => all[i - 1] === '--runs') ?? 1);
const results: unknown[] = [];
for (const { width, height } of sizes) {
  for (const format of formats) {
    const work = mkdtempSync(join(tmpdir(), 'bodycam-bench-sizes-'));
    try {
      const clip = join(work, 'clip');
      const clipBytes = await makeClip(clip, width, height, format);
      for (let r = 0; r < runs; r += 1) {
        const run = cliRun(clip, work);
        const row = { width, height, format, frames: FRAMES, clipMB: Math.round(clipBytes / 1e5) / 10, ...run, capMB, withinCap: run.peakRssMB <= capMB };
        log(JSON.stringify(row));
        results.push(row);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
process.stdout.write(`${JSON.stringify({ machine: { node: process.version, sharp: sharp.versions }, results }, null, 2)}\n`);
