/**
 * The layout of a fragmented MP4 file, read without decoding anything: its tracks (from `moov`),
 * its fragments (`moof` + `mdat` pairs, with each track's sample count, sizes and decode time),
 * and where a cut-off file stops being whole. Pure; used by the writer's accounting, `verify`,
 * `repair` and the tests.
 */
import { BodycamError } from '../../errors/index.js';
import { type BoxHeader, childBoxes, findBox, readBoxHeader, u32At } from './boxes.js';

/** A track as the `moov` describes it. */
export interface Mp4Track {
  readonly id: number;
  /** `vide`, `soun`... */
  readonly handler: string;
  readonly timescale: number;
  /** The sample entry's four-character code (`avc1`, `ipcm`). */
  readonly sampleEntry: string;
}

/** One track's run of samples in a fragment. */
export interface Mp4TrackRun {
  readonly trackId: number;
  /** Decode time of the run's first sample, in the track's timescale. */
  readonly baseDecodeTime: number;
  readonly sampleSizes: readonly number[];
  readonly sampleDurations: readonly number[];
}

/** A whole fragment: its `moof` and the `mdat` after it. */
export interface Mp4Fragment {
  readonly offset: number;
  readonly end: number;
  readonly sequence: number;
  readonly runs: readonly Mp4TrackRun[];
}

/** What {@link readFragmentedMp4} finds. */
export interface Mp4Layout {
  readonly tracks: readonly Mp4Track[];
  readonly fragments: readonly Mp4Fragment[];
  /** End of the last whole part (the `moov`, a whole fragment, or the `mfra`). */
  readonly validBytes: number;
  /** The file ends inside a box (or inside a fragment: a `moof` without its whole `mdat`). */
  readonly truncated: boolean;
  /** The `mfra` index is there, whole: the muxer finished the file. */
  readonly finalized: boolean;
}

/** One parsed `moof` (sample runs), with defaults from `trex`. */
interface Defaults {
  readonly duration: number;
  readonly size: number;
}

function fullBoxFlags(bytes: Uint8Array, box: BoxHeader): number {
  return u32At(bytes, box.payload) & 0xff_ffff;
}

function readTracks(bytes: Uint8Array, moov: BoxHeader): { tracks: Mp4Track[]; defaults: Map<number, Defaults> } {
  const tracks: Mp4Track[] = [];
  for (const trak of childBoxes(bytes, moov.payload, moov.end).filter((box) => box.type === 'trak')) {
    const tkhd = findBox(bytes, trak.payload, trak.end, 'tkhd');
    const mdia = findBox(bytes, trak.payload, trak.end, 'mdia');
    if (tkhd === undefined || mdia === undefined) continue;
    const version = bytes[tkhd.payload]!;
    const id = u32At(bytes, tkhd.payload + (version === 1 ? 20 : 12));
    const mdhd = findBox(bytes, mdia.payload, mdia.end, 'mdhd');
    const hdlr = findBox(bytes, mdia.payload, mdia.end, 'hdlr');
    const minf = findBox(bytes, mdia.payload, mdia.end, 'minf');
    const stbl = minf === undefined ? undefined : findBox(bytes, minf.payload, minf.end, 'stbl');
    const stsd = stbl === undefined ? undefined : findBox(bytes, stbl.payload, stbl.end, 'stsd');
    const entry = stsd === undefined ? null : readBoxHeader(bytes, stsd.payload + 8, stsd.end);
    const timescale = mdhd === undefined ? 0 : u32At(bytes, mdhd.payload + (bytes[mdhd.payload] === 1 ? 20 : 12));
    const handler = hdlr === undefined ? '' : String.fromCharCode(...bytes.subarray(hdlr.payload + 8, hdlr.payload + 12));
    tracks.push({ id, handler, timescale, sampleEntry: entry?.type ?? '' });
  }
  const defaults = new Map<number, Defaults>();
  const mvex = findBox(bytes, moov.payload, moov.end, 'mvex');
  for (const trex of mvex === undefined ? [] : childBoxes(bytes, mvex.payload, mvex.end).filter((box) => box.type === 'trex')) {
    defaults.set(u32At(bytes, trex.payload + 4), { duration: u32At(bytes, trex.payload + 12), size: u32At(bytes, trex.payload + 16) });
  }
  return { tracks, defaults };
}

function readTraf(bytes: Uint8Array, traf: BoxHeader, defaults: Map<number, Defaults>): Mp4TrackRun | null {
  const tfhd = findBox(bytes, traf.payload, traf.end, 'tfhd');
  if (tfhd === undefined) return null;
  const tfhdFlags = fullBoxFlags(bytes, tfhd);
  const trackId = u32At(bytes, tfhd.payload + 4);
  let at = tfhd.payload + 8;
  if (tfhdFlags & 0x1) at += 8;
  if (tfhdFlags & 0x2) at += 4;
  let duration = defaults.get(trackId)?.duration ?? 0;
  let size = defaults.get(trackId)?.size ?? 0;
  if (tfhdFlags & 0x8) { duration = u32At(bytes, at); at += 4; }
  if (tfhdFlags & 0x10) size = u32At(bytes, at);
  const tfdt = findBox(bytes, traf.payload, traf.end, 'tfdt');
  const baseDecodeTime = tfdt === undefined ? 0
    : bytes[tfdt.payload] === 1 ? Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(tfdt.payload + 4)) : u32At(bytes, tfdt.payload + 4);
  const sampleSizes: number[] = [];
  const sampleDurations: number[] = [];
  for (const trun of childBoxes(bytes, traf.payload, traf.end).filter((box) => box.type === 'trun')) {
    const flags = fullBoxFlags(bytes, trun);
    const count = u32At(bytes, trun.payload + 4);
    let offset = trun.payload + 8 + (flags & 0x1 ? 4 : 0) + (flags & 0x4 ? 4 : 0);
    for (let i = 0; i < count; i += 1) {
      sampleDurations.push(flags & 0x100 ? u32At(bytes, offset) : duration);
      if (flags & 0x100) offset += 4;
      sampleSizes.push(flags & 0x200 ? u32At(bytes, offset) : size);
      if (flags & 0x200) offset += 4;
      offset += (flags & 0x400 ? 4 : 0) + (flags & 0x800 ? 4 : 0);
    }
  }
  return { trackId, baseDecodeTime, sampleSizes, sampleDurations };
}

/** The sample runs of a whole `moof`, with the `trex` defaults of the file's `moov`. */
export function readMoof(bytes: Uint8Array, moof: BoxHeader, defaults: ReadonlyMap<number, Defaults> = new Map()): { sequence: number; runs: Mp4TrackRun[] } {
  const mfhd = findBox(bytes, moof.payload, moof.end, 'mfhd');
  const runs = childBoxes(bytes, moof.payload, moof.end).filter((box) => box.type === 'traf')
    .map((traf) => readTraf(bytes, traf, defaults as Map<number, Defaults>)).filter((run): run is Mp4TrackRun => run !== null);
  return { sequence: mfhd === undefined ? 0 : u32At(bytes, mfhd.payload + 4), runs };
}

/**
 * Reads the layout of a fragmented MP4 (ours, ffmpeg's `-movflags frag_keyframe`); throws
 * `bad-input` naming `file` and the byte when it is not one.
 */
export function readFragmentedMp4(bytes: Uint8Array, options: { readonly file: string }): Mp4Layout {
  const fail = (offset: number, what: string): never => {
    throw new BodycamError('bad-input', what, { file: options.file, place: `byte ${offset}` });
  };
  const first = readBoxHeader(bytes, 0);
  if (first === null || first.type !== 'ftyp') fail(0, `expected an MP4 file (an ftyp box), found ${first === null ? `${bytes.byteLength} bytes` : `a '${first.type}' box`}`);
  let tracks: Mp4Track[] = [];
  let defaults = new Map<number, Defaults>();
  const fragments: Mp4Fragment[] = [];
  let validBytes = 0;
  let truncated = false;
  let finalized = false;
  let moof: BoxHeader | null = null;
  let sawMoov = false;
  for (let offset = 0; offset < bytes.byteLength;) {
    const box = readBoxHeader(bytes, offset);
    if (box === null || box.end > bytes.byteLength) {
      truncated = true;
      break;
    }
    if (box.end < box.payload || !/^[\x20-\x7e]{4}$/.test(box.type)) fail(offset, `expected an MP4 box, found size ${box.end - box.offset} type ${JSON.stringify(box.type)}`);
    if (box.type === 'moov') {
      ({ tracks, defaults } = readTracks(bytes, box));
      sawMoov = true;
      validBytes = box.end;
    } else if (box.type === 'moof') {
      if (!sawMoov) fail(offset, 'expected the moov box before the first fragment (moof)');
      moof = box;
    } else if (box.type === 'mdat' && moof !== null) {
      fragments.push({ offset: moof.offset, end: box.end, ...readMoof(bytes, moof, defaults) });
      moof = null;
      validBytes = box.end;
    } else if (box.type === 'mfra') {
      finalized = true;
      validBytes = box.end;
    } else if (box.type === 'ftyp' || box.type === 'free' || box.type === 'skip' || box.type === 'styp' || box.type === 'sidx' || box.type === 'mdat') {
      if (moof === null) validBytes = box.end;
    }
    offset = box.end;
  }
  if (moof !== null) truncated = true;
  if (!sawMoov) fail(validBytes, truncated ? 'cut off before its moov box: nothing in it can be played' : 'expected a moov box, found none');
  return { tracks, fragments, validBytes, truncated, finalized: finalized && !truncated };
}
