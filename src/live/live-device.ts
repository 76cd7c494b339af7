/**
 * One live device: the same {@link Camera} as a replay (firmware, buffer, recorder and storage
 * drain, encoder, protection, event log), paced by a {@link RealTimeClock} over a looping fixture. Each frame is encoded once; the same JPEG goes into
 * the pre-record buffer and, while the device streams, to the live viewers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BehaviorSubject, type Observable, Subject } from 'rxjs';
import type { DeviceInput, DeviceProfile, DeviceSnapshot } from '../device/index.js';
import { type DeviceEvent, deviceEvent } from '../events/index.js';
import { deviceProtection } from '../evidence/index.js';
import type { RecordingManifest, RecordingProtection } from '../recorder/index.js';
import { Camera, mediaForProfile } from '../camera/index.js';
import type { FrameSource } from '../source/index.js';
import { type HostTimers, RealTimeClock, type WallClockOrigin } from '../time/index.js';
import { type FixtureLoop, fixtureLoop } from './fixture-loop.js';
import { FramePump, type FramePumpStats, type PumpedFrame } from './frame-pump.js';
import { H264Preview, isJpeg } from './h264-preview.js';
import { LoopedAudio } from './looped-audio.js';
import { type LiveRecordingInfo, LiveStatusTracker } from './live-status.js';
import { type BodycamError, errorMessage } from '../errors/index.js';

/** A device input without its time: it happens now. */
export type LiveInput = DeviceInput extends infer I ? (I extends DeviceInput ? Omit<I, 'atUs'> : never) : never;

/** A frame for the live view. */
export interface LiveFrame {
  readonly captureUs: number;
  readonly jpeg: Uint8Array;
}

/** Everything a live device needs. */
export interface LiveDeviceOptions {
  readonly source: FrameSource;
  readonly profile: DeviceProfile;
  readonly origin: WallClockOrigin;
  readonly initialState: 'standby' | 'off';
  /** Inputs (a scenario's events, in loop-0 fixture time) repeated on every loop of the fixture. */
  readonly loopInputs?: readonly DeviceInput[];
  /** This device's folder: `recordings/` and `events.jsonl` go there. */
  readonly outDir: string;
  readonly timers?: HostTimers;
  readonly encodeAhead?: number;
  readonly maxLagUs?: number;
  /** A fault inside the device (a bug); the device stops taking frames. */
  readonly onError?: (deviceId: string, error: unknown) => void;
  /** Manifest signing and encryption at rest; default: the profile's, as in a replay (simulation key, `encryptAtRest`). */
  readonly protection?: RecordingProtection;
}

/** What `/api/devices` shows of a device. */
export interface LiveDeviceStatus {
  readonly id: string;
  readonly officerId: string;
  readonly source: string;
  readonly state: string;
  readonly overlays: readonly string[];
  readonly leds: DeviceSnapshot['leds'];
  /** Battery level, percent. */
  readonly battery: number;
  readonly storageFreeBytes: number;
  readonly bufferFill: {
    readonly bytes: number;
    readonly bufferBytes: number;
    /** Span of video held, µs (newest minus oldest frame). */
    readonly us: number;
    readonly preRecordUs: number;
    /** `us / preRecordUs`, 0..1. */
    readonly fraction: number;
  };
  readonly recording: boolean;
  readonly streaming: boolean;
  readonly viewers: number;
  readonly recordingCount: number;
  readonly recordings: readonly LiveRecordingInfo[];
  readonly clock: { readonly fixtureUs: number; readonly loop: number; readonly loopUs: number; readonly lagUs: number };
  readonly frames: FramePumpStats;
  readonly failed: string | null;
}

/** A device running live; see the module comment. */
export class LiveDevice {
  readonly id: string;
  readonly clock: RealTimeClock;
  readonly loop: FixtureLoop;
  /** Every event of this device, as it happens. */
  readonly events$: Observable<DeviceEvent>;
  /** Encoded frames while the device streams. */
  readonly frames$: Observable<LiveFrame>;
  /** Whether the device streams; completes when the device stops. */
  readonly streaming$: Observable<boolean>;
  private readonly camera: Camera;
  private readonly pump: FramePump;
  private readonly audio: LoopedAudio | null;
  private readonly tracker: LiveStatusTracker;
  private readonly frameSubject = new Subject<LiveFrame>();
  /** The view of an H.264 camera: its packets decoded to JPEGs (made at the first H.264 packet streamed). */
  private preview: H264Preview | null = null;
  private readonly streamingSubject = new BehaviorSubject(false);
  private viewerCount = 0;
  private scheduledLoops = 0;
  private failure: string | null = null;
  private phase: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopped: Promise<readonly RecordingManifest[]> | null = null;

  constructor(private readonly options: LiveDeviceOptions) {
    const { source, profile } = options;
    this.id = profile.deviceId;
    this.clock = new RealTimeClock({
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      onError: (error) => this.fail(error),
    });
    this.loop = fixtureLoop(source.captureUs, source.endUs, source.audio?.sampleRate ?? null);
    this.audio = source.audio === null ? null : new LoopedAudio(source.audio, this.loop.loopUs, profile.audioChunkMs);
    mkdirSync(join(options.outDir, 'recordings'), { recursive: true });
    const protection = options.protection ?? deviceProtection(profile);
    // The status names a recording as the recorder will: its format's extension, then the protection's suffix.
    this.tracker = new LiveStatusTracker(`${mediaForProfile(profile).format.extension}${protection.fileSuffix}`);
    this.camera = new Camera({
      profile,
      clock: this.clock,
      origin: options.origin,
      initialState: options.initialState,
      outDir: options.outDir,
      sensor: source,
      audio: this.audio?.recordingSource ?? null,
      writingApp: 'bodycam-sim live',
      protection,
      onEvent: (event) => {
        if (this.tracker.apply(event)) this.streamingSubject.next(this.tracker.streaming);
      },
    });
    this.events$ = this.camera.events$.asObservable();
    this.frames$ = this.frameSubject.asObservable();
    this.streaming$ = this.streamingSubject.asObservable();
    const { camera } = this;
    this.pump = new FramePump({
      clock: this.clock,
      loop: this.loop,
      readFrame: (index) => source.readFrame(index),
      encode: (bytes, captureUs) => camera.encode(bytes, captureUs),
      wantsFrames: () => camera.wantsFrames(),
      everyFrame: camera.encodesInOrder,
      deliver: (frame) => this.deliver(frame),
      onError: (error) => this.fail(error),
      ...(options.encodeAhead === undefined ? {} : { encodeAhead: options.encodeAhead }),
      ...(options.maxLagUs === undefined ? {} : { maxLagUs: options.maxLagUs }),
    });
  }

  /**
   * Starts the device: fixture time 0 is host time `originMs` (default now; the devices of a fleet
   * share one). Its initial state, the sensor, the microphone and the loop's inputs begin.
   */
  start(originMs?: number): void {
    if (this.phase !== 'new') return;
    this.phase = 'running';
    if (originMs !== undefined) this.clock.setOrigin(originMs);
    this.camera.start();
    this.scheduleLoopInputs(0);
    if (this.audio !== null) this.camera.startAudio(this.audio);
    this.pump.start();
  }

  /**
   * The first write of this camera that failed (a recording file or its log), or null: the camera
   * logged it as a `fault` event, cut its recording off and records nothing more, and a live run
   * ends with it (exit 3), as a replay does.
   */
  get fault(): BodycamError | null {
    return this.camera.firstFault;
  }

  /** True while the device streams. */
  get streaming(): boolean {
    return this.tracker.streaming;
  }

  /** What the device shows now. */
  get snapshot(): DeviceSnapshot {
    return this.camera.snapshot;
  }

  /**
   * Feeds an input to the device now (at the clock's current instant), through the same path as a
   * scenario's events, and returns what the device shows right after.
   */
  input(input: LiveInput): DeviceSnapshot {
    if (this.phase !== 'running') return this.snapshot;
    const atUs = this.clock.sync();
    this.camera.schedule([{ ...input, atUs } as DeviceInput]);
    this.clock.sync();
    return this.snapshot;
  }

  /**
   * Puts an input on the device at its own instant `atUs` of fixture time (now, if that has
   * passed): the trigger bus's deliveries, which arrive a latency after their send.
   */
  deliverAt(input: DeviceInput): void {
    if (this.phase !== 'running') return;
    const nowUs = this.clock.sync();
    this.camera.schedule([{ ...input, atUs: Math.max(nowUs, input.atUs) } as DeviceInput]);
  }

  /**
   * A viewer opens the live view: a stream request unless the device already streams. Returns a
   * function that closes the view; when the last view closes, the device is asked to stop streaming
   * (its recording goes on).
   */
  openView(): { readonly streaming: boolean; readonly close: () => void } {
    if (!this.streaming) this.input({ kind: 'stream', action: 'start' });
    if (!this.streaming) return { streaming: false, close: () => undefined };
    this.viewerCount += 1;
    let open = true;
    return {
      streaming: true,
      close: () => {
        if (!open) return;
        open = false;
        this.viewerCount -= 1;
        if (this.viewerCount === 0 && this.streaming) this.input({ kind: 'stream', action: 'stop' });
      },
    };
  }

  /** The coordinator's view of the device. */
  status(): LiveDeviceStatus {
    const snapshot = this.snapshot;
    const stats = this.camera.bufferStats();
    const fixtureUs = this.clock.nowUs();
    return {
      id: this.id,
      officerId: this.options.profile.officerId,
      source: this.options.source.name,
      state: snapshot.state,
      overlays: snapshot.overlays,
      leds: snapshot.leds,
      battery: snapshot.batteryPercent,
      storageFreeBytes: snapshot.storageFreeBytes,
      bufferFill: {
        bytes: stats.occupancyBytes,
        bufferBytes: stats.bufferBytes,
        us: stats.occupancyUs,
        preRecordUs: stats.preRecordUs,
        fraction: stats.preRecordUs > 0 ? Math.min(1, stats.occupancyUs / stats.preRecordUs) : 0,
      },
      recording: snapshot.recording,
      streaming: this.streaming,
      viewers: this.viewerCount,
      recordingCount: this.tracker.recordingCount,
      recordings: this.tracker.recordings,
      clock: { fixtureUs, loop: Math.floor(fixtureUs / this.loop.loopUs), loopUs: this.loop.loopUs, lagUs: this.clock.lagUs() },
      frames: this.pump.stats,
      failed: this.failure,
    };
  }

  /**
   * Shuts the device down cleanly: the sensor stops, a running recording stops (reason
   * `end-of-fixture`: the live input has ended), and every recording is drained and finalized, with
   * its manifest; the rest runs in virtual time, without waiting. Returns every recording's manifest.
   */
  stop(): Promise<readonly RecordingManifest[]> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<readonly RecordingManifest[]> {
    const wasRunning = this.phase === 'running';
    this.phase = 'stopping';
    const { clock } = this;
    try {
      // Detach first: the clock stops at the next undelivered frame (it never passes one), so every
      // frame captured before the stop instant has reached the device. Then the sensor stops.
      clock.detach();
      this.pump.stop();
      await this.preview?.close();
      if (!wasRunning || this.failure !== null) return await this.camera.close();
      // The microphone runs on until the chunk holding the stop instant is complete, as it would on the device.
      const stopUs = clock.nowUs();
      const audioUntilUs = this.audio === null ? stopUs : this.audio.coveredUs(stopUs);
      // A camera whose card failed still closes what it wrote (cut off, with its manifest) instead of failing its stop.
      if (this.camera.firstFault !== null) return await this.camera.finishAfterFault(audioUntilUs);
      return await this.camera.finish(audioUntilUs);
    } finally {
      this.phase = 'stopped';
      this.streamingSubject.next(false);
      this.streamingSubject.complete();
      this.frameSubject.complete();
    }
  }

  private deliver(frame: PumpedFrame): void {
    if (frame.index === 0) this.scheduleLoopInputs(frame.loop + 1);
    if (frame.result === null) return;
    const taken = this.camera.deliverFrame(frame.captureUs, frame.result);
    if (taken === null || !taken.ok) return;
    if (!this.streaming) {
      this.preview?.pause();
      return;
    }
    // An MJPEG camera's frame is the view's frame; an H.264 camera's packet is decoded for the view.
    if (isJpeg(taken.packet.data)) this.frameSubject.next({ captureUs: frame.captureUs, jpeg: taken.packet.data });
    else this.previewOf().push(taken.packet);
  }

  private previewOf(): H264Preview {
    const { source, profile } = this.options;
    this.preview ??= new H264Preview(
      profile.video.width ?? source.width, profile.video.height ?? source.height,
      source.sourceVideo?.avcC ?? null,
      (captureUs, jpeg) => {
        if (this.streaming) this.frameSubject.next({ captureUs, jpeg });
      },
      (message) => {
        // The view fails, not the device: its recording goes on.
        this.camera.logEvent(deviceEvent(this.clock.nowUs(), 'fault', { code: 'live-error', message: `live view: ${message}` }));
      },
    );
    return this.preview;
  }

  /** Puts loop `loop`'s inputs on the device (done one loop ahead, when the previous loop begins). */
  private scheduleLoopInputs(loop: number): void {
    const inputs = this.options.loopInputs ?? [];
    if (inputs.length === 0 || loop < this.scheduledLoops) return;
    this.scheduledLoops = loop + 1;
    const offsetUs = loop * this.loop.loopUs;
    // A bus signal's send time moves with it: the cancel of a false signal names the signal by it.
    this.camera.schedule(inputs.map((input) => ({ ...input, atUs: input.atUs + offsetUs, ...('sentUs' in input ? { sentUs: input.sentUs + offsetUs } : {}) }) as DeviceInput));
  }

  private fail(error: unknown): void {
    const message = errorMessage(error);
    if (this.failure !== null) return;
    this.failure = message;
    this.pump.stop();
    this.camera.stopAudio();
    try {
      this.camera.logEvent(deviceEvent(this.clock.nowUs(), 'fault', { code: 'live-error', message }));
    } catch {
      // the log itself failed; the failure is still reported below
    }
    this.options.onError?.(this.id, error);
  }
}
