export { GLYPH_WIDTH, GLYPH_HEIGHT, glyphFor } from './glyphs-5x7.js';
export { measureText, rasterizeText, drawText } from './raster-text.js';
export type { Rgba, RasterText, RasterTextOptions } from './raster-text.js';
