/** Writes docs/burn-in-360p.png and docs/burn-in-1080p.png: the burn-in corner of encoded frames, for people to look at. */
import sharp from 'sharp';
import { FrameEncoder } from '../src/encoder/frame-encoder.js';
import { renderScene } from './synth/index.js';
import { parseWallClock } from '../src/time/index.js';

const origin = parseWallClock('2026-11-22T14:00:00+01:00');
for (const [width, height, name] of [[640, 360, '360p'], [1920, 1080, '1080p']] as const) {
  const rgb = renderScene({ width, height, frameIndex: 600, captureUs: 40_000_000, seed: 7 });
  const source = await sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const encoder = new FrameEncoder({ sourceWidth: width, sourceHeight: height, outputWidth: width, outputHeight: height, jpegQuality: 80, burnIn: { origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' } });
  const result = await encoder.encode(new Uint8Array(source), 45_050_000);
  if (!result.ok) throw new Error(result.detail);
  const crop = { left: 0, top: Math.round(height * 0.8), width, height: height - Math.round(height * 0.8) };
  await sharp(result.jpeg).extract(crop).png().toFile(`docs/burn-in-${name}.png`);
  console.log(`docs/burn-in-${name}.png`, crop);
}
