/**
 * The container seam, in the manner of mediabunny's Muxer: what the recorder asks of a file
 * format. Matroska (src/container/matroska) and fragmented MP4 (src/container/mp4) implement it,
 * each with its {@link RecordingFormat}, registered in src/camera/media-registry.ts.
 *
 * The seam is synchronous: when a call returns, every byte it caused is in the sink, so a power
 * cut in virtual time leaves exactly what was written before it. A container whose muxer is
 * asynchronous (mediabunny's) runs it where it can be awaited and answers synchronously
 * (src/container/mp4/sync-muxer.ts).
 */
import type { ByteSink } from '../container/byte-sink.js';
import type { PacketType } from './encoded-packet.js';

/** What has reached the sink (the storage): a file cut off now holds this much. */
export interface ContainerStats {
  readonly videoFramesWritten: number;
  readonly audioSamplesWritten: number;
  /** Timestamp (µs from the file's origin) of the last video frame in the sink; null before the first. */
  readonly lastVideoWrittenUs: number | null;
}

/** A named point on the file's timeline (a marker), µs from the file's origin. */
export interface RecordingChapter {
  readonly timeUs: number;
  readonly name: string;
}

/** Writes one recording's packets into a byte sink. Timestamps are µs from the file's origin. */
export interface ContainerWriter {
  addVideo(timestampUs: number, data: Uint8Array, type: PacketType): void;
  /** 16-bit little-endian PCM whose first sample is at `timestampUs`. */
  addAudio(timestampUs: number, pcmS16le: Uint8Array): void;
  /**
   * Ends the file; `durationUs` reaches the last timestamp. `chapters` (the markers) are written
   * where the container can carry them, so players list them.
   */
  finalize(durationUs: number, chapters: readonly RecordingChapter[]): void;
  /** What the file holds so far (a deferring writer hands its pending bytes to the sink first). */
  readonly stats: ContainerStats;
  /**
   * Hands every byte the calls so far caused to the sink, for a writer that defers its work (MP4:
   * packets posted to its muxer's worker without waiting); the recorder calls it once per drain
   * step. A storage refusal throws here. Writers that write at once leave it out.
   */
  flush?(): void;
  /**
   * Releases what the writer holds besides the sink (MP4: its muxer's worker thread), once the
   * file is closed, finalized or cut off. Idempotent; writers holding nothing leave it out.
   */
  close?(): void;
}

/** What a recording's file holds and says about itself. */
export interface ContainerWriterOptions {
  readonly video: {
    readonly width: number;
    readonly height: number;
    readonly frameDurationUs: number;
    /**
     * The codec configuration (H.264: the avcC) when the encoder knows it before its first packet
     * (a passthrough); otherwise the container takes it from the first key packet (in-band SPS/PPS).
     */
    readonly decoderConfig?: Uint8Array | null;
  };
  /** Mono 16-bit PCM at this rate, or null without audio. */
  readonly audio: { readonly sampleRate: number } | null;
  readonly title: string;
  /** The file's date, from the device clock (never the host's), Unix ms. */
  readonly dateUtcMs: number;
  readonly writingApp: string;
  /** Key/value tags stored in the file (`BODYCAM_ORIGIN_US`...), in this order. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A recording format: a container with the codecs it carries. The manifest's codec ids and the
 * file's extension come from here, never from the recorder.
 */
export interface RecordingFormat {
  /** Short name (`matroska-mjpeg`). */
  readonly name: string;
  /** File extension with its dot (`.mkv`). */
  readonly extension: string;
  /** The container's id of the video codec (`V_MJPEG`), as the manifest names it. */
  readonly videoCodecId: string;
  /** The container's id of the audio codec (`A_PCM/INT/LIT`). */
  readonly audioCodecId: string;
  /**
   * True when every video frame it carries is a keyframe (MJPEG). Otherwise (H.264) the manifest
   * gives the keyframe facts (`keyframes`, contract §9 extension); absent means a GOP codec.
   */
  readonly intraOnly?: boolean;
  createWriter(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter;
}
