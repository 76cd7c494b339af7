/**
 * H.264 NAL units in their two framings (ITU-T H.264 Annex B and ISO/IEC 14496-15): a byte stream
 * with start codes, as an encoder writes to a pipe, and length-prefixed units, as Matroska and MP4
 * store a frame. Pure: bytes in, bytes out.
 */

/** NAL unit types this project looks at (H.264 Table 7-1). */
export const NalType = Object.freeze({
  slice: 1,
  idrSlice: 5,
  sei: 6,
  sps: 7,
  pps: 8,
  accessUnitDelimiter: 9,
} as const);

/** The NAL unit type of `nal` (its first byte's low five bits). */
export function nalType(nal: Uint8Array): number {
  return (nal[0] ?? 0) & 0x1f;
}

/** Splits an Annex B byte stream at its start codes (00 00 01 or 00 00 00 01) into NAL units. */
export function splitAnnexB(stream: Uint8Array): Uint8Array[] {
  const units: Uint8Array[] = [];
  let start = -1;
  let i = 0;
  while (i + 2 < stream.length) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      if (start >= 0) units.push(stream.subarray(start, trimZeros(stream, start, i)));
      i += 3;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start >= 0 && start < stream.length) units.push(stream.subarray(start, stream.length));
  return units.filter((unit) => unit.length > 0);
}

/** The end of a unit before a start code: the zero bytes before `00 00 01` belong to the start code (trailing_zero_8bits). */
function trimZeros(stream: Uint8Array, start: number, end: number): number {
  let cut = end;
  while (cut > start && stream[cut - 1] === 0) cut -= 1;
  return cut;
}

/** Joins NAL units, each after a `lengthSize`-byte big-endian length (1, 2 or 4). */
export function toLengthPrefixed(units: readonly Uint8Array[], lengthSize = 4): Uint8Array {
  assertLengthSize(lengthSize);
  const total = units.reduce((sum, unit) => sum + lengthSize + unit.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const unit of units) {
    if (unit.length >= 2 ** (8 * lengthSize)) throw new RangeError(`a NAL unit of ${unit.length} bytes does not fit a ${lengthSize}-byte length`);
    for (let b = lengthSize - 1; b >= 0; b -= 1) out[at + lengthSize - 1 - b] = Math.floor(unit.length / 2 ** (8 * b)) & 0xff;
    out.set(unit, at + lengthSize);
    at += lengthSize + unit.length;
  }
  return out;
}

/**
 * Splits a length-prefixed frame into its NAL units. Throws a RangeError saying where when a
 * length runs past the end (a frame that is not `lengthSize`-prefixed H.264).
 */
export function splitLengthPrefixed(frame: Uint8Array, lengthSize = 4): Uint8Array[] {
  assertLengthSize(lengthSize);
  const units: Uint8Array[] = [];
  let at = 0;
  while (at < frame.length) {
    if (at + lengthSize > frame.length) throw new RangeError(`a ${lengthSize}-byte NAL length at byte ${at} runs past the frame's ${frame.length} bytes`);
    let length = 0;
    for (let b = 0; b < lengthSize; b += 1) length = length * 256 + (frame[at + b] ?? 0);
    const begin = at + lengthSize;
    if (length === 0 || begin + length > frame.length) {
      throw new RangeError(`the NAL unit at byte ${at} says ${length} bytes; ${frame.length - begin} remain in the frame`);
    }
    units.push(frame.subarray(begin, begin + length));
    at = begin + length;
  }
  return units;
}

/** An Annex B access unit as a length-prefixed frame. */
export function annexBToLengthPrefixed(stream: Uint8Array, lengthSize = 4): Uint8Array {
  return toLengthPrefixed(splitAnnexB(stream), lengthSize);
}

/** A length-prefixed frame as Annex B (4-byte start codes), as a decoder's pipe wants it. */
export function lengthPrefixedToAnnexB(frame: Uint8Array, lengthSize = 4): Uint8Array {
  const units = splitLengthPrefixed(frame, lengthSize);
  const out = new Uint8Array(units.reduce((sum, unit) => sum + 4 + unit.length, 0));
  let at = 0;
  for (const unit of units) {
    out[at + 3] = 1;
    out.set(unit, at + 4);
    at += 4 + unit.length;
  }
  return out;
}

/** True when the frame holds an IDR slice: it decodes on its own (a key packet). */
export function holdsIdr(units: readonly Uint8Array[]): boolean {
  return units.some((unit) => nalType(unit) === NalType.idrSlice);
}

function assertLengthSize(lengthSize: number): void {
  if (lengthSize !== 1 && lengthSize !== 2 && lengthSize !== 4) throw new RangeError(`a NAL length size of 1, 2 or 4 bytes, not ${lengthSize}`);
}
