/**
 * One camera as a unit: the firmware (Device), the pre-record buffer and storage (CameraHost), the
 * encoder, the recorder with its protection, and the event log, on a clock it is given. A replay
 * (src/sim, virtual clock) and live mode (src/live, real-time clock) drive the same camera: they
 * feed it frames and audio and tell it when the input ends; they do no wiring of their own.
 */
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { BufferStats } from '../buffer/index.js';
import type { DeviceInput, DeviceProfile, DeviceSnapshot } from '../device/index.js';
import { BodycamError, errorMessage, isBodycamError } from '../errors/index.js';
import type { DeviceEvent } from '../events/index.js';
import type { EncodedSourceVideo, EncoderPaths, PacketResult } from '../media/index.js';
import type { RecordingAudioSource, RecordingManifest, RecordingProtection } from '../recorder/index.js';
import type { SimulationClock, WallClockOrigin } from '../time/index.js';
import { type DeviceRig, createDeviceRig } from './device-rig.js';
import { EventLog } from './event-log.js';
import type { CameraMedia } from './media-registry.js';

/** A clock a camera can be driven on: it can be read, scheduled on, and run ahead to drain storage. */
export interface CameraClock extends SimulationClock {
  /** Runs every action due by `targetUs`, then stands at it. */
  advanceTo(targetUs: number): void;
  /** When the next scheduled action is due, or undefined when none is. */
  nextDueUs(): number | undefined;
}

/** The sensor a camera captures from: its frame size, nominal interval and capture times. */
export interface CameraSensor {
  readonly width: number;
  readonly height: number;
  readonly frameIntervalUs: number;
  /** Capture times (for sizing the buffer's slots; a live loop gives one loop's). */
  readonly captureUs: readonly number[];
  /** The frames are encoded video (an H.264 source), not images. */
  readonly sourceVideo?: EncodedSourceVideo | undefined;
}

/** One microphone chunk, ready at `readyUs` (when its last sample has been captured). */
export interface CameraAudioChunk {
  readonly captureUs: number;
  readonly durationUs: number;
  readonly readyUs: number;
  readonly payload: Uint8Array;
  readonly sampleCount: number;
}

/** The microphone: its chunks by index (`chunkCount` may be Infinity for a looping source). */
export interface CameraAudioFeed {
  readonly chunkCount: number;
  chunk(index: number): CameraAudioChunk;
}

/** Everything one camera is built from. */
export interface CameraOptions {
  readonly profile: DeviceProfile;
  readonly clock: CameraClock;
  readonly origin: WallClockOrigin;
  readonly initialState: 'standby' | 'off';
  /** Output folder: `recordings/` and `events.jsonl` go there. */
  readonly outDir: string;
  readonly sensor: CameraSensor;
  /** The microphone's sample clock, or null without audio. */
  readonly audio: RecordingAudioSource | null;
  /** Name written into the files' WritingApp. */
  readonly writingApp: string;
  /** Manifest signing and encryption at rest (src/evidence's deviceProtection). */
  readonly protection: RecordingProtection;
  /** Codec and recording format (default: MJPEG in Matroska). */
  readonly media?: CameraMedia;
  /** Called with every event as it happens. */
  readonly onEvent?: (event: DeviceEvent) => void;
  /** Called once, with the camera's first failed write (see {@link Camera.firstFault}), as it happens. */
  readonly onFault?: (error: BodycamError) => void;
}

/** How long virtual time may run after the input ends before a drain that never ends is a bug. */
const DRAIN_LIMIT_US = 30 * 86_400_000_000;

/** One camera; see the module comment. */
export class Camera {
  readonly clock: CameraClock;
  readonly eventsFile: string;
  private readonly log: EventLog;
  private readonly rig: DeviceRig;
  private audioAction: Subscription | null = null;
  private fault: BodycamError | null = null;
  /** The camera's fault latch: the first write that fails (a recording or the log) is the error its run ends with. */
  private readonly latch = (error: BodycamError): void => {
    if (this.fault !== null) return;
    this.fault = error;
    this.onFault?.(error);
  };
  private readonly onFault: ((error: BodycamError) => void) | undefined;

  constructor(options: CameraOptions) {
    this.onFault = options.onFault;
    this.clock = options.clock;
    this.eventsFile = join(options.outDir, 'events.jsonl');
    this.log = new EventLog(this.eventsFile, this.latch);
    if (options.onEvent !== undefined) this.log.events$.subscribe(options.onEvent);
    try {
      this.rig = createDeviceRig({
        profile: options.profile,
        clock: options.clock,
        emit: this.log.emit,
        origin: options.origin,
        initialState: options.initialState,
        recordingsDir: join(options.outDir, 'recordings'),
        sensor: options.sensor,
        audio: options.audio,
        writingApp: options.writingApp,
        protection: options.protection,
        onWriteFault: this.latch,
        ...(options.media === undefined ? {} : { media: options.media }),
      });
    } catch (error) {
      this.log.abort();
      throw error;
    }
  }

  /** The first failed write (a recording file or the event log), or null. */
  get firstFault(): BodycamError | null {
    return this.fault;
  }

  /** Throws the first failed write, if any: a driver calls it after each step so the run ends with it (exit 3). */
  throwOnFault(): void {
    if (this.fault !== null) throw this.fault;
  }

  /** Every event, as it happens. */
  get events$(): EventLog['events$'] {
    return this.log.events$;
  }

  /** Events logged so far. */
  get eventCount(): number {
    return this.log.size;
  }

  /** What the device shows now. */
  get snapshot(): DeviceSnapshot {
    return this.rig.device.snapshot;
  }

  /** True while the sensor feeds the buffer. */
  get isBuffering(): boolean {
    return this.rig.host.isBuffering;
  }

  /** True when a frame captured now would be used: the sensor feeds the buffer, or the device is booting. */
  wantsFrames(): boolean {
    return this.rig.host.isBuffering || this.rig.device.mode === 'booting';
  }

  /** How many frames the encoder wants in flight at once (before any memory cap). */
  get framesInFlight(): number {
    return this.rig.encoder.framesInFlight;
  }

  /** True when every frame must reach the encoder, in capture order (a GOP encoder or an H.264 source). */
  get encodesInOrder(): boolean {
    return this.rig.encoder.inOrder === true;
  }

  /** How the encoder handled the frames it was given, by path. */
  get encoderPaths(): EncoderPaths {
    return { ...this.rig.encoder.paths };
  }

  /** The pre-record buffer's statistics now. */
  bufferStats(): BufferStats {
    return this.rig.host.buffer.stats();
  }

  /** The pre-record buffer's fill now. */
  bufferFill(): ReturnType<DeviceRig['host']['buffer']['fill']> {
    return this.rig.host.buffer.fill();
  }

  /** Powers the device up into its initial state and schedules `inputs` (fixture time). */
  start(inputs: readonly DeviceInput[] = []): void {
    this.rig.device.start();
    this.schedule(inputs);
  }

  /** Schedules more inputs (a scenario's, or one happening now in live mode). */
  schedule(inputs: readonly DeviceInput[]): void {
    if (inputs.length > 0) this.rig.device.schedule(inputs);
  }

  /**
   * Encodes one frame as the source gives it; a frame that cannot be encoded becomes a drop
   * reason. A runtime fault of the encoder itself (a worker thread that cannot start) is no fault
   * of the frame: it ends the run (exit 3).
   */
  async encode(frame: Uint8Array, captureUs: number): Promise<PacketResult> {
    try {
      return await this.rig.encoder.encode(frame, captureUs);
    } catch (error) {
      // The encoder itself failed (its process or worker could not run, or a tool is missing):
      // not this frame's fault, the run ends (exit 3).
      if (isProcessFault(error)) throw error;
      return { ok: false, reason: 'corrupt', detail: errorMessage(error) };
    }
  }

  /**
   * A frame at its capture time (the clock stands there): into the buffer while buffering, or
   * logged as dropped. Returns the packet when the buffer took it in.
   */
  deliverFrame(captureUs: number, result: PacketResult): PacketResult | null {
    const { host } = this.rig;
    if (!host.isBuffering) return null;
    if (!result.ok) {
      host.dropFrame(captureUs, result.reason, result.detail);
      return null;
    }
    host.captureVideo(result.packet);
    return result;
  }

  /** Starts the microphone: each chunk enters the buffer when its last sample is captured; one pending action at a time. */
  startAudio(feed: CameraAudioFeed): void {
    const schedule = (index: number): void => {
      if (index >= feed.chunkCount) return;
      const chunk = feed.chunk(index);
      this.audioAction = this.clock.scheduleAt(chunk.readyUs, () => {
        this.rig.host.captureAudio(chunk, this.clock.nowUs());
        schedule(index + 1);
      });
    };
    schedule(0);
  }

  /** Stops the microphone. */
  stopAudio(): void {
    this.audioAction?.unsubscribe();
    this.audioAction = null;
  }

  /**
   * The input has ended at the clock's now (end of the fixture, or live mode stopping): a running
   * recording stops (`end-of-fixture`), the microphone runs on to `audioUntilUs` (the end of the
   * chunk holding the stop), then virtual time runs until every recording is written and
   * finalized, and the log is published. Returns every recording's manifest.
   */
  async finish(audioUntilUs = this.clock.nowUs()): Promise<RecordingManifest[]> {
    return this.endAndDrain(audioUntilUs, () => this.complete());
  }

  /**
   * The first step of {@link finish}: the input ends at the clock's now (a running recording
   * stops, the microphone runs on to `audioUntilUs`), nothing is drained yet. A team's cameras on
   * one clock each end their input when their own fixture ends, and drain together afterwards.
   */
  endInput(audioUntilUs = this.clock.nowUs()): void {
    const { clock } = this;
    this.rig.device.endOfFixture(clock.nowUs());
    clock.advanceTo(Math.max(clock.nowUs(), audioUntilUs));
    this.stopAudio();
    this.rig.host.endOfInput(clock.nowUs());
  }

  /** True while a recording is open (recording, or still draining to storage). */
  get busy(): boolean {
    return this.rig.host.busy;
  }

  /**
   * The last step of {@link finish}, once nothing is open: logs the buffer's statistics (at `atUs`,
   * default now; a team logs each camera's at its own end, so that its log does not depend on the
   * others), publishes the log, returns the manifests.
   */
  async complete(atUs: number = this.clock.nowUs()): Promise<RecordingManifest[]> {
    this.rig.host.logBufferStats(atUs);
    await Promise.resolve(); // the log's last burst is written in a microtask
    this.throwOnFault();
    const recordings = await Promise.all(this.rig.host.finished);
    await this.rig.encoder.close?.('finish');
    this.log.close();
    return recordings;
  }

  /**
   * The end of a team camera whose storage (or log) failed while the other cameras ran on: its
   * recordings were cut off with their manifests; its log holds everything up to `atUs` but stays
   * `events.jsonl.part`, since the run ends with the fault (exit 3). Returns the manifests written.
   */
  async closeAfterFault(atUs: number = this.clock.nowUs()): Promise<RecordingManifest[]> {
    this.rig.host.logBufferStats(atUs);
    await Promise.resolve(); // the log's last burst is written in a microtask
    const settled = await Promise.allSettled(this.rig.host.finished);
    await this.rig.encoder.close?.('finish');
    this.log.abort();
    return settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  }

  /**
   * {@link finish} for a camera whose storage (or log) failed while it ran live: the input ends,
   * what is still open drains (nothing more reaches the failed card), and the camera closes as
   * {@link closeAfterFault} does, its log left `.part`. The team's other cameras are unaffected.
   */
  async finishAfterFault(audioUntilUs = this.clock.nowUs()): Promise<RecordingManifest[]> {
    return this.endAndDrain(audioUntilUs, () => this.closeAfterFault());
  }

  /** Ends the input, drains what is open, then closes by `close`; on any error aborts and throws the camera's first fault. */
  private async endAndDrain(audioUntilUs: number, close: () => Promise<RecordingManifest[]>): Promise<RecordingManifest[]> {
    try {
      this.endInput(audioUntilUs);
      this.drainToEnd();
      return await close();
    } catch (error) {
      await this.abort();
      throw this.fault ?? error;
    }
  }

  /**
   * Closes the camera as it stands, without ending the input (after a fault inside the device):
   * recordings already finished keep their manifests; the log is published.
   */
  async close(): Promise<RecordingManifest[]> {
    this.stopAudio();
    const recordings = await Promise.all(this.rig.host.finished);
    await this.rig.encoder.close?.('finish');
    this.log.close();
    return recordings;
  }

  /** The run failed: close every open recording's file as it is (repairable), leave the log as `.part`. */
  async abort(): Promise<void> {
    this.stopAudio();
    this.rig.host.disposeOpenRecordings();
    this.log.abort();
    await Promise.allSettled([...this.rig.host.finished, this.rig.encoder.close?.('abort')]);
  }

  /** Logs an event from outside the device (a live-mode fault). */
  logEvent(event: DeviceEvent): void {
    this.log.emit(event);
  }

  /**
   * After the input ends: lets virtual time run until every recording is written and finalized.
   * The drain always ends (bytes / write speed), so the limit only guards against a livelock bug.
   */
  private drainToEnd(): void {
    const { clock } = this;
    const limitUs = clock.nowUs() + DRAIN_LIMIT_US;
    while (this.rig.host.busy) {
      const nextUs = clock.nextDueUs();
      if (nextUs === undefined || nextUs > limitUs) {
        throw BodycamError.runtime(`the storage drain had not finished ${DRAIN_LIMIT_US / 86_400_000_000} days of virtual time after the end of the input (nothing left scheduled: ${nextUs === undefined})`);
      }
      clock.advanceTo(Math.max(nextUs, clock.nowUs()));
    }
  }
}

/** A runtime or missing-tool error: an encoder process that failed, which ends the run rather than dropping a frame. */
export function isProcessFault(error: unknown): error is BodycamError {
  return isBodycamError(error) && (error.code === 'runtime' || error.code === 'missing-tool');
}
