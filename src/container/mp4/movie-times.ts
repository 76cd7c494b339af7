/**
 * The movie's creation and modification times (`mvhd`, each `tkhd` and `mdhd`), set to a given
 * instant: mediabunny stamps them from the host clock, which must never reach a recording.
 */
import { childBoxes, findBox } from './boxes.js';

/** Writes `seconds` (since 1904) as a version-0 (u32) or version-1 (u64) creation and modification time. */
function setTimes(bytes: Uint8Array, fullBoxPayload: number, seconds: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[fullBoxPayload]!;
  const at = fullBoxPayload + 4;
  if (version === 1) {
    view.setBigUint64(at, BigInt(seconds));
    view.setBigUint64(at + 8, BigInt(seconds));
  } else {
    view.setUint32(at, Math.min(seconds, 0xffff_ffff));
    view.setUint32(at + 4, Math.min(seconds, 0xffff_ffff));
  }
}

/**
 * Sets the times inside the `moov` box found among the top-level boxes of `data` (a write that
 * starts on a box boundary), in place. Returns false when `data` holds no whole `moov`.
 * A version-0 box holds u32 seconds (until 2040): later instants are clamped there.
 */
export function setMovieTimes(data: Uint8Array, seconds: number): boolean {
  const moov = childBoxes(data, 0, data.byteLength).find((box) => box.type === 'moov');
  if (moov === undefined) return false;
  for (const box of childBoxes(data, moov.payload, moov.end)) {
    if (box.type === 'mvhd') setTimes(data, box.payload, seconds);
    if (box.type !== 'trak') continue;
    const tkhd = findBox(data, box.payload, box.end, 'tkhd');
    if (tkhd !== undefined) setTimes(data, tkhd.payload, seconds);
    const mdia = findBox(data, box.payload, box.end, 'mdia');
    const mdhd = mdia === undefined ? undefined : findBox(data, mdia.payload, mdia.end, 'mdhd');
    if (mdhd !== undefined) setTimes(data, mdhd.payload, seconds);
  }
  return true;
}

/**
 * The movie's creation time (`mvhd`) in Unix ms, or null when `bytes` hold no whole `moov`: the
 * recording's date from the device clock (whole seconds, as `mvhd` stores it).
 */
export function readMovieTimeMs(bytes: Uint8Array, moovOffset: number, moovEnd: number): number | null {
  const mvhd = findBox(bytes, moovOffset, moovEnd, 'mvhd');
  if (mvhd === undefined) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seconds = bytes[mvhd.payload] === 1 ? Number(view.getBigUint64(mvhd.payload + 4)) : view.getUint32(mvhd.payload + 4);
  return (seconds - ISO_EPOCH_OFFSET_S) * 1000;
}

/** Seconds from 1904-01-01 (the ISO BMFF epoch) to 1970-01-01. */
export const ISO_EPOCH_OFFSET_S = 2_082_844_800;
