/**
 * The AVCDecoderConfigurationRecord (`avcC`, ISO/IEC 14496-15 5.3.3.1): a stream's SPS and PPS as
 * Matroska's CodecPrivate (`V_MPEG4/ISO/AVC`) and MP4's avcC box hold them. Pure.
 */
import { NalType, nalType } from './nal-units.js';
import { hasHighProfileFields, parseSps, type SpsInfo } from './sps.js';

/** A parsed avcC. */
export interface AvcConfig {
  readonly profileIdc: number;
  readonly constraintFlags: number;
  readonly levelIdc: number;
  /** Bytes of each NAL length in the stream's frames (1, 2 or 4). */
  readonly lengthSize: number;
  readonly sps: readonly Uint8Array[];
  readonly pps: readonly Uint8Array[];
}

/**
 * Builds the avcC for `sps` and `pps` (NAL units with their header byte). The profile, level and
 * constraint flags come from the first SPS; High profiles get the chroma/bit-depth extension, as
 * ffmpeg writes it.
 */
export function buildAvcC(sps: readonly Uint8Array[], pps: readonly Uint8Array[], lengthSize = 4): Uint8Array {
  const first = sps[0];
  if (first === undefined || pps.length === 0) throw new RangeError('an SPS and a PPS to build an avcC from');
  if (sps.length > 31 || pps.length > 255) throw new RangeError('at most 31 SPS and 255 PPS in an avcC');
  const info: SpsInfo = parseSps(first);
  const parts: number[] = [1, info.profileIdc, info.constraintFlags, info.levelIdc, 0xfc | (lengthSize - 1), 0xe0 | sps.length];
  const pushUnit = (unit: Uint8Array): void => {
    parts.push(unit.length >> 8, unit.length & 0xff, ...unit);
  };
  sps.forEach(pushUnit);
  parts.push(pps.length);
  pps.forEach(pushUnit);
  if (hasHighProfileFields(info.profileIdc)) {
    parts.push(0xfc | info.chromaFormatIdc, 0xf8 | (info.bitDepthLuma - 8), 0xf8 | (info.bitDepthChroma - 8), 0);
  }
  return Uint8Array.from(parts);
}

/** Parses an avcC. Throws a RangeError saying what is wrong. */
export function parseAvcC(bytes: Uint8Array): AvcConfig {
  if (bytes.length < 7 || bytes[0] !== 1) throw new RangeError(`an avcC of version 1 and at least 7 bytes, not ${bytes.length} bytes starting ${bytes[0] ?? 'nothing'}`);
  let at = 6;
  const units = (count: number, what: string, type: number): Uint8Array[] => {
    const list: Uint8Array[] = [];
    for (let i = 0; i < count; i += 1) {
      const length = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
      if (at + 2 + length > bytes.length) throw new RangeError(`the avcC's ${what} ${i} runs past its ${bytes.length} bytes`);
      const unit = bytes.subarray(at + 2, at + 2 + length);
      if (nalType(unit) !== type) throw new RangeError(`the avcC's ${what} ${i} is NAL type ${nalType(unit)}, not ${type}`);
      list.push(unit);
      at += 2 + length;
    }
    return list;
  };
  const sps = units((bytes[5] ?? 0) & 0x1f, 'SPS', NalType.sps);
  if (sps.length === 0) throw new RangeError('an avcC with at least one SPS');
  const ppsCount = bytes[at] ?? 0;
  at += 1;
  const pps = units(ppsCount, 'PPS', NalType.pps);
  return {
    profileIdc: bytes[1] ?? 0,
    constraintFlags: bytes[2] ?? 0,
    levelIdc: bytes[3] ?? 0,
    lengthSize: ((bytes[4] ?? 0) & 3) + 1,
    sps,
    pps,
  };
}

/** The SPS and PPS units among `units` (an access unit that carries them in-band). */
export function parameterSets(units: readonly Uint8Array[]): { sps: Uint8Array[]; pps: Uint8Array[] } {
  return {
    sps: units.filter((unit) => nalType(unit) === NalType.sps),
    pps: units.filter((unit) => nalType(unit) === NalType.pps),
  };
}

/** True when two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
