/**
 * The composition root of a replay: one device (firmware, buffer, storage, recorder) fed with a
 * frame source in virtual time. Frames are encoded concurrently but reach the device strictly in
 * capture order; every other input runs on the virtual clock. The host clock is never read.
 */
import { concatMap, lastValueFrom, range } from 'rxjs';
import type { DeviceInput, DeviceProfile } from '../device/index.js';
import { AudioChunker } from '../encoder/index.js';
import type { EncoderPaths, PacketResult } from '../media/index.js';
import type { DeviceEvent } from '../events/index.js';
import { deviceProtection } from '../evidence/index.js';
import type { RecordingManifest, RecordingProtection } from '../recorder/index.js';
import { errorMessage } from '../errors/index.js';
import { VirtualClock, type WallClockOrigin } from '../time/index.js';
import { Camera, type CameraMedia, isProcessFault } from '../camera/index.js';
import { type FrameSource, resampleFrameRate } from '../source/index.js';
import { encodeConcurrencyFor, frameWorkBytes } from './encode-concurrency.js';
import { mapInOrder } from './ordered-concurrency.js';
import { ReadAhead } from './read-ahead.js';
import { ReusableBuffers } from './reusable-buffers.js';

/**
 * Bytes of read buffers kept for reuse between frames: the frames in flight and waiting for their
 * turn (2 to 4 per core) at 720p are ~3 MB; 4K JPEG frames get most of theirs reused too.
 */
const READ_BUFFER_BYTES = 32 * 1024 * 1024;

/** Everything one replay needs. */
export interface ReplayOptions {
  readonly source: FrameSource;
  readonly profile: DeviceProfile;
  readonly origin: WallClockOrigin;
  readonly initialState: 'standby' | 'off';
  readonly inputs: readonly DeviceInput[];
  /** Output folder: `recordings/` and `events.jsonl` go there. */
  readonly outDir: string;
  /** Called with the fraction of frames replayed (0..1). */
  readonly onProgress?: (fraction: number) => void;
  /** Called with every event as it happens (the library API's observable hangs off this). */
  readonly onEvent?: (event: DeviceEvent) => void;
  /** Called after each frame is delivered with the buffer's fill then (the timeline's buffer lane). */
  readonly onBufferSample?: (sample: BufferFillSample) => void;
  /** Frames encoded at once (default: 2 per core, at least 2). */
  readonly encodeConcurrency?: number;
  /** Name written into the files' WritingApp. */
  readonly writingApp?: string;
  /** Manifest signing and encryption at rest; default: the profile's (simulation key, `encryptAtRest`). */
  readonly protection?: RecordingProtection;
  /** Codec and recording format; default MJPEG in Matroska (src/camera/media-registry.ts). */
  readonly media?: CameraMedia;
}

/** The pre-record buffer's fill at one instant of fixture time. */
export interface BufferFillSample {
  readonly atUs: number;
  readonly occupancyBytes: number;
  /** Span of video held (newest minus oldest frame). */
  readonly occupancyUs: number;
  /** The frame captured at `atUs`, when it was encoded: a keyframe or a P-frame (the timeline marks GOPs). */
  readonly frame?: 'key' | 'delta';
}

/** What a replay produced. */
export interface ReplayResult {
  readonly recordings: readonly RecordingManifest[];
  readonly eventsFile: string;
  readonly eventCount: number;
  /** Fixture time at which the run ended (after the last recording was finalized). */
  readonly endUs: number;
  readonly framesReplayed: number;
  /**
   * How the encoder handled the frames it was given: passed through untouched, only the
   * burn-in's blocks encoded again, coefficients requantised to the device's tables, or decoded
   * and encoded whole (FrameEncoder.paths).
   */
  readonly framesEncoded: EncoderPaths;
}

/** Runs one replay to the end and returns its recordings' manifests. */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { profile } = options;
  const source = profile.video.fps === null ? options.source : resampleFrameRate(options.source, profile.video.fps);
  const clock = new VirtualClock(0);
  const camera = new Camera({
    profile,
    clock,
    origin: options.origin,
    initialState: options.initialState,
    outDir: options.outDir,
    sensor: source,
    audio: source.audio === null ? null : { sampleRate: source.audio.sampleRate, startUs: source.audio.startUs, totalSamples: source.audio.samples.length },
    writingApp: options.writingApp ?? 'bodycam-sim',
    protection: options.protection ?? deviceProtection(profile),
    ...(options.media === undefined ? {} : { media: options.media }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });

  try {
    camera.start(options.inputs);
    if (source.audio !== null) camera.startAudio(new AudioChunker(source.audio, profile.audioChunkMs));

    // A frame is read into a buffer of `reads` (when the source reads files), which goes back once
    // the frame is delivered: until then the frame, or a packet that is the frame itself (a
    // pass-through), may still be read.
    const reads = new ReusableBuffers(READ_BUFFER_BYTES);
    type Encoded = { readonly result: PacketResult; readonly buffer: Uint8Array | null };
    const encodeFrame = async (index: number): Promise<Encoded> => {
      const captureUs = source.captureUs[index] ?? 0;
      let buffer: Uint8Array | null = null;
      let frame: Uint8Array;
      try {
        frame = await source.readFrame(index, (bytes) => (buffer = reads.take(bytes)));
      } catch (error) {
        if (isProcessFault(error)) throw error;
        return { result: { ok: false, reason: 'corrupt', detail: errorMessage(error) }, buffer };
      }
      // A frame the encoder cannot take is a drop; a fault of the encoder itself ends the run.
      return { result: await camera.encode(frame, captureUs), buffer };
    };
    /** Frame `encoded` was delivered (its packet copied into the pre-record buffer) or is not wanted: its buffers go back. */
    const done = (encoded: Encoded): void => {
      if (encoded.result.ok) encoded.result.release?.();
      if (encoded.buffer !== null) reads.give(encoded.buffer);
    };
    // A GOP encoder (or an H.264 source's decoder) takes every frame in order, wanted or not.
    const inOrder = camera.encodesInOrder;
    const concurrency = options.encodeConcurrency ?? encodeConcurrencyFor(camera.framesInFlight, frameWorkBytes(
      { width: source.width, height: source.height, format: source.frameFormat ?? 'jpeg' },
      { width: options.profile.video.width ?? source.width, height: options.profile.video.height ?? source.height }));
    let delivered = 0;
    // Frames read at most ahead of their delivery: those in flight, and as many again waiting for their turn.
    const readAhead = new ReadAhead(2 * concurrency);
    const deliver = async (index: number, speculative: Encoded | null): Promise<void> => {
      const captureUs = source.captureUs[index] ?? 0;
      clock.advanceTo(captureUs);
      let frame: 'key' | 'delta' | undefined;
      if (camera.isBuffering) {
        const encoded = speculative ?? (await encodeFrame(index));
        const { result } = encoded;
        if (result.ok) frame = result.packet.type;
        camera.deliverFrame(captureUs, result);
        // Delivered means copied into the pre-record buffer (or dropped): its bytes may be reused.
        done(encoded);
      } else if (speculative !== null) {
        done(speculative);
      }
      readAhead.delivered();
      camera.throwOnFault();
      delivered += 1;
      if (options.onBufferSample !== undefined) {
        options.onBufferSample({ atUs: captureUs, ...camera.bufferFill(), ...(frame === undefined ? {} : { frame }) });
      }
      options.onProgress?.(delivered / source.frameCount);
    };
    await lastValueFrom(
      range(0, source.frameCount).pipe(
        mapInOrder(async (index) => {
          await readAhead.admit();
          return { index, result: inOrder || camera.wantsFrames() ? await encodeFrame(index) : null };
        }, concurrency),
        concatMap(({ index, result }) => deliver(index, result)),
      ),
      { defaultValue: undefined },
    );

    clock.advanceTo(Math.max(clock.nowUs(), source.endUs));
    const recordings = await camera.finish();
    return {
      recordings, eventsFile: camera.eventsFile, eventCount: camera.eventCount, endUs: clock.nowUs(), framesReplayed: delivered, framesEncoded: camera.encoderPaths,
    };
  } catch (error) {
    await camera.abort();
    // A failed write can surface later as another error (a manifest that cannot be written): the first is the one reported.
    throw camera.firstFault ?? error;
  }
}
