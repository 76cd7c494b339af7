/**
 * H.264 bitstream utilities, pure: Annex B and length-prefixed NAL framing, NAL and slice types,
 * the SPS fields a recording needs, the avcC built from a stream's SPS/PPS, and the checks of a
 * stream a recording can carry (one SPS), and the presentation order of a stream with B-frames.
 */
export {
  NalType, annexBToLengthPrefixed, holdsIdr, lengthPrefixedToAnnexB, nalType, splitAnnexB, splitLengthPrefixed, toLengthPrefixed,
} from './nal-units.js';
export { BitReader, unescapeRbsp } from './bit-reader.js';
export { hasHighProfileFields, parseSps, sliceKind } from './sps.js';
export type { SliceKind, SpsInfo } from './sps.js';
export { buildAvcC, parameterSets, parseAvcC, sameBytes } from './avc-config.js';
export type { AvcConfig } from './avc-config.js';
export { RecordingAvcConfig } from './recording-avc-config.js';
export { checkStream, isStreamFault } from './stream-checks.js';
export type { StreamFacts, StreamFault } from './stream-checks.js';
export { isOrderFault, presentationOrder } from './presentation-order.js';
export type { OrderFault, PresentationOrder } from './presentation-order.js';
