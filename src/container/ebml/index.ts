export { EbmlId, MatroskaId, MatroskaTrackType, SEGMENT_CHILD_IDS } from './element-ids.js';
export {
  MAX_VINT_LENGTH, MAX_ID_LENGTH, UNKNOWN_SIZE_VINT, maxVintValue, vintLengthFor, writeVint, encodeVint,
  encodeUnknownSizeVint, vintLengthFromFirstByte, readVint, encodeElementId, elementIdLength, writeElementId, readElementId,
} from './vint.js';
export type { VintRead, ElementIdRead, VintFailure } from './vint.js';
export {
  EBML_EPOCH_UNIX_MS, encodeUnsigned, encodeSigned, encodeFloat64, encodeAscii, encodeUtf8, encodeDateMs,
  decodeUnsigned, decodeSigned, decodeFloat, decodeString, decodeDateMs,
} from './values.js';
export { ebml, ebmlSize, encodeEbml, encodeEbmlParts, encodeElementHeader, encodeUnknownSizeHeader } from './builder.js';
export type { EbmlLeaf, EbmlMaster, EbmlNode } from './builder.js';
export { readElementHeader, elementData, formatElementId } from './element-reader.js';
export type { ElementHeader } from './element-reader.js';
