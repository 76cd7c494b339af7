/**
 * Element IDs used by the container layer, as the raw ID bytes read big-endian (marker bits
 * included), from the EBML header schema (RFC 8794 §11) and the Matroska schema (RFC 9559,
 * `ebml_matroska.xml`). Only the elements we write or read are listed.
 */
export const EbmlId = {
  // EBML header (RFC 8794)
  EBML: 0x1a45dfa3,
  EBMLVersion: 0x4286,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282,
  DocTypeVersion: 0x4287,
  DocTypeReadVersion: 0x4285,
  // Global elements
  Void: 0xec,
  CRC32: 0xbf,
} as const;

/** Matroska element IDs (RFC 9559). */
export const MatroskaId = {
  Segment: 0x18538067,
  // Meta seek
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  // Segment information
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  DateUTC: 0x4461,
  Title: 0x7ba9,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  // Clusters and blocks
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  PrevSize: 0xab,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
  ReferenceBlock: 0xfb,
  // Tracks
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackUID: 0x73c5,
  TrackType: 0x83,
  FlagLacing: 0x9c,
  DefaultDuration: 0x23e383,
  Language: 0x22b59c,
  CodecID: 0x86,
  CodecPrivate: 0x63a2,
  Video: 0xe0,
  FlagInterlaced: 0x9a,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Audio: 0xe1,
  SamplingFrequency: 0xb5,
  Channels: 0x9f,
  BitDepth: 0x6264,
  // Cues
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  CueRelativePosition: 0xf0,
  // Tags
  Tags: 0x1254c367,
  Tag: 0x7373,
  Targets: 0x63c0,
  TargetTypeValue: 0x68ca,
  TagTrackUID: 0x63c5,
  TagEditionUID: 0x63c9,
  TagChapterUID: 0x63c4,
  TagAttachmentUID: 0x63c6,
  SimpleTag: 0x67c8,
  TagName: 0x45a3,
  TagString: 0x4487,
  // Chapters (the device's markers)
  Chapters: 0x1043a770,
  EditionEntry: 0x45b9,
  EditionUID: 0x45bc,
  EditionFlagDefault: 0x45db,
  ChapterAtom: 0xb6,
  ChapterUID: 0x73c4,
  ChapterTimeStart: 0x91,
  ChapterDisplay: 0x80,
  ChapString: 0x85,
  ChapLanguage: 0x437c,
  // Other top-level elements (only skipped)
  Attachments: 0x1941a469,
} as const;

/** Matroska `TrackType` values (RFC 9559). */
export const MatroskaTrackType = { video: 1, audio: 2 } as const;

/** IDs that may appear directly in a Segment: they end an unknown-size Cluster (RFC 8794 §6.2). */
export const SEGMENT_CHILD_IDS: ReadonlySet<number> = new Set([
  MatroskaId.SeekHead, MatroskaId.Info, MatroskaId.Tracks, MatroskaId.Cluster, MatroskaId.Cues,
  MatroskaId.Tags, MatroskaId.Chapters, MatroskaId.Attachments,
]);
