/**
 * An MP4 file read whole for replay (an H.264 fixture's `stream`, a recording as a source): a
 * fragmented file cut off (a power cut) is read up to its last whole fragment, as a cut-off
 * Matroska file is read up to its last whole cluster. Pure.
 */
import { readFragmentedMp4 } from './fragments.js';
import { demuxMp4 } from './demux.js';
import { type Mp4AsMatroska, mp4AsMatroska } from './as-matroska.js';

/** True when `bytes` start like an ISO BMFF file (`ftyp` at byte 4). */
export function isMp4(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 8 && bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70;
}

/** Reads the tracks and packets of an MP4 (its whole fragments when cut off) in the Matroska reader's shape. */
export async function readMp4(bytes: Uint8Array, options: { readonly file: string }): Promise<Mp4AsMatroska & { readonly truncated: boolean }> {
  const layout = readFragmentedMp4(bytes, options);
  const whole = layout.truncated ? bytes.subarray(0, layout.validBytes) : bytes;
  return { ...mp4AsMatroska(await demuxMp4(whole, options)), truncated: layout.truncated };
}
