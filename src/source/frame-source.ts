/**
 * What a replay reads: frames with their capture times, and the microphone track. A fixture folder
 * and a device recording (.mkv) both become a FrameSource.
 */
import type { PcmTrack } from '../encoder/index.js';
import type { EncodedSourceVideo } from '../media/index.js';

/** The sensor and microphone of a replay. */
export interface FrameSource {
  /** A name for summaries and logs. */
  readonly name: string;
  /** Where it was read from (fixture folder or .mkv file). */
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  /** Capture time of each frame, integer µs, strictly increasing. */
  readonly captureUs: readonly number[];
  /** The nominal frame interval (1e6 / fps), for DefaultDuration and the end of the fixture. */
  readonly frameIntervalUs: number;
  /**
   * The encoded bytes of frame `index` (JPEG or PNG). A source that reads files may read them into
   * `target(bytes)`, a buffer of at least `bytes` the caller owns and reuses once done with the
   * frame (src/sim/reusable-buffers.ts); others ignore it. A wrapper that keeps frames (a cache)
   * must not pass it on.
   */
  readFrame(index: number, target?: (bytes: number) => Uint8Array): Promise<Uint8Array>;
  /** Mono 16-bit PCM, or null when the source has no audio. */
  readonly audio: PcmTrack | null;
  /** The end of the source: no frame or sample is captured at or after it. */
  readonly endUs: number;
  /** How frames are coded (default `jpeg`): a PNG frame costs about its decoded size to hold. */
  readonly frameFormat?: 'jpeg' | 'png' | 'h264';
  /** The frames are encoded video (H.264 access units), not images; absent for JPEG/PNG frames. */
  readonly sourceVideo?: EncodedSourceVideo;
  /** The source's own default scenario, if it has one. */
  readonly defaultScenarioPath: string | null;
}
