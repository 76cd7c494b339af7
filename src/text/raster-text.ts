/**
 * Renders text from the 5x7 font into an RGBA pixel block: lit pixels in the foreground colour,
 * a one-cell dark outline around them, and an optional backing box, so the text stays legible
 * on any scene. Integer scaling keeps the edges crisp at every resolution.
 */
import { assertArgument } from '../errors/index.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from './glyphs-5x7.js';

/** An RGBA colour, each channel 0..255. */
export type Rgba = readonly [number, number, number, number];

/** Options for {@link rasterizeText}. */
export interface RasterTextOptions {
  /** Pixels per font cell (1 gives 5x7 glyphs). */
  readonly scale: number;
  readonly foreground?: Rgba;
  readonly outline?: Rgba;
  /** Fill behind the text; fully transparent by default. */
  readonly background?: Rgba;
  /** Cells of padding around the text (default 1). */
  readonly paddingCells?: number;
}

/** A rendered text block: tightly packed RGBA rows. */
export interface RasterText {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const WHITE: Rgba = [255, 255, 255, 255];
const BLACK: Rgba = [0, 0, 0, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Size in pixels of `text` rendered at `scale` with `paddingCells` (default 1). */
export function measureText(text: string, scale: number, paddingCells = 1): { width: number; height: number } {
  const cellsWide = text.length === 0 ? 0 : text.length * (GLYPH_WIDTH + 1) - 1;
  return { width: (cellsWide + 2 * paddingCells) * scale, height: (GLYPH_HEIGHT + 2 * paddingCells) * scale };
}

/** Renders one line of text to RGBA. */
export function rasterizeText(text: string, options: RasterTextOptions): RasterText {
  const { scale } = options;
  assertArgument(Number.isInteger(scale) && scale >= 1 && scale <= 64, 'scale', 'an integer from 1 to 64', scale);
  const padding = options.paddingCells ?? 1;
  const foreground = options.foreground ?? WHITE;
  const outline = options.outline ?? BLACK;
  const background = options.background ?? CLEAR;
  const cellsWide = (text.length === 0 ? 0 : text.length * (GLYPH_WIDTH + 1) - 1) + 2 * padding;
  const cellsHigh = GLYPH_HEIGHT + 2 * padding;

  // 0 = background, 1 = outline, 2 = lit, on the cell grid first; then scale up.
  const cells = new Uint8Array(cellsWide * cellsHigh);
  for (let charIndex = 0; charIndex < text.length; charIndex += 1) {
    const glyph = glyphFor(text.charAt(charIndex));
    const x0 = padding + charIndex * (GLYPH_WIDTH + 1);
    for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
      const bits = glyph[row] ?? '';
      for (let col = 0; col < GLYPH_WIDTH; col += 1) {
        if (bits.charAt(col) === '#') cells[(padding + row) * cellsWide + x0 + col] = 2;
      }
    }
  }
  for (let y = 0; y < cellsHigh; y += 1) {
    for (let x = 0; x < cellsWide; x += 1) {
      if (cells[y * cellsWide + x] !== 2) continue;
      for (let dy = -1; dy <= 1; dy += 1) {
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < cellsWide && ny < cellsHigh && cells[ny * cellsWide + nx] === 0) cells[ny * cellsWide + nx] = 1;
        }
      }
    }
  }

  const width = cellsWide * scale;
  const height = cellsHigh * scale;
  const rgba = new Uint8Array(width * height * 4);
  const palette = [background, outline, foreground];
  for (let y = 0; y < height; y += 1) {
    const cellRow = Math.floor(y / scale) * cellsWide;
    for (let x = 0; x < width; x += 1) {
      const color = palette[cells[cellRow + Math.floor(x / scale)] ?? 0] ?? CLEAR;
      const o = (y * width + x) * 4;
      rgba[o] = color[0];
      rgba[o + 1] = color[1];
      rgba[o + 2] = color[2];
      rgba[o + 3] = color[3];
    }
  }
  return { width, height, rgba };
}

/** Per (colour, alpha): the blend of that colour over each target value, as drawText computes it. */
const blendTables = new Map<number, Uint8Array>();

/**
 * `round(colour · a + value · (1 - a))` with `a = alpha / 255` for every `value` 0..255: the same
 * doubles computed once per colour and alpha instead of once per pixel (the burn-in's translucent
 * band is most of its pixels, drawn on every frame).
 */
function blendTable(colour: number, alpha: number): Uint8Array {
  const key = (colour << 8) | alpha;
  let table = blendTables.get(key);
  if (table === undefined) {
    if (blendTables.size >= 256) blendTables.clear();
    const a = alpha / 255;
    table = Uint8Array.from({ length: 256 }, (_, value) => Math.round(colour * a + value * (1 - a)));
    blendTables.set(key, table);
  }
  return table;
}

/**
 * A rendering as runs of one colour along its rows, the transparent ones left out: a rendering
 * is a few hundred runs (cells of one colour, scaled up), so drawing it is a fill or a table
 * blend per run, not a test per pixel.
 */
interface TextRuns {
  /** Runs of row `y` are `rowStart[y]` up to `rowStart[y + 1]`. */
  readonly rowStart: Int32Array;
  /** Per run: its first column, the column after it, and its colour (RGBA, packed). */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly colour: Uint32Array;
}

/** Runs per rendering (a rendering's pixels are not changed after it is made). */
const runsByText = new WeakMap<RasterText, TextRuns>();

function runsOf(text: RasterText): TextRuns {
  const cached = runsByText.get(text);
  if (cached !== undefined) return cached;
  const { width, height, rgba } = text;
  const rowStart = new Int32Array(height + 1);
  const from: number[] = [];
  const to: number[] = [];
  const colour: number[] = [];
  for (let y = 0; y < height; y += 1) {
    rowStart[y] = from.length;
    let x = 0;
    while (x < width) {
      const packed = packedAt(rgba, (y * width + x) * 4);
      let end = x + 1;
      while (end < width && packedAt(rgba, (y * width + end) * 4) === packed) end += 1;
      if ((packed & 255) !== 0) {
        from.push(x);
        to.push(end);
        colour.push(packed);
      }
      x = end;
    }
  }
  rowStart[height] = from.length;
  const runs = { rowStart, from: Int32Array.from(from), to: Int32Array.from(to), colour: Uint32Array.from(colour) };
  runsByText.set(text, runs);
  return runs;
}

/** The RGBA pixel at byte `s` as one unsigned number, red in the top byte. */
function packedAt(rgba: Uint8Array, s: number): number {
  return ((rgba[s]! << 24) | (rgba[s + 1]! << 16) | (rgba[s + 2]! << 8) | rgba[s + 3]!) >>> 0;
}

/**
 * Blends `text` onto an RGB or RGBA pixel buffer in place at (`left`, `top`), clipping at the
 * edges: opaque pixels are copied, translucent ones blended (`round(colour · a + value · (1 - a))`,
 * a = alpha / 255), transparent ones left alone; with 4 channels every pixel drawn on becomes opaque.
 */
export function drawText(
  target: Uint8Array, targetWidth: number, targetHeight: number, channels: 3 | 4,
  text: RasterText, left: number, top: number,
): void {
  const { rowStart, from, to, colour } = runsOf(text);
  const firstRow = Math.max(0, -top);
  const lastRow = Math.min(text.height, targetHeight - top);
  for (let y = firstRow; y < lastRow; y += 1) {
    const rowAt = (top + y) * targetWidth;
    for (let run = rowStart[y]!; run < rowStart[y + 1]!; run += 1) {
      const start = Math.max(from[run]!, -left);
      const end = Math.min(to[run]!, targetWidth - left);
      if (start >= end) continue;
      const packed = colour[run]!;
      const red = packed >>> 24;
      const green = (packed >>> 16) & 255;
      const blue = (packed >>> 8) & 255;
      const alpha = packed & 255;
      const first = (rowAt + left + start) * channels;
      const last = (rowAt + left + end) * channels;
      if (alpha === 255) {
        for (let d = first; d < last; d += channels) {
          target[d] = red;
          target[d + 1] = green;
          target[d + 2] = blue;
        }
      } else {
        const redOver = blendTable(red, alpha);
        const greenOver = blendTable(green, alpha);
        const blueOver = blendTable(blue, alpha);
        for (let d = first; d < last; d += channels) {
          target[d] = redOver[target[d]!]!;
          target[d + 1] = greenOver[target[d + 1]!]!;
          target[d + 2] = blueOver[target[d + 2]!]!;
        }
      }
      if (channels === 4) for (let d = first + 3; d < last; d += 4) target[d] = 255;
    }
  }
}
