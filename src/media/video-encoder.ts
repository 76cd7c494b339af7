/**
 * The codec seam: what the camera asks of a video encoder. The MJPEG encoder (src/encoder) is one;
 * a new codec is another implementation, registered in src/camera/media-registry.ts.
 */
import type { DeviceProfile } from '../device/profile.js';
import type { FrameDropReason } from '../events/index.js';
import type { WallClockOrigin } from '../time/index.js';
import type { EncodedPacket } from './encoded-packet.js';

/** A frame encoded into a packet, or why it could not be. */
export type PacketResult =
  | {
    readonly ok: true; readonly packet: EncodedPacket;
    /**
     * Given when the packet's bytes lie in a buffer the encoder reuses: call it once they are no
     * longer read (the camera copies a packet into its pre-record buffer when it is delivered).
     * Optional: a buffer never released is never reused.
     */
    readonly release?: () => void;
  }
  | { readonly ok: false; readonly reason: FrameDropReason; readonly detail: string };

/** How many frames took each of an encoder's paths (MJPEG: passed through, block splice, whole frame). */
export type EncoderPaths = Readonly<Record<string, number>>;

/** Encodes the sensor's frames, several at once in any order (the camera delivers them in capture order). */
export interface VideoEncoder {
  /** Encodes one frame as the source gives it at `captureUs`. */
  encode(frame: Uint8Array, captureUs: number): Promise<PacketResult>;
  /** Counters of the encoder's paths, for the run's summary. */
  readonly paths: EncoderPaths;
  /** How many frames it wants in flight at once to keep every core busy (before any memory cap). */
  readonly framesInFlight: number;
  /**
   * True when frames must reach it in capture order, every one (a GOP encoder, or a decoder of a
   * GOP source): the driver then encodes each frame in order rather than only those it wants.
   */
  readonly inOrder?: boolean;
  /**
   * The codec configuration a container stores (H.264: the avcC), when known before the first
   * packet (a passthrough of an encoded source); null when the packets carry it (in-band SPS/PPS).
   */
  readonly decoderConfig?: Uint8Array | null;
  /** Ends any process behind it: `'finish'` lets it end cleanly, `'abort'` stops it at once. Idempotent. */
  close?(how: 'finish' | 'abort'): Promise<void>;
}

/** How the sensor's frames are coded, when they are not JPEG/PNG images. */
export interface EncodedSourceVideo {
  /** H.264 access units, length-prefixed as the avcC says. */
  readonly codec: 'h264';
  /** The source's AVCDecoderConfigurationRecord. */
  readonly avcC: Uint8Array;
  /**
   * Present when the stream holds B-frames (or decodes out of presentation order): the frames a
   * source gives are in presentation (capture) order, and a decoder needs them as stored. The
   * device then decodes and re-encodes: it never passes such frames through.
   */
  readonly decodeOrder?: SourceDecodeOrder;
}

/** A source stream's decode order (container-independent: a Matroska or MP4 demuxer gives the same). */
export interface SourceDecodeOrder {
  /** The stream's file, for messages. */
  readonly file: string;
  readonly frameCount: number;
  /** For each access unit in decode order, its rank in presentation order (the source's frame index). */
  readonly rankOf: readonly number[];
  /** Frames holding a B slice. */
  readonly bFrames: number;
  /** The access unit at decode index `decodeIndex`. */
  accessUnit(decodeIndex: number): Uint8Array;
}

/** What a codec is given to build the encoder of one device. */
export interface VideoEncoderSettings {
  /** The device: its video settings (size, quality, burn-in, bitrate cap) and ids. */
  readonly profile: DeviceProfile;
  /** The device's wall clock (burn-in). */
  readonly origin: WallClockOrigin;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  readonly outputWidth: number;
  readonly outputHeight: number;
  /** Nominal frame interval: every packet's duration. */
  readonly frameDurationUs: number;
  /** The source's frames are already encoded video (an H.264 fixture or recording); absent for images. */
  readonly sourceVideo?: EncodedSourceVideo;
}

/** A codec: its name and how to build a device's encoder. */
export interface VideoCodec {
  /** Short name (`mjpeg`, `h264`). */
  readonly name: string;
  /** True when every frame is a keyframe (MJPEG); absent or false for a GOP codec (H.264). */
  readonly intraOnly?: boolean;
  createEncoder(settings: VideoEncoderSettings): VideoEncoder;
}
