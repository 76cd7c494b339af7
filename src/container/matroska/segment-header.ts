/**
 * The bytes a Matroska file starts with: EBML header, the Segment header (unknown size), a
 * fixed-size SeekHead region, Info (with room for Duration), Tracks and Tags. Everything that
 * finalize patches later has a fixed size here, so patching never moves a byte.
 */
import { concatBytes } from '../bytes.js';
import {
  EbmlId, MatroskaId, MatroskaTrackType, ebml, encodeEbml, encodeUnknownSizeHeader, encodeElementId, type EbmlNode,
} from '../ebml/index.js';

/** Track number of the video track in files we write. */
export const VIDEO_TRACK_NUMBER = 1;
/** Track number of the audio track in files we write. */
export const AUDIO_TRACK_NUMBER = 2;
/** `MuxingApp` of files we write. */
export const MUXING_APP = 'bodycam-sim container';
/** Matroska codec ID of the video track. */
export const VIDEO_CODEC_ID = 'V_MJPEG';
/** Matroska codec ID of an H.264 video track (its CodecPrivate is the avcC). */
export const H264_CODEC_ID = 'V_MPEG4/ISO/AVC';
/** Matroska codec ID of the audio track (signed little-endian integer PCM). */
export const AUDIO_CODEC_ID = 'A_PCM/INT/LIT';
/**
 * Bytes reserved right after the Segment header for the SeekHead plus a Void filling the rest.
 * Four Seek entries (Info, Tracks, Tags, Cues) take 89 bytes with 8-byte SeekPositions; five
 * (with Chapters) take 110.
 */
export const SEEK_REGION_BYTES = 128;
/** Size of the Duration element (ID 2, size 1, float64 8): a Void of this size holds its place. */
export const DURATION_ELEMENT_BYTES = 11;
/** Byte length of the Segment's size VINT (8: the unknown size `0x01FFFFFFFFFFFFFF`). */
export const SEGMENT_SIZE_LENGTH = 8;

/** What the header describes; all values already validated. */
export interface SegmentHeaderSpec {
  readonly timestampScaleNs: number;
  readonly video: {
    readonly width: number;
    readonly height: number;
    readonly frameDurationUs?: number | undefined;
    /** CodecID of the video track (default `V_MJPEG`). */
    readonly codecId?: string | undefined;
    /** CodecPrivate (H.264: the avcC), or none. */
    readonly codecPrivate?: Uint8Array | undefined;
  };
  readonly audio: { readonly sampleRate: number; readonly channels: number; readonly bitDepth: number } | null;
  readonly writingApp: string;
  readonly title?: string | undefined;
  readonly dateUtcMs?: number | undefined;
  readonly tags: readonly (readonly [string, string])[];
}

/** A top-level element and its position relative to the Segment's data (a Segment Position). */
export interface SeekEntry {
  readonly id: number;
  readonly segmentPosition: number;
}

/** The encoded header and where its patchable parts are, as offsets into `bytes`. */
export interface SegmentHeaderLayout {
  readonly bytes: Uint8Array;
  readonly segmentSizeOffset: number;
  readonly segmentDataOffset: number;
  readonly seekRegionOffset: number;
  readonly durationOffset: number;
  readonly seekEntries: readonly SeekEntry[];
}

/** Builds the file header for `spec`. */
export function buildSegmentHeader(spec: SegmentHeaderSpec): SegmentHeaderLayout {
  const ebmlHeader = encodeEbml(ebml.master(EbmlId.EBML, [
    ebml.uint(EbmlId.EBMLVersion, 1),
    ebml.uint(EbmlId.EBMLReadVersion, 1),
    ebml.uint(EbmlId.EBMLMaxIDLength, 4),
    ebml.uint(EbmlId.EBMLMaxSizeLength, 8),
    ebml.ascii(EbmlId.DocType, 'matroska'),
    // 4 for CueRelativePosition; readers need 2 (SimpleBlock).
    ebml.uint(EbmlId.DocTypeVersion, 4),
    ebml.uint(EbmlId.DocTypeReadVersion, 2),
  ]));
  const segmentHeader = encodeUnknownSizeHeader(MatroskaId.Segment);
  const info = encodeEbml(buildInfo(spec));
  const tracks = encodeEbml(buildTracks(spec));
  const tags = spec.tags.length === 0 ? new Uint8Array(0) : encodeEbml(buildTags(spec.tags));

  const seekEntries: SeekEntry[] = [
    { id: MatroskaId.Info, segmentPosition: SEEK_REGION_BYTES },
    { id: MatroskaId.Tracks, segmentPosition: SEEK_REGION_BYTES + info.length },
  ];
  if (tags.length > 0) seekEntries.push({ id: MatroskaId.Tags, segmentPosition: SEEK_REGION_BYTES + info.length + tracks.length });
  const seekRegion = encodeSeekRegion(seekEntries);

  const segmentDataOffset = ebmlHeader.length + segmentHeader.length;
  const parts = [ebmlHeader, segmentHeader, seekRegion, info, tracks, tags];
  const bytes = concatBytes(...parts);
  return {
    bytes,
    segmentSizeOffset: segmentDataOffset - SEGMENT_SIZE_LENGTH,
    segmentDataOffset,
    seekRegionOffset: segmentDataOffset,
    // The Duration placeholder is the last child of Info.
    durationOffset: segmentDataOffset + SEEK_REGION_BYTES + info.length - DURATION_ELEMENT_BYTES,
    seekEntries,
  };
}

function buildInfo(spec: SegmentHeaderSpec): EbmlNode {
  const children: EbmlNode[] = [
    ebml.uint(MatroskaId.TimestampScale, spec.timestampScaleNs),
    ebml.utf8(MatroskaId.MuxingApp, MUXING_APP),
    ebml.utf8(MatroskaId.WritingApp, spec.writingApp),
  ];
  if (spec.title !== undefined) children.push(ebml.utf8(MatroskaId.Title, spec.title));
  if (spec.dateUtcMs !== undefined) children.push(ebml.date(MatroskaId.DateUTC, spec.dateUtcMs));
  // Duration is unknown until finalize: a Void keeps its place, so a cut-off file has no Duration
  // at all rather than a wrong one.
  children.push(ebml.void(DURATION_ELEMENT_BYTES));
  return ebml.master(MatroskaId.Info, children);
}

function buildTracks(spec: SegmentHeaderSpec): EbmlNode {
  const videoChildren: EbmlNode[] = [
    ebml.uint(MatroskaId.TrackNumber, VIDEO_TRACK_NUMBER),
    ebml.uint(MatroskaId.TrackUID, VIDEO_TRACK_NUMBER),
    ebml.uint(MatroskaId.TrackType, MatroskaTrackType.video),
    ebml.uint(MatroskaId.FlagLacing, 0),
    ebml.ascii(MatroskaId.Language, 'und'),
    ebml.ascii(MatroskaId.CodecID, spec.video.codecId ?? VIDEO_CODEC_ID),
  ];
  if (spec.video.codecPrivate !== undefined) videoChildren.push(ebml.binary(MatroskaId.CodecPrivate, spec.video.codecPrivate));
  if (spec.video.frameDurationUs !== undefined) {
    videoChildren.push(ebml.uint(MatroskaId.DefaultDuration, spec.video.frameDurationUs * 1000));
  }
  videoChildren.push(ebml.master(MatroskaId.Video, [
    ebml.uint(MatroskaId.FlagInterlaced, 2),
    ebml.uint(MatroskaId.PixelWidth, spec.video.width),
    ebml.uint(MatroskaId.PixelHeight, spec.video.height),
  ]));
  const entries: EbmlNode[] = [ebml.master(MatroskaId.TrackEntry, videoChildren)];
  if (spec.audio !== null) {
    entries.push(ebml.master(MatroskaId.TrackEntry, [
      ebml.uint(MatroskaId.TrackNumber, AUDIO_TRACK_NUMBER),
      ebml.uint(MatroskaId.TrackUID, AUDIO_TRACK_NUMBER),
      ebml.uint(MatroskaId.TrackType, MatroskaTrackType.audio),
      ebml.uint(MatroskaId.FlagLacing, 0),
      ebml.ascii(MatroskaId.Language, 'und'),
      ebml.ascii(MatroskaId.CodecID, AUDIO_CODEC_ID),
      ebml.master(MatroskaId.Audio, [
        ebml.float(MatroskaId.SamplingFrequency, spec.audio.sampleRate),
        ebml.uint(MatroskaId.Channels, spec.audio.channels),
        ebml.uint(MatroskaId.BitDepth, spec.audio.bitDepth),
      ]),
    ]));
  }
  return ebml.master(MatroskaId.Tracks, entries);
}

function buildTags(tags: readonly (readonly [string, string])[]): EbmlNode {
  const children: EbmlNode[] = [ebml.master(MatroskaId.Targets, [ebml.uint(MatroskaId.TargetTypeValue, 50)])];
  for (const [name, value] of tags) {
    children.push(ebml.master(MatroskaId.SimpleTag, [ebml.utf8(MatroskaId.TagName, name), ebml.utf8(MatroskaId.TagString, value)]));
  }
  return ebml.master(MatroskaId.Tags, [ebml.master(MatroskaId.Tag, children)]);
}

/**
 * The SeekHead region: a SeekHead listing `entries` then a Void up to exactly
 * {@link SEEK_REGION_BYTES}. SeekPositions are always 8 bytes, so the size depends only on the
 * number of entries.
 */
export function encodeSeekRegion(entries: readonly SeekEntry[]): Uint8Array {
  const seekHead = ebml.master(MatroskaId.SeekHead, entries.map((entry) => ebml.master(MatroskaId.Seek, [
    ebml.binary(MatroskaId.SeekID, encodeElementId(entry.id)),
    ebml.uint(MatroskaId.SeekPosition, entry.segmentPosition, 8),
  ])));
  const head = encodeEbml(seekHead);
  const region = new Uint8Array(SEEK_REGION_BYTES);
  region.set(head, 0);
  region.set(encodeEbml(ebml.void(SEEK_REGION_BYTES - head.length)), head.length);
  return region;
}

/** The Duration element (11 bytes) for a duration in ticks of the TimestampScale. */
export function encodeDurationElement(durationTicks: number): Uint8Array {
  return encodeEbml(ebml.float(MatroskaId.Duration, durationTicks));
}
