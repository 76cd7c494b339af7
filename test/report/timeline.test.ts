/**
 * The timeline: text drawn from the bitmap font (no fonts needed), a well-formed and deterministic
 * SVG, and a PNG whose pixels show the LED, recording and pre-roll at the right times.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TimelineInput, renderSvgToPng, textPathData, textWidth, timelineModel, timelineSvg } from '../../src/report/index.js';
import { tickLabel, tickStepUs } from '../../src/report/timeline-style.js';
import { BUNDLED_RUN } from '../check/run-data.js';
import { xmlParseError } from '../helpers/xml.js';

const PLOT_LEFT = 176;
const PLOT_RIGHT = 1280 - 28;
const END_US = 75_000_110;
const xOf = (us: number): number => Math.round(PLOT_LEFT + (us / END_US) * (PLOT_RIGHT - PLOT_LEFT));

const input: TimelineInput = {
  title: 'street-warning - scenario.json',
  events: BUNDLED_RUN.events,
  recordings: BUNDLED_RUN.recordings,
  // the buffer fills for 30 s, then holds 30 s
  bufferSamples: Array.from({ length: 751 }, (_, i) => ({ atUs: i * 100_000, occupancyUs: Math.min(i * 100_000, 30_000_000), occupancyBytes: Math.min(i, 300) * 40_000 })),
  preRecordUs: 30_000_000,
  bufferBytes: 128 * 1024 * 1024,
  endUs: END_US,
};

let svg: string;
let pixels: { data: Buffer; width: number; height: number };
let lanes: { top: number; height: number }[];

beforeAll(async () => {
  svg = timelineSvg(input);
  const png = await renderSvgToPng(svg);
  const raw = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  pixels = { data: raw.data, width: raw.info.width, height: raw.info.height };
  lanes = [...svg.matchAll(/<rect x="0" y="(\d+)" width="1280" height="(\d+)"/g)].map((m) => ({ top: Number(m[1]), height: Number(m[2]) }));
});

function rgbAt(x: number, y: number): string {
  const o = (y * pixels.width + x) * 3;
  return `#${[pixels.data[o], pixels.data[o + 1], pixels.data[o + 2]].map((v) => (v ?? 0).toString(16).padStart(2, '0')).join('')}`;
}

describe('bitmap text in SVG', () => {
  it('draws each run of lit cells of a glyph as one rectangle', () => {
    // "1" is ..#.. / .##.. / ..#.. ×4 / .###.
    expect(textPathData('1', 0, 0, 1)).toBe('M2 0h1v1h-1zM1 1h2v1h-2zM2 2h1v1h-1zM2 3h1v1h-1zM2 4h1v1h-1zM2 5h1v1h-1zM1 6h3v1h-3z');
    expect(textWidth('AB', 2)).toBe(22);
  });
});

describe('timelineSvg', () => {
  it('is well-formed, uses no fonts, and is the same every time', () => {
    expect(xmlParseError(svg)).toBeNull();
    expect(svg).not.toMatch(/<text|font-family/);
    expect(timelineSvg(input)).toBe(svg);
  });

  it('has the eight lanes, and a PNG of the SVG\'s size', () => {
    expect(lanes).toHaveLength(8);
    expect(pixels.width).toBe(1280);
    expect(svg).toContain(`height="${pixels.height}"`);
  });

  it('shows the record LED dark before the trigger and red from it to the stop', () => {
    const ledY = (lanes[1]?.top ?? 0) + 11;
    expect(rgbAt(xOf(20_000_000), ledY)).toBe('#262d36');
    expect(rgbAt(xOf(41_000_000), ledY)).toBe('#ff3b30');
    expect(rgbAt(xOf(67_000_000), ledY)).toBe('#ff3b30');
    expect(rgbAt(xOf(70_000_000), ledY)).toBe('#262d36');
  });

  it('shows the recording solid after the trigger and its pre-roll hatched before it, nothing before the first frame', () => {
    const barY = (lanes[6]?.top ?? 0) + 20;
    expect(rgbAt(xOf(60_000_000), barY)).toBe('#e53935');
    const preRoll = [0, 1, 2, 3, 4, 5].map((dx) => rgbAt(xOf(30_000_000) + dx, barY));
    expect(new Set(preRoll).size).toBeGreaterThan(1); // hatched: stripes of two shades
    expect(preRoll.every((c) => c !== '#e53935' && c !== '#161b21' && c !== '#1b2129')).toBe(true);
    const laneBackground = rgbAt(xOf(5_000_000), barY);
    expect(['#161b21', '#1b2129']).toContain(laneBackground);
    // the marker at 52.2 s is a white tick
    expect(rgbAt(xOf(52_200_000), barY)).toBe('#ffffff');
  });

  it('fills the buffer lane as the buffer fills', () => {
    const lane = lanes[5] ?? { top: 0, height: 0 };
    // the held area: #26a69a at 55 % over the lane's #1b2129 (times chosen off the 10 s grid lines)
    const held = [0x26, 0xa6, 0x9a].map((c, i) => Math.round(0.55 * c + 0.45 * ([0x1b, 0x21, 0x29][i] ?? 0)));
    const filled = (x: number): number => {
      let count = 0;
      for (let y = lane.top; y < lane.top + lane.height; y += 1) {
        const o = (y * pixels.width + x) * 3;
        if (held.every((c, i) => Math.abs((pixels.data[o + i] ?? 0) - c) <= 2)) count += 1;
      }
      return count;
    };
    expect(filled(xOf(5_500_000))).toBeGreaterThan(0);
    expect(filled(xOf(5_500_000))).toBeLessThan(filled(xOf(21_000_000)));
    expect(filled(xOf(21_000_000))).toBeLessThan(filled(xOf(51_000_000)));
    expect(filled(xOf(51_000_000))).toBe(filled(xOf(62_000_000)));
  });
});

describe('timelineModel', () => {
  it('stacks recordings whose spans overlap on separate rows, and lists incidents', () => {
    const first = { ...BUNDLED_RUN.recordings[0]!, id: 'A' };
    // a second recording whose pre-roll reaches back into the first one (preRollOverlap: "allow")
    const second = {
      ...first, id: 'B', trigger: { atUs: 70_000_000, source: 'holster' as const }, stop: { atUs: 74_000_000, reason: 'end-of-fixture' as const },
      video: { ...first.video, firstFrameUs: 40_000_000 }, complete: false, markers: [],
    };
    const events = [
      ...BUNDLED_RUN.events,
      { t: 70_000_000, type: 'input' as const, kind: 'signal' as const, signal: 'holster' as const },
      { t: 71_000_000, type: 'fault' as const, code: 'storage-fail' as const, message: 'write error' },
      { t: 72_000_000, type: 'frame.drop' as const, frameUs: 71_900_000, reason: 'corrupt' as const },
    ].sort((a, b) => a.t - b.t);
    const svgOf = timelineSvg({ ...input, events, recordings: [second, first] });
    expect(xmlParseError(svgOf)).toBeNull();
    const laneRects = [...svgOf.matchAll(/<rect x="0" y="(\d+)" width="1280" height="(\d+)"/g)].map((m) => Number(m[2]));
    expect(laneRects[6]).toBe(2 * 30 + 4); // two rows of recordings
    const model = timelineModel({ ...input, events, recordings: [second, first] });
    expect(model.recordings.map((r) => [r.number, r.id])).toEqual([[1, 'A'], [2, 'B']]);
    expect(model.incidents.map((i) => [i.kind, i.label])).toEqual([['signal', 'holster'], ['fault', 'storage-fail'], ['drop', 'corrupt']]);
    expect(model.presses.map((p) => [p.value, p.fromUs, p.toUs])).toEqual([
      ['record', 40_000_000, 40_150_000], ['record', 52_000_000, 52_200_000], ['record', 65_000_000, 68_500_000],
    ]);
  });
});

describe('long runs', () => {
  it('draws an hour at 60 fps (216 000 buffer samples) with one path point per pixel column', () => {
    const hourUs = 3_600_000_000;
    const samples = Array.from({ length: 216_000 }, (_, i) => ({ atUs: Math.round((i * 1e6) / 60), occupancyUs: 30_000_000, occupancyBytes: 10_000_000 }));
    const long = timelineSvg({ ...input, events: input.events.slice(0, 5), recordings: [], bufferSamples: samples, endUs: hourUs });
    expect(xmlParseError(long)).toBeNull();
    expect(long.length).toBeLessThan(400_000);
    const areaPath = /<path d="M([^"]+)z" fill="#26a69a"/.exec(long)?.[1] ?? '';
    expect(areaPath.split('L').length).toBeLessThanOrEqual(PLOT_RIGHT - PLOT_LEFT + 3);
  });
});

describe('time axis', () => {
  it('picks ticks at least 72 px apart and labels them in seconds, or m:ss and h:mm:ss for long runs', () => {
    expect(tickStepUs(75_000_000 / 1076)).toBe(10_000_000);
    expect(tickStepUs(3_600_000_000 / 1076)).toBe(300_000_000);
    expect(tickStepUs(6_000_000 / 1076)).toBe(500_000);
    expect(tickLabel(40_000_000, 10_000_000, 75_000_000)).toBe('40s');
    expect(tickLabel(1_500_000, 500_000, 6_000_000)).toBe('1.5s');
    expect(tickLabel(900_000_000, 300_000_000, 3_600_000_000)).toBe('15:00');
    expect(tickLabel(3_900_000_000, 300_000_000, 7_200_000_000)).toBe('1:05:00');
  });
});

describe('GOPs (contract §9)', () => {
  // 10 samples a second, a keyframe every 2 s: P-frames in between.
  const gopSamples = input.bufferSamples.map((s, i) => ({ ...s, frame: i % 20 === 0 ? ('key' as const) : ('delta' as const) }));
  const keyframesUs = gopSamples.filter((s) => s.frame === 'key').map((s) => s.atUs);

  it('marks every keyframe in the buffer lane and the keyframes of each pre-roll, first where the recording starts', () => {
    const model = timelineModel({ ...input, bufferSamples: gopSamples });
    expect(model.buffer.keyframesUs).toEqual(keyframesUs);
    for (const bar of model.recordings) {
      expect(bar.preRollKeyframesUs).toEqual(keyframesUs.filter((us) => us >= bar.firstFrameUs && us < bar.triggerUs));
    }
    expect(model.recordings.some((bar) => bar.preRollKeyframesUs.length > 1)).toBe(true);
    const gopSvg = timelineSvg({ ...input, bufferSamples: gopSamples });
    expect(xmlParseError(gopSvg)).toBeNull();
    const ticks = [...gopSvg.matchAll(/<path d="M([\d.]+) [\d.]+v8" stroke="#64b5f6"/g)].map((m) => Number(m[1]));
    const preRollTicks = model.recordings.reduce((n, bar) => n + bar.preRollKeyframesUs.length, 0);
    expect(ticks).toHaveLength(keyframesUs.length + preRollTicks);
    keyframesUs.slice(0, 3).forEach((us, i) => expect(ticks[i]).toBeCloseTo(PLOT_LEFT + (us / END_US) * (PLOT_RIGHT - PLOT_LEFT), 0));
    // every other GOP shaded (the last keyframe's GOP has no end), plus the legend's swatch
    const shadedGops = keyframesUs.slice(0, -1).filter((_, i) => i % 2 === 0).length;
    expect(gopSvg.match(/fill="#64b5f6" fill-opacity="0.12"/g)?.length).toBe(shadedGops + 1);
  });

  it('marks nothing when every frame is a keyframe (MJPEG) or frame types are unknown', () => {
    const intra = gopSamples.map((s) => ({ ...s, frame: 'key' as const }));
    expect(timelineModel({ ...input, bufferSamples: intra }).buffer.keyframesUs).toEqual([]);
    expect(timelineSvg({ ...input, bufferSamples: intra })).toBe(svg);
    expect(svg).not.toContain('#64b5f6');
  });
});
