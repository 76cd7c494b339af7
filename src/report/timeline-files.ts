/**
 * The I/O edge of the report: writes `timeline.svg` and a PNG rendered from it by sharp (librsvg).
 * Both are written atomically; the text is drawn as paths, so the PNG needs no fonts.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../recorder/index.js';
import type { TimelineInput } from './timeline-model.js';
import { timelineSvg } from './timeline-svg.js';
import { type FleetTimelineInput, fleetTimelineSvg } from './fleet-timeline-svg.js';

/** The file names the timeline is written to, inside a run's output folder. */
export const TIMELINE_FILES = ['timeline.svg', 'timeline.png'] as const;

/** Renders an SVG document to PNG bytes (deterministic for the same SVG and sharp build). */
export async function renderSvgToPng(svg: string): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(svg, 'utf8'), { density: 72 }).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Writes `timeline.svg` and `timeline.png` into `outDir`; returns their paths. */
export async function writeTimeline(outDir: string, input: TimelineInput): Promise<{ svg: string; png: string }> {
  const svg = timelineSvg(input);
  const png = await renderSvgToPng(svg);
  const paths = { svg: join(outDir, 'timeline.svg'), png: join(outDir, 'timeline.png') };
  writeFileAtomic(paths.svg, svg);
  writeFileAtomic(paths.png, png);
  return paths;
}

/** Writes a team's `timeline.svg` and `timeline.png` (every camera on one time axis) into `outDir`; returns their paths. */
export async function writeFleetTimeline(outDir: string, input: FleetTimelineInput): Promise<{ svg: string; png: string }> {
  const svg = fleetTimelineSvg(input);
  const png = await renderSvgToPng(svg);
  const paths = { svg: join(outDir, 'timeline.svg'), png: join(outDir, 'timeline.png') };
  writeFileAtomic(paths.svg, svg);
  writeFileAtomic(paths.png, png);
  return paths;
}
