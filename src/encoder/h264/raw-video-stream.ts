/**
 * A Matroska stream to pipe video into ffmpeg with exact timestamps: a header, then each frame
 * as its own Cluster of known size, so ffmpeg's demuxer takes every frame as soon as it arrives.
 * TimestampScale is 1 µs. Raw I420 frames (`V_UNCOMPRESSED`, ColourSpace `I420`) go to the
 * encoder; H.264 frames (`V_MPEG4/ISO/AVC` with the avcC) go to the decoder. Pure.
 */
import { concatBytes } from '../../container/bytes.js';
import { EbmlId, MatroskaId, MatroskaTrackType, ebml, encodeEbml, encodeEbmlParts, encodeUnknownSizeHeader, type EbmlNode } from '../../container/ebml/index.js';

/** What the stream's one video track is. */
export type RawStreamTrack =
  | { readonly codec: 'i420'; readonly width: number; readonly height: number }
  | { readonly codec: 'h264'; readonly width: number; readonly height: number; readonly avcC: Uint8Array };

/** Matroska's ColourSpace element (a FourCC for V_UNCOMPRESSED). */
const COLOUR_SPACE_ID = 0x2eb524;

/** The stream's header bytes. */
export function rawStreamHeader(track: RawStreamTrack): Uint8Array {
  const video: EbmlNode[] = [ebml.uint(MatroskaId.PixelWidth, track.width), ebml.uint(MatroskaId.PixelHeight, track.height)];
  if (track.codec === 'i420') video.push(ebml.binary(COLOUR_SPACE_ID, new TextEncoder().encode('I420')));
  const entry: EbmlNode[] = [
    ebml.uint(MatroskaId.TrackNumber, 1), ebml.uint(MatroskaId.TrackUID, 1), ebml.uint(MatroskaId.TrackType, MatroskaTrackType.video),
    ebml.uint(MatroskaId.FlagLacing, 0),
    ebml.ascii(MatroskaId.CodecID, track.codec === 'i420' ? 'V_UNCOMPRESSED' : 'V_MPEG4/ISO/AVC'),
  ];
  if (track.codec === 'h264') entry.push(ebml.binary(MatroskaId.CodecPrivate, track.avcC));
  entry.push(ebml.master(MatroskaId.Video, video));
  const parts = [
    encodeEbml(ebml.master(EbmlId.EBML, [
      ebml.uint(EbmlId.EBMLVersion, 1), ebml.uint(EbmlId.EBMLReadVersion, 1), ebml.uint(EbmlId.EBMLMaxIDLength, 4),
      ebml.uint(EbmlId.EBMLMaxSizeLength, 8), ebml.ascii(EbmlId.DocType, 'matroska'), ebml.uint(EbmlId.DocTypeVersion, 2), ebml.uint(EbmlId.DocTypeReadVersion, 2),
    ])),
    encodeUnknownSizeHeader(MatroskaId.Segment),
    encodeEbml(ebml.master(MatroskaId.Info, [ebml.uint(MatroskaId.TimestampScale, 1000), ebml.utf8(MatroskaId.MuxingApp, 'bodycam-sim'), ebml.utf8(MatroskaId.WritingApp, 'bodycam-sim')])),
    encodeEbml(ebml.master(MatroskaId.Tracks, [ebml.master(MatroskaId.TrackEntry, entry)])),
  ];
  return concatBytes(...parts);
}

/** One frame as a Cluster at `timestampUs` (parts for one writev; the payload is not copied). */
export function rawStreamFrame(timestampUs: number, payload: Uint8Array, keyframe: boolean): Uint8Array[] {
  const header = Uint8Array.from([0x81, 0, 0, keyframe ? 0x80 : 0]); // track 1, relative time 0, flags
  return encodeEbmlParts(ebml.master(MatroskaId.Cluster, [
    ebml.uint(MatroskaId.Timestamp, timestampUs),
    ebml.binary(MatroskaId.SimpleBlock, [header, payload]),
  ]));
}
