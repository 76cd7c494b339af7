/**
 * `npx tsx bench/footage-psnr.ts VIDEO [QSCALE...]`: the PSNR of the coefficient transcode against
 * the whole-frame path on real footage. ffmpeg writes frames of VIDEO (one every 2 s, 4:2:0) as
 * JPEG at each -q:v into a temporary folder (removed after), and each set is made the device's
 * (quality 80, burn-in on) both ways (bench/frame-psnr.ts). Prints JSON; nothing is kept.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { transcodePsnr } from './frame-psnr.js';

const [video, ...scales] = process.argv.slice(2);
if (video === undefined) throw new Error('usage: bench/footage-psnr.ts VIDEO [QSCALE...]');
const results: Record<string, unknown>[] = [];
for (const qscale of scales.length > 0 ? scales.map(Number) : [2, 3, 5, 8]) {
  const dir = mkdtempSync(join(tmpdir(), 'bodycam-footage-'));
  try {
    const made = spawnSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', 'fps=1/2', '-frames:v', '30', '-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', String(qscale), join(dir, '%03d.jpg')]);
    if (made.status !== 0) throw new Error(`ffmpeg: ${made.stderr.toString()}`);
    const frames = readdirSync(dir).sort().map((name) => new Uint8Array(readFileSync(join(dir, name))));
    const first = frames[0];
    if (first === undefined) throw new Error('no frames');
    const { width = 0, height = 0 } = await sharp(first).metadata();
    results.push({ qscale, width, height, frameBytes: first.length, ...(await transcodePsnr(frames, width, height, 80)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({ video, results }, null, 2));
