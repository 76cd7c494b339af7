/**
 * The composition root of a replay: one device (firmware, buffer, storage, recorder) fed with a
 * frame source in virtual time. Frames are encoded concurrently but reach the device strictly in
 * capture order; every other input runs on the virtual clock. The host clock is never read.
 */
import { join } from 'node:path';
import { concatMap, lastValueFrom, range } from 'rxjs';
import type { DeviceInput, DeviceProfile } from '../device/index.js';
import { AudioChunker, type EncodeResult } from '../encoder/index.js';
import type { DeviceEvent } from '../events/index.js';
import { deviceProtection } from '../evidence/index.js';
import type { RecordingManifest, RecordingProtection } from '../recorder/index.js';
import { BodycamError } from '../errors/index.js';
import { VirtualClock, type WallClockOrigin } from '../time/index.js';
import { createDeviceRig } from './device-rig.js';
import { EventLog } from './event-log.js';
import type { FrameSource } from './frame-source.js';
import { resampleFrameRate } from './frame-rate.js';
import { mapInOrder } from './ordered-concurrency.js';
import type { ReplayHost } from './replay-host.js';

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
}

/** The pre-record buffer's fill at one instant of fixture time. */
export interface BufferFillSample {
  readonly atUs: number;
  readonly occupancyBytes: number;
  /** Span of video held (newest minus oldest frame). */
  readonly occupancyUs: number;
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
  readonly framesEncoded: { readonly passthrough: number; readonly blocks: number; readonly requantised: number; readonly frame: number };
}

/** Runs one replay to the end and returns its recordings' manifests. */
export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const { profile } = options;
  const source = profile.video.fps === null ? options.source : resampleFrameRate(options.source, profile.video.fps);
  const clock = new VirtualClock(0);
  const eventsFile = join(options.outDir, 'events.jsonl');
  const log = new EventLog(eventsFile);
  if (options.onEvent !== undefined) log.events$.subscribe(options.onEvent);

  const chunker = source.audio === null ? null : new AudioChunker(source.audio, profile.audioChunkMs);
  let rig: ReturnType<typeof createDeviceRig>;
  try {
    rig = createDeviceRig({
      profile,
      clock,
      emit: log.emit,
      origin: options.origin,
      initialState: options.initialState,
      recordingsDir: join(options.outDir, 'recordings'),
      sensor: { width: source.width, height: source.height, frameIntervalUs: source.frameIntervalUs, captureUs: source.captureUs },
      audio: source.audio === null ? null : { sampleRate: source.audio.sampleRate, startUs: source.audio.startUs, totalSamples: source.audio.samples.length },
      writingApp: options.writingApp ?? 'bodycam-sim',
      protection: options.protection ?? deviceProtection(profile),
    });
  } catch (error) {
    log.abort();
    throw error;
  }
  const { host, device, encoder } = rig;

  try {
    device.start();
    device.schedule(options.inputs);
    if (chunker !== null) scheduleAudio(chunker, clock, host);

    const encodeFrame = async (index: number): Promise<EncodeResult> => {
      const captureUs = source.captureUs[index] ?? 0;
      try {
        return await encoder.encode(await source.readFrame(index), captureUs);
      } catch (error) {
        return { ok: false, reason: 'corrupt', detail: error instanceof Error ? error.message : String(error) };
      }
    };
    const wantsFrames = (): boolean => host.isBuffering || device.mode === 'booting';
    const concurrency = options.encodeConcurrency ?? encoder.framesInFlight;
    let delivered = 0;
    const deliver = async (index: number, speculative: EncodeResult | null): Promise<void> => {
      const captureUs = source.captureUs[index] ?? 0;
      clock.advanceTo(captureUs);
      if (host.isBuffering) {
        const result = speculative ?? (await encodeFrame(index));
        if (result.ok) {
          host.capture({ kind: 'video', captureUs, durationUs: source.frameIntervalUs, keyframe: true, payload: result.jpeg, sampleCount: 0 }, captureUs);
        } else {
          host.dropFrame(captureUs, result.reason, result.detail);
        }
      }
      delivered += 1;
      if (options.onBufferSample !== undefined) {
        options.onBufferSample({ atUs: captureUs, ...host.buffer.fill() });
      }
      options.onProgress?.(delivered / source.frameCount);
    };
    await lastValueFrom(
      range(0, source.frameCount).pipe(
        mapInOrder(async (index) => ({ index, result: wantsFrames() ? await encodeFrame(index) : null }), concurrency),
        concatMap(({ index, result }) => deliver(index, result)),
      ),
      { defaultValue: undefined },
    );

    clock.advanceTo(Math.max(clock.nowUs(), source.endUs));
    device.endOfFixture(clock.nowUs());
    host.endOfInput(clock.nowUs());
    drainToEnd(clock, host);
    host.logBufferStats(clock.nowUs());
    const recordings = await Promise.all(host.finished);
    log.close();
    return { recordings, eventsFile, eventCount: log.size, endUs: clock.nowUs(), framesReplayed: delivered, framesEncoded: { ...encoder.paths } };
  } catch (error) {
    host.disposeOpenRecordings();
    log.abort();
    await Promise.allSettled(host.finished);
    throw error;
  }
}

/** Pushes each audio chunk into the buffer at the instant its last sample is captured. */
function scheduleAudio(chunker: AudioChunker, clock: VirtualClock, host: ReplayHost): void {
  const pushChunk = (index: number): void => {
    const chunk = chunker.chunk(index);
    host.capture({ kind: 'audio', captureUs: chunk.captureUs, durationUs: chunk.durationUs, keyframe: true, payload: chunk.payload, sampleCount: chunk.sampleCount }, chunk.readyUs);
    if (index + 1 < chunker.chunkCount) clock.scheduleAt(chunker.chunk(index + 1).readyUs, () => pushChunk(index + 1));
  };
  if (chunker.chunkCount > 0) clock.scheduleAt(chunker.chunk(0).readyUs, () => pushChunk(0));
}

/**
 * After the input ends: let virtual time run until every recording is written and finalized. The
 * drain always ends (bytes / write speed), so the limit only guards against a livelock bug.
 */
function drainToEnd(clock: VirtualClock, host: ReplayHost): void {
  const limitUs = clock.nowUs() + DRAIN_LIMIT_US;
  while (host.busy) {
    const nextUs = clock.nextDueUs();
    if (nextUs === undefined || nextUs > limitUs) {
      throw BodycamError.runtime(`the storage drain had not finished ${DRAIN_LIMIT_US / 86_400_000_000} days of virtual time after the end of the fixture (nothing left scheduled: ${nextUs === undefined})`);
    }
    clock.advanceTo(Math.max(nextUs, clock.nowUs()));
  }
}

const DRAIN_LIMIT_US = 30 * 86_400_000_000;
