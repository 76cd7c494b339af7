/**
 * The MP4 box reader's refusals (one line naming the file and the byte) and the movie-time patch
 * that keeps the host clock out of a recording.
 */
import { describe, expect, it } from 'vitest';
import { readFragmentedMp4 } from '../../src/container/index.js';
import { setMovieTimes } from '../../src/container/mp4/movie-times.js';

/** A box of `type` holding `payload`. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set([...type].map((c) => c.charCodeAt(0)), 4);
  let at = 8;
  for (const part of payload) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));
/** A version-0 full box payload: version/flags, creation, modification, then `rest` zero bytes. */
const timed = (rest: number): Uint8Array => new Uint8Array(12 + rest).fill(0xee, 4, 12);

describe('readFragmentedMp4', () => {
  it('refuses what is not MP4, naming the file and the byte', () => {
    expect(() => readFragmentedMp4(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), { file: 'x.mp4' })).toThrow(/^x\.mp4: byte 0: expected an MP4 file \(an ftyp box\), found a '\\x05\\x06\\x07\\x08' box$/);
  });

  it('refuses a file cut off before its moov: nothing in it can be played', () => {
    const file = concat(box('ftyp', new Uint8Array(8)), box('moov', new Uint8Array(40)).subarray(0, 20));
    expect(() => readFragmentedMp4(file, { file: 'cut.mp4' })).toThrow(/cut\.mp4: byte 16: cut off before its moov box/);
  });

  it('a moof without its whole mdat is a cut, not a fragment', () => {
    const file = concat(box('ftyp', new Uint8Array(8)), box('moov'), box('moof', box('mfhd', new Uint8Array(8))), box('mdat', new Uint8Array(100)).subarray(0, 50));
    const layout = readFragmentedMp4(file, { file: 'cut.mp4' });
    expect(layout).toMatchObject({ fragments: [], truncated: true, finalized: false, validBytes: 24 });
  });
});

describe('setMovieTimes', () => {
  it('sets the creation and modification times of mvhd, tkhd and mdhd, and nothing else', () => {
    const moov = box('moov', box('mvhd', timed(4)), box('trak', box('tkhd', timed(4)), box('mdia', box('mdhd', timed(4)))));
    const data = concat(box('ftyp', new Uint8Array(8)), moov);
    const before = data.slice();
    expect(setMovieTimes(data, 3_900_000_000)).toBe(true);
    const view = new DataView(data.buffer);
    const changed = [...data.keys()].filter((i) => data[i] !== before[i]);
    // ftyp 0-16, moov 16: mvhd 24 (times at 36), trak 48: tkhd 56 (times at 68), mdia 80: mdhd 88 (times at 100).
    const times = [36, 68, 100];
    for (const at of times) expect([view.getUint32(at), view.getUint32(at + 4)]).toEqual([3_900_000_000, 3_900_000_000]);
    expect(changed.every((i) => times.some((at) => i >= at && i < at + 8))).toBe(true);
    expect(setMovieTimes(box('free'), 1)).toBe(false);
  });
});
