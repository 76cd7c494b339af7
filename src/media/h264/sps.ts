/**
 * The sequence parameter set (H.264 7.3.2.1.1): what a recording's header and a fixture's check
 * need of it (profile, level, picture size, chroma format and bit depths), and the slice type of a
 * slice header (7.3.3) to find B-frames. Pure.
 */
import { BitReader, unescapeRbsp } from './bit-reader.js';
import { NalType, nalType } from './nal-units.js';

/** What an SPS says that this project uses. */
export interface SpsInfo {
  readonly profileIdc: number;
  /** constraint_set0..5 flags and reserved bits, the byte after profile_idc. */
  readonly constraintFlags: number;
  readonly levelIdc: number;
  readonly spsId: number;
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  readonly chromaFormatIdc: number;
  readonly bitDepthLuma: number;
  readonly bitDepthChroma: number;
  /** Picture size after the cropping window, in pixels. */
  readonly width: number;
  readonly height: number;
  readonly frameMbsOnly: boolean;
}

/** Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** True when the profile's avcC carries the chroma/bit-depth extension (ISO/IEC 14496-15 5.3.3.1.2). */
export function hasHighProfileFields(profileIdc: number): boolean {
  return HIGH_PROFILES.has(profileIdc);
}

/** Parses an SPS NAL unit (with its header byte). Throws a RangeError saying what is wrong. */
export function parseSps(nal: Uint8Array): SpsInfo {
  if (nalType(nal) !== NalType.sps) throw new RangeError(`a sequence parameter set (NAL type 7), not NAL type ${nalType(nal)}`);
  const r = new BitReader(unescapeRbsp(nal.subarray(1)));
  const profileIdc = r.u(8);
  const constraintFlags = r.u(8);
  const levelIdc = r.u(8);
  const spsId = r.ue();
  let chromaFormatIdc = 1;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc === 3) separateColourPlane = r.u1() === 1;
    bitDepthLuma = r.ue() + 8;
    bitDepthChroma = r.ue() + 8;
    r.u1(); // qpprime_y_zero_transform_bypass_flag
    if (r.u1() === 1) skipScalingMatrices(r, chromaFormatIdc === 3 ? 12 : 8);
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) {
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (pocType === 1) {
    r.u1(); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = r.ue();
    for (let i = 0; i < cycle; i += 1) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.u1(); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.u1() === 1;
  if (!frameMbsOnly) r.u1(); // mb_adaptive_frame_field_flag
  r.u1(); // direct_8x8_inference_flag
  let crop = { left: 0, right: 0, top: 0, bottom: 0 };
  if (r.u1() === 1) crop = { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() };
  // Table 6-1 and equations 7-19..7-22: the cropping unit depends on the chroma subsampling.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaFormatIdc === 3 ? 1 : 2;
  const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
  const fieldFactor = frameMbsOnly ? 1 : 2;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = chromaArrayType === 0 ? fieldFactor : subHeightC * fieldFactor;
  const width = widthMbs * 16 - cropUnitX * (crop.left + crop.right);
  const height = fieldFactor * heightMapUnits * 16 - cropUnitY * (crop.top + crop.bottom);
  if (width <= 0 || height <= 0) throw new RangeError(`a picture size above 0, not ${width}x${height} after cropping`);
  return { profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc, bitDepthLuma, bitDepthChroma, width, height, frameMbsOnly };
}

/** seq_scaling_list_present_flag[i] and the lists they announce (7.3.2.1.1.1), read and dropped. */
function skipScalingMatrices(r: BitReader, count: number): void {
  for (let i = 0; i < count; i += 1) {
    if (r.u1() === 0) continue;
    const size = i < 6 ? 16 : 64;
    let last = 8;
    let next = 8;
    for (let j = 0; j < size; j += 1) {
      if (next !== 0) next = (last + r.se() + 256) % 256;
      last = next === 0 ? last : next;
    }
  }
}

/** A slice's type (Table 7-6, modulo 5). */
export type SliceKind = 'P' | 'B' | 'I' | 'SP' | 'SI';

const SLICE_KINDS: readonly SliceKind[] = ['P', 'B', 'I', 'SP', 'SI'];

/** The slice type of a coded slice NAL unit (type 1 or 5), or null for any other unit. */
export function sliceKind(nal: Uint8Array): SliceKind | null {
  const type = nalType(nal);
  if (type !== NalType.slice && type !== NalType.idrSlice) return null;
  // The first two fields of the header are all we read: a few bytes are plenty.
  const r = new BitReader(unescapeRbsp(nal.subarray(1, Math.min(nal.length, 17))));
  r.ue(); // first_mb_in_slice
  return SLICE_KINDS[r.ue() % 5] ?? null;
}
