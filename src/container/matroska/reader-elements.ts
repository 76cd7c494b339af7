/**
 * Parsing the level-1 elements the demuxer cares about (Info, Tracks, Tags) and block headers.
 * Every function walks children with a known size that lie wholly inside the bytes; anything
 * malformed is a bad-input error naming the byte offset.
 */
import { BodycamError } from '../../errors/index.js';
import {
  MatroskaId, decodeDateMs, decodeFloat, decodeString, decodeUnsigned, elementData, formatElementId, readElementHeader, readVint,
  type ElementHeader,
} from '../ebml/index.js';

/** Where an error points: the file and a byte offset. */
export interface ReadContext {
  readonly bytes: Uint8Array;
  readonly file: string | undefined;
}

/** Segment information as read. */
export interface InfoRead {
  timestampScaleNs: number;
  durationTicks: number | null;
  title?: string;
  dateUtcMs?: number;
  writingApp?: string;
  muxingApp?: string;
}

/** A TrackEntry as read (any TrackType). */
export interface TrackRead {
  number: number;
  trackType: number;
  codecId: string;
  /** CodecPrivate (a view into the file's bytes): H.264's avcC. */
  codecPrivate?: Uint8Array;
  defaultDurationNs?: number;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  bitDepth?: number;
}

/** A block header as read: track, int16 relative timestamp, flags; payload is a view. */
export interface BlockRead {
  readonly trackNumber: number;
  readonly relativeTicks: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** A bad-input error at byte `offset`. */
export function badAt(context: ReadContext, offset: number, expected: string, found?: string): BodycamError {
  return BodycamError.badInput({ file: context.file, place: `byte ${offset}` }, expected, found);
}

/** The children of a master element with a known size, each wholly inside it. */
export function childrenOf(context: ReadContext, parent: ElementHeader): ElementHeader[] {
  const end = parent.end ?? parent.dataOffset;
  const children: ElementHeader[] = [];
  let offset = parent.dataOffset;
  while (offset < end) {
    const child = readElementHeader(context.bytes, offset, end);
    if (child === 'truncated' || child === 'invalid') {
      throw badAt(context, offset, `an element inside ${formatElementId(parent.id)} ending at byte ${end}`,
        child === 'truncated' ? 'an element header running past its parent' : 'an invalid element ID or size');
    }
    if (child.end === null || child.end > end) {
      throw badAt(context, offset, `element ${formatElementId(child.id)} to end inside its parent (byte ${end})`,
        child.end === null ? 'an unknown size' : `an end at byte ${child.end}`);
    }
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Reads an unsigned-integer element. */
export function readUnsignedElement(context: ReadContext, element: ElementHeader): number {
  const value = decodeUnsigned(elementData(context.bytes, element));
  if (value === undefined) throw badAt(context, element.offset, `an unsigned integer of at most 8 bytes in ${formatElementId(element.id)}`);
  return value;
}

function floatOf(context: ReadContext, element: ElementHeader): number {
  const value = decodeFloat(elementData(context.bytes, element));
  if (value === undefined) throw badAt(context, element.offset, `a float of 0, 4 or 8 bytes in ${formatElementId(element.id)}`);
  return value;
}

function stringOf(context: ReadContext, element: ElementHeader): string {
  return decodeString(elementData(context.bytes, element));
}

/** Reads Info. */
export function readInfo(context: ReadContext, info: ElementHeader): InfoRead {
  const result: InfoRead = { timestampScaleNs: 1_000_000, durationTicks: null };
  for (const child of childrenOf(context, info)) {
    switch (child.id) {
      case MatroskaId.TimestampScale: {
        const scale = readUnsignedElement(context, child);
        if (scale === 0) throw badAt(context, child.offset, 'a non-zero TimestampScale', '0');
        result.timestampScaleNs = scale;
        break;
      }
      case MatroskaId.Duration: result.durationTicks = floatOf(context, child); break;
      case MatroskaId.Title: result.title = stringOf(context, child); break;
      case MatroskaId.WritingApp: result.writingApp = stringOf(context, child); break;
      case MatroskaId.MuxingApp: result.muxingApp = stringOf(context, child); break;
      case MatroskaId.DateUTC: {
        const date = decodeDateMs(elementData(context.bytes, child));
        if (date === undefined) throw badAt(context, child.offset, 'a DateUTC of 8 bytes');
        result.dateUtcMs = date;
        break;
      }
      default: break;
    }
  }
  return result;
}

/** Reads Tracks. */
export function readTracks(context: ReadContext, tracks: ElementHeader): TrackRead[] {
  const result: TrackRead[] = [];
  for (const entry of childrenOf(context, tracks)) {
    if (entry.id !== MatroskaId.TrackEntry) continue;
    const track: TrackRead = { number: 0, trackType: 0, codecId: '' };
    for (const child of childrenOf(context, entry)) {
      switch (child.id) {
        case MatroskaId.TrackNumber: track.number = readUnsignedElement(context, child); break;
        case MatroskaId.TrackType: track.trackType = readUnsignedElement(context, child); break;
        case MatroskaId.CodecID: track.codecId = stringOf(context, child); break;
        case MatroskaId.CodecPrivate: track.codecPrivate = elementData(context.bytes, child); break;
        case MatroskaId.DefaultDuration: track.defaultDurationNs = readUnsignedElement(context, child); break;
        case MatroskaId.Video:
          for (const video of childrenOf(context, child)) {
            if (video.id === MatroskaId.PixelWidth) track.width = readUnsignedElement(context, video);
            if (video.id === MatroskaId.PixelHeight) track.height = readUnsignedElement(context, video);
          }
          break;
        case MatroskaId.Audio:
          // Defaults from RFC 9559: 8000 Hz, 1 channel.
          track.sampleRate = 8000;
          track.channels = 1;
          for (const audio of childrenOf(context, child)) {
            if (audio.id === MatroskaId.SamplingFrequency) track.sampleRate = floatOf(context, audio);
            if (audio.id === MatroskaId.Channels) track.channels = readUnsignedElement(context, audio);
            if (audio.id === MatroskaId.BitDepth) track.bitDepth = readUnsignedElement(context, audio);
          }
          break;
        default: break;
      }
    }
    if (track.number === 0) throw badAt(context, entry.offset, 'a TrackEntry with a non-zero TrackNumber');
    result.push(track);
  }
  return result;
}

/** Reads the segment-level SimpleTags of Tags (Tags aimed at a track, edition, chapter or attachment are skipped). */
export function readTags(context: ReadContext, tags: ElementHeader, into: Record<string, string>): void {
  for (const tag of childrenOf(context, tags)) {
    if (tag.id !== MatroskaId.Tag) continue;
    const children = childrenOf(context, tag);
    const targets = children.find((child) => child.id === MatroskaId.Targets);
    const targeted = targets !== undefined && childrenOf(context, targets).some((target) =>
      (target.id === MatroskaId.TagTrackUID || target.id === MatroskaId.TagEditionUID
        || target.id === MatroskaId.TagChapterUID || target.id === MatroskaId.TagAttachmentUID) && readUnsignedElement(context, target) !== 0);
    if (targeted) continue;
    for (const simple of children) {
      if (simple.id !== MatroskaId.SimpleTag) continue;
      let name: string | undefined;
      let value: string | undefined;
      for (const field of childrenOf(context, simple)) {
        if (field.id === MatroskaId.TagName) name = stringOf(context, field);
        if (field.id === MatroskaId.TagString) value = stringOf(context, field);
      }
      if (name !== undefined && value !== undefined) into[name] = value;
    }
  }
}

/** Number of CuePoints in Cues. */
export function countCuePoints(context: ReadContext, cues: ElementHeader): number {
  return childrenOf(context, cues).filter((child) => child.id === MatroskaId.CuePoint).length;
}

const LACING_NAMES = ['no', 'Xiph', 'fixed-size', 'EBML'] as const;

/** Reads the header of a Block or SimpleBlock; laced blocks are refused. */
export function readBlock(context: ReadContext, block: ElementHeader): BlockRead {
  const end = block.end ?? block.dataOffset;
  const track = readVint(context.bytes, block.dataOffset, end);
  if (typeof track === 'string' || track.unknown || block.dataOffset + track.length + 3 > end) {
    throw badAt(context, block.dataOffset, 'a block header (track number, int16 timestamp, flags)');
  }
  const at = block.dataOffset + track.length;
  const bytes = context.bytes;
  const raw = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  const flags = bytes[at + 2] ?? 0;
  const lacing = (flags >> 1) & 0x03;
  if (lacing !== 0) {
    throw badAt(context, at + 2, 'an unlaced block (laced blocks are not supported)', `${LACING_NAMES[lacing] ?? 'unknown'} lacing`);
  }
  return { trackNumber: track.value, relativeTicks: raw >= 0x8000 ? raw - 0x10000 : raw, flags, payload: bytes.subarray(at + 3, end) };
}

/** The chapters of every edition: start (ns of the file's timeline, to µs) and the first display name. */
export function readChapters(context: ReadContext, chapters: ElementHeader): { timeUs: number; name: string }[] {
  const found: { timeUs: number; name: string }[] = [];
  for (const edition of childrenOf(context, chapters)) {
    if (edition.id !== MatroskaId.EditionEntry) continue;
    for (const atom of childrenOf(context, edition)) {
      if (atom.id !== MatroskaId.ChapterAtom) continue;
      let startNs = 0;
      let name = '';
      for (const field of childrenOf(context, atom)) {
        if (field.id === MatroskaId.ChapterTimeStart) startNs = readUnsignedElement(context, field);
        if (field.id === MatroskaId.ChapterDisplay && name === '') {
          const display = childrenOf(context, field).find((child) => child.id === MatroskaId.ChapString);
          if (display !== undefined) name = stringOf(context, display);
        }
      }
      found.push({ timeUs: Math.round(startNs / 1000), name });
    }
  }
  return found;
}

/** The SeekHead's entries as [element ID, Segment Position]. */
export function readSeekHead(context: ReadContext, seekHead: ElementHeader): [number, number][] {
  const entries: [number, number][] = [];
  for (const seek of childrenOf(context, seekHead)) {
    if (seek.id !== MatroskaId.Seek) continue;
    let id: number | null = null;
    let position: number | null = null;
    for (const field of childrenOf(context, seek)) {
      if (field.id === MatroskaId.SeekID) id = elementData(context.bytes, field).reduce((value, byte) => value * 256 + byte, 0);
      if (field.id === MatroskaId.SeekPosition) position = readUnsignedElement(context, field);
    }
    if (id !== null && position !== null) entries.push([id, position]);
  }
  return entries;
}
