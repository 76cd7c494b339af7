/**
 * A Matroska demuxer over bytes, tolerant of truncation: it reads unknown-size Segments and
 * Clusters, skips elements it does not know (Void, CRC-32, Chapters, ...), and stops cleanly
 * where a cut-off file ends, keeping the blocks of whole clusters only.
 */
import {
  EbmlId, MatroskaId, MatroskaTrackType, SEGMENT_CHILD_IDS, decodeString, elementData, readElementHeader, type ElementHeader,
} from '../ebml/index.js';
import {
  badAt, childrenOf, countCuePoints, readBlock, readChapters, readInfo, readSeekHead, readTags, readTracks, readUnsignedElement,
  type InfoRead, type ReadContext, type TrackRead,
} from './reader-elements.js';

/** One track of a file. */
export interface MatroskaTrack {
  readonly number: number;
  readonly type: 'video' | 'audio';
  readonly codecId: string;
  /** CodecPrivate, when the track has one (H.264: the avcC). */
  readonly codecPrivate?: Uint8Array;
  readonly width?: number;
  readonly height?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly bitDepth?: number;
  /** DefaultDuration in ns, when the file gives one. */
  readonly defaultDurationNs?: number;
}

/** One frame of a file. `payload` is a view into the bytes given to {@link readMatroska}. */
export interface MatroskaBlock {
  readonly trackNumber: number;
  readonly timestampUs: number;
  readonly keyframe: boolean;
  readonly payload: Uint8Array;
}

/** What {@link readMatroska} found. */
export interface MatroskaFile {
  readonly info: {
    readonly timestampScaleNs: number;
    readonly durationUs: number | null;
    readonly title?: string;
    readonly dateUtcMs?: number;
    readonly writingApp?: string;
    readonly muxingApp?: string;
  };
  /** Video and audio tracks (other track types are left out, with their blocks). */
  readonly tracks: readonly MatroskaTrack[];
  /** Segment-level SimpleTags. */
  readonly tags: Readonly<Record<string, string>>;
  /** The chapters (the device's markers), in file order; none when the file was cut off before finalize. */
  readonly chapters: readonly { readonly timeUs: number; readonly name: string }[];
  /** The SeekHead's entries: element ID → Segment Position (bytes from `segmentDataOffset`). */
  readonly seekPositions: ReadonlyMap<number, number>;
  /** Where the Segment's data begins in the bytes (0 when the file ends before it). */
  readonly segmentDataOffset: number;
  /** Blocks of whole clusters, in file order. */
  readonly blocks: readonly MatroskaBlock[];
  /** Whole clusters read. */
  readonly clusters: number;
  readonly cuePoints: number;
  /** Segment size known, Cues present, Duration set, nothing cut off. */
  readonly finalized: boolean;
  /** The file ended inside an element (or its tail is zero-filled). */
  readonly truncated: boolean;
  /** End of the last whole element: everything past it was dropped. */
  readonly validBytes: number;
}

/** Options of {@link readMatroska}. */
export interface ReadMatroskaOptions {
  /** File name for error messages. */
  readonly file?: string;
}

interface ClusterResult {
  readonly complete: boolean;
  readonly end: number;
}

const EBML_MAGIC = [0x1a, 0x45, 0xdf, 0xa3] as const;

/** Reads a Matroska (or WebM) file. Throws a bad-input error for anything that is not one. */
export function readMatroska(bytes: Uint8Array, options: ReadMatroskaOptions = {}): MatroskaFile {
  const context: ReadContext = { bytes, file: options.file };
  const state = new ReadState();
  const segment = readPreamble(context, state);
  if (segment !== null) readSegment(context, state, segment);
  return state.result();
}

/** Checks the EBML header and returns the Segment header, or null when the file ends first. */
function readPreamble(context: ReadContext, state: ReadState): ElementHeader | null {
  const { bytes } = context;
  const header = readElementHeader(bytes, 0);
  const looksLikeEbml = bytes.length > 0 && EBML_MAGIC.every((byte, index) => index >= bytes.length || bytes[index] === byte);
  if (!looksLikeEbml || header === 'invalid' || (header !== 'truncated' && header.id !== EbmlId.EBML)) {
    throw badAt(context, 0, 'an EBML header', bytes.length === 0 ? 'an empty file' : `bytes ${hexPreview(bytes, 0)}`);
  }
  if (header === 'truncated' || header.end === null || header.end > bytes.length) {
    if (header !== 'truncated' && header.end === null) throw badAt(context, 0, 'an EBML header of known size', 'an unknown size');
    state.truncated = true;
    return null;
  }
  for (const child of childrenOf(context, header)) {
    if (child.id !== EbmlId.DocType) continue;
    const docType = decodeString(elementData(bytes, child));
    if (docType !== 'matroska' && docType !== 'webm') throw badAt(context, child.offset, 'DocType "matroska"', JSON.stringify(docType));
  }
  state.validBytes = header.end;
  let offset = header.end;
  for (;;) {
    const element = readElementHeader(bytes, offset);
    if (element === 'truncated') {
      state.truncated = offset < bytes.length;
      return null;
    }
    if (element === 'invalid') throw badAt(context, offset, 'a Segment', `bytes ${hexPreview(bytes, offset)}`);
    if (element.id === MatroskaId.Segment) return element;
    if ((element.id !== EbmlId.Void && element.id !== EbmlId.CRC32) || element.end === null) {
      throw badAt(context, offset, 'a Segment', `element 0x${element.id.toString(16).toUpperCase()}`);
    }
    if (element.end > bytes.length) {
      state.truncated = true;
      return null;
    }
    offset = element.end;
    state.validBytes = offset;
  }
}

function readSegment(context: ReadContext, state: ReadState, segment: ElementHeader): void {
  const { bytes } = context;
  state.segmentSizeKnown = segment.end !== null;
  state.segmentDataOffset = segment.dataOffset;
  if (segment.end !== null && segment.end > bytes.length) state.truncated = true;
  const end = segment.end === null ? bytes.length : Math.min(segment.end, bytes.length);
  let offset = segment.dataOffset;
  state.validBytes = offset;
  while (offset < end) {
    const element = readElementHeader(bytes, offset, end);
    if (element === 'truncated' || element === 'invalid') {
      if (element === 'invalid' && !isZeroFilled(bytes, offset, end)) {
        throw badAt(context, offset, 'a Matroska element', `bytes ${hexPreview(bytes, offset)}`);
      }
      state.truncated = true;
      return;
    }
    // A new EBML document or Segment ends an unknown-size Segment.
    if (segment.end === null && (element.id === EbmlId.EBML || element.id === MatroskaId.Segment)) return;
    if (element.id === MatroskaId.Cluster) {
      const cluster = readCluster(context, state, element, end);
      if (!cluster.complete) {
        state.truncated = true;
        return;
      }
      offset = cluster.end;
      state.validBytes = offset;
      continue;
    }
    if (element.end === null) throw badAt(context, offset, `a known size for element 0x${element.id.toString(16).toUpperCase()}`, 'an unknown size');
    if (element.end > end) {
      if (end < bytes.length) throw badAt(context, offset, `an element ending inside the Segment (byte ${end})`, `an end at byte ${element.end}`);
      state.truncated = true;
      return;
    }
    readTopLevel(context, state, element);
    offset = element.end;
    state.validBytes = offset;
  }
}

function readTopLevel(context: ReadContext, state: ReadState, element: ElementHeader): void {
  switch (element.id) {
    case MatroskaId.Info: state.info = readInfo(context, element); break;
    case MatroskaId.Tracks: state.tracks.push(...readTracks(context, element)); break;
    case MatroskaId.Tags: readTags(context, element, state.tags); break;
    case MatroskaId.Cues: state.cuePoints += countCuePoints(context, element); state.cuesPresent = true; break;
    case MatroskaId.Chapters: state.chapters.push(...readChapters(context, element)); break;
    case MatroskaId.SeekHead: for (const [id, position] of readSeekHead(context, element)) state.seekPositions.set(id, position); break;
    default: break; // Void, CRC-32, Attachments, unknown: skipped
  }
}

/** Reads one cluster; its blocks are kept only if it is whole. */
function readCluster(context: ReadContext, state: ReadState, cluster: ElementHeader, segmentEnd: number): ClusterResult {
  const { bytes } = context;
  if (cluster.end !== null) {
    if (cluster.end > segmentEnd) {
      if (segmentEnd < bytes.length) throw badAt(context, cluster.offset, `a Cluster ending inside the Segment (byte ${segmentEnd})`);
      return { complete: false, end: cluster.end };
    }
    commitCluster(context, state, childrenOf(context, cluster));
    return { complete: true, end: cluster.end };
  }
  // Unknown size: the cluster ends at the next Segment child, a new document, or the end of the Segment.
  const children: ElementHeader[] = [];
  let offset = cluster.dataOffset;
  while (offset < segmentEnd) {
    const child = readElementHeader(bytes, offset, segmentEnd);
    if (child === 'truncated' || child === 'invalid') {
      if (child === 'invalid' && !isZeroFilled(bytes, offset, segmentEnd)) {
        throw badAt(context, offset, 'an element inside a Cluster', `bytes ${hexPreview(bytes, offset)}`);
      }
      return { complete: false, end: offset };
    }
    if (SEGMENT_CHILD_IDS.has(child.id) || child.id === EbmlId.EBML || child.id === MatroskaId.Segment) break;
    if (child.end === null) throw badAt(context, offset, 'a known size for an element inside a Cluster', 'an unknown size');
    if (child.end > segmentEnd) return { complete: false, end: offset };
    children.push(child);
    offset = child.end;
  }
  commitCluster(context, state, children);
  return { complete: true, end: offset };
}

function commitCluster(context: ReadContext, state: ReadState, children: readonly ElementHeader[]): void {
  let clusterTicks = 0;
  const pending: { trackNumber: number; relativeTicks: number; keyframe: boolean; payload: Uint8Array }[] = [];
  for (const child of children) {
    if (child.id === MatroskaId.Timestamp) {
      clusterTicks = readUnsignedElement(context, child);
    } else if (child.id === MatroskaId.SimpleBlock) {
      const block = readBlock(context, child);
      pending.push({ ...block, keyframe: (block.flags & 0x80) !== 0 });
    } else if (child.id === MatroskaId.BlockGroup) {
      const parts = childrenOf(context, child);
      const blockElement = parts.find((part) => part.id === MatroskaId.Block);
      if (blockElement === undefined) throw badAt(context, child.offset, 'a Block inside the BlockGroup');
      const block = readBlock(context, blockElement);
      pending.push({ ...block, keyframe: !parts.some((part) => part.id === MatroskaId.ReferenceBlock) });
    }
  }
  for (const block of pending) {
    state.blocks.push({ trackNumber: block.trackNumber, ticks: clusterTicks + block.relativeTicks, keyframe: block.keyframe, payload: block.payload });
  }
  state.clusters += 1;
}

function isZeroFilled(bytes: Uint8Array, from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (bytes[index] !== 0) return false;
  return true;
}

function hexPreview(bytes: Uint8Array, offset: number): string {
  const shown = Array.from(bytes.subarray(offset, offset + 4), (byte) => byte.toString(16).toUpperCase().padStart(2, '0'));
  return shown.length === 0 ? 'the end of the file' : shown.join(' ');
}

class ReadState {
  info: InfoRead = { timestampScaleNs: 1_000_000, durationTicks: null };
  readonly tracks: TrackRead[] = [];
  readonly tags: Record<string, string> = {};
  readonly chapters: { timeUs: number; name: string }[] = [];
  readonly seekPositions = new Map<number, number>();
  segmentDataOffset = 0;
  /** Blocks with their absolute ticks; converted to µs once the TimestampScale is surely known. */
  readonly blocks: { trackNumber: number; ticks: number; keyframe: boolean; payload: Uint8Array }[] = [];
  clusters = 0;
  cuePoints = 0;
  cuesPresent = false;
  segmentSizeKnown = false;
  truncated = false;
  validBytes = 0;

  result(): MatroskaFile {
    const tracks: MatroskaTrack[] = [];
    for (const track of this.tracks) {
      if (track.trackType !== MatroskaTrackType.video && track.trackType !== MatroskaTrackType.audio) continue;
      const { trackType, ...rest } = track;
      tracks.push({ ...rest, type: trackType === MatroskaTrackType.video ? 'video' : 'audio' });
    }
    const known = new Set(tracks.map((track) => track.number));
    const { timestampScaleNs, durationTicks, ...strings } = this.info;
    const durationUs = durationTicks === null ? null : Math.round((durationTicks * timestampScaleNs) / 1000);
    return {
      info: { timestampScaleNs, durationUs, ...strings },
      tracks,
      tags: this.tags,
      chapters: this.chapters,
      seekPositions: this.seekPositions,
      segmentDataOffset: this.segmentDataOffset,
      blocks: this.blocks.filter((block) => known.has(block.trackNumber)).map((block) => ({
        trackNumber: block.trackNumber,
        timestampUs: Math.round((block.ticks * timestampScaleNs) / 1000),
        keyframe: block.keyframe,
        payload: block.payload,
      })),
      clusters: this.clusters,
      cuePoints: this.cuePoints,
      // The writer appends Cues at finalize when it wrote a block; a file with none has no Cues to
      // write (src/container/matroska/writer.ts), and its Duration alone says it was finalized.
      finalized: this.segmentSizeKnown && (this.cuesPresent || this.blocks.length === 0) && durationUs !== null && !this.truncated,
      truncated: this.truncated,
      validBytes: this.validBytes,
    };
  }
}

