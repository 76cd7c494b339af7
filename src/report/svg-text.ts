/**
 * Text for SVG drawn with the project's 5x7 bitmap font as filled paths, so the picture needs no
 * system fonts and renders the same everywhere (librsvg on a bare CI machine included).
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from '../text/index.js';

/** Horizontal alignment of a label against its x. */
export type TextAnchor = 'start' | 'middle' | 'end';

/** Width in pixels of `text` at `scale` (one blank column between glyphs, none after the last). */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

/** Height in pixels of a line of text at `scale`. */
export function textHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
}

/** The path data of `text` with its top-left corner at (`left`, `top`): one rectangle per run of lit cells. */
export function textPathData(text: string, left: number, top: number, scale: number): string {
  const parts: string[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const glyph = glyphFor(text.charAt(index));
    const x0 = left + index * (GLYPH_WIDTH + 1) * scale;
    for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
      const bits = glyph[row] ?? '';
      let col = 0;
      while (col < GLYPH_WIDTH) {
        if (bits.charAt(col) !== '#') {
          col += 1;
          continue;
        }
        let end = col;
        while (end < GLYPH_WIDTH && bits.charAt(end) === '#') end += 1;
        parts.push(`M${x0 + col * scale} ${top + row * scale}h${(end - col) * scale}v${scale}h${-(end - col) * scale}z`);
        col = end;
      }
    }
  }
  return parts.join('');
}

/** Options of {@link svgText}. */
export interface SvgTextOptions {
  readonly scale?: number;
  readonly fill?: string;
  readonly anchor?: TextAnchor;
  /** A backing rectangle behind the text (with one cell of padding), for labels over colour. */
  readonly backing?: string;
}

/** An SVG `<path>` drawing `text`, its top at `top` and aligned on `x`. Empty text draws nothing. */
export function svgText(text: string, x: number, top: number, options: SvgTextOptions = {}): string {
  if (text === '') return '';
  const scale = options.scale ?? 2;
  const width = textWidth(text, scale);
  const anchor = options.anchor ?? 'start';
  const left = Math.round(anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width);
  const backing = options.backing === undefined
    ? ''
    : `<rect x="${left - scale}" y="${top - scale}" width="${width + 2 * scale}" height="${textHeight(scale) + 2 * scale}" fill="${options.backing}"/>`;
  return `${backing}<path d="${textPathData(text, left, Math.round(top), scale)}" fill="${options.fill ?? '#e8eaed'}"/>`;
}
