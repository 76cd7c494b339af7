import { describe, expect, it } from 'vitest';
import { BurnIn, burnInScale } from '../../src/encoder/burn-in.js';
import { parseWallClock } from '../../src/time/index.js';

const origin = parseWallClock('2026-11-22T14:00:00+01:00');

describe('BurnIn', () => {
  it('shows the wall clock to the second in ISO 8601 with its offset (or Z), the device id and the officer id', () => {
    const burnIn = new BurnIn({ origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, 640, 360);
    expect(burnIn.textAt(45_050_000)).toBe('2026-11-22T14:00:45+01:00  DRD-BC-0001  H-0001');
    const utc = new BurnIn({ origin: parseWallClock('2026-11-22T13:00:00Z'), deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, 640, 360);
    expect(utc.textAt(45_050_000)).toBe('2026-11-22T13:00:45Z  DRD-BC-0001  H-0001');
  });

  it('renders once per wall-clock second, not once per frame', () => {
    const burnIn = new BurnIn({ origin, deviceId: 'D', officerId: 'O' }, 640, 360);
    for (let frame = 0; frame < 90; frame += 1) burnIn.overlayAt(Math.round((frame * 1e6) / 30));
    expect(burnIn.renderCount).toBe(3);
  });

  it('scales the font with the frame height so it stays legible', () => {
    expect(burnInScale(360)).toBe(2);
    expect(burnInScale(720)).toBe(3);
    expect(burnInScale(1080)).toBe(5);
    expect(burnInScale(120)).toBe(1);
  });

  it('draws into the bottom-left of the frame and nowhere else', () => {
    const width = 320;
    const height = 180;
    const burnIn = new BurnIn({ origin, deviceId: 'DRD-BC-0001', officerId: 'H-0001' }, width, height);
    const pixels = new Uint8Array(width * height * 3).fill(128);
    burnIn.drawInto(pixels, 3, 0);
    const overlay = burnIn.overlayAt(0);
    let changedOutside = 0;
    let changedInside = 0;
    const margin = burnIn.scale * 2;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const changed = pixels[(y * width + x) * 3] !== 128;
        const inside = x >= margin && x < margin + overlay.width && y >= height - overlay.height - margin && y < height - margin;
        if (changed && inside) changedInside += 1;
        if (changed && !inside) changedOutside += 1;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(overlay.width * overlay.height * 0.5);
  });
});
