/**
 * The device's hardware around the firmware: the sensor feed into the pre-record buffer, the
 * storage that recordings drain into, and the recording files. It carries out the Device's
 * decisions (DeviceHost) and reports back (finalized, bytes written, write failures).
 */
import { mkdirSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import { type BufferEntryInput, type PreRollSelection, PreRecordBuffer, StorageDrain, bufferStatsEventFields } from '../buffer/index.js';
import type { Device, DeviceHost, DeviceProfile } from '../device/index.js';
import { type EventSink, type FrameDropReason, type StopReason, type TriggerSource, contractStop, deviceEvent } from '../events/index.js';
import { type RecordingAudioSource, Recording, type RecordingManifest, type RecordingProtection } from '../recorder/index.js';
import type { EncodedPacket, RecordingFormat } from '../media/index.js';
import { type SimulationClock, type WallClockOrigin, exactSecondsToUs, formatFileStamp, nearestSampleIndex } from '../time/index.js';

/** Recordings resolve 0.1 ms (the Matroska TimestampScale): frames closer than that are dropped. */
const MIN_FRAME_SPACING_US = 100;

/** `bytes` of silence (16-bit PCM zeros); one shared block, sliced. */
function silence(bytes: number): Uint8Array {
  if (silentBlock.byteLength < bytes) silentBlock = new Uint8Array(bytes);
  return silentBlock.subarray(0, bytes);
}
let silentBlock = new Uint8Array(0);

/** Settings of the host that do not change during a run. */
export interface CameraHostOptions {
  readonly profile: DeviceProfile;
  readonly clock: SimulationClock;
  readonly emit: EventSink;
  readonly origin: WallClockOrigin;
  readonly recordingsDir: string;
  readonly video: { readonly width: number; readonly height: number; readonly frameDurationUs: number };
  readonly audio: RecordingAudioSource | null;
  readonly slotCount: number;
  readonly writingApp: string;
  /** The recordings' container and codec ids. */
  readonly format: RecordingFormat;
  /** Signing and encryption at rest of the recordings (default: none). */
  readonly protection?: RecordingProtection;
}

/** The simulated camera hardware of one camera (replay or live). */
export class CameraHost implements DeviceHost {
  readonly buffer: PreRecordBuffer;
  /** Manifests of finished recordings, in the order they finished. */
  readonly finished: Promise<RecordingManifest>[] = [];
  private device: Device | null = null;
  private buffering = false;
  private current: Recording | null = null;
  private readonly draining = new Set<Recording>();
  private readonly wakeups = new Map<Recording, Subscription>();
  private previousLastFrameUs: number | null = null;
  private storageFailed = false;
  private muted = false;
  private readonly usedIds = new Set<string>();
  private lastVideoUs: number | null = null;
  private videoPushes = 0;
  /** End (exclusive, as a sample index of the source) of the audio pushed so far. */
  private audioPushedToSample = 0;
  private readonly recordingVideoBase = new Map<Recording, number>();

  constructor(private readonly options: CameraHostOptions) {
    const { profile } = options;
    this.buffer = new PreRecordBuffer({
      bufferBytes: profile.bufferBytes,
      preRecordUs: exactSecondsToUs(profile.preRecordSeconds),
      slotCount: options.slotCount,
    });
  }

  /** Connects the firmware this host serves (two-way: the device calls the host, the host reports back). */
  attach(device: Device): void {
    this.device = device;
  }

  /** True while the sensor feeds the buffer. */
  get isBuffering(): boolean {
    return this.buffering;
  }

  /** True while any recording is open (recording or still draining). */
  get busy(): boolean {
    return this.current !== null || this.draining.size > 0;
  }

  // ---- sensor side -------------------------------------------------------------------------

  /** An encoded frame from the sensor, at its capture time (the clock is there). */
  captureVideo(packet: EncodedPacket): void {
    this.capture({ kind: 'video', captureUs: packet.captureUs, durationUs: packet.durationUs, keyframe: packet.isKey, payload: packet.data, sampleCount: 0 }, packet.captureUs);
  }

  /** A chunk from the microphone, at fixture time `nowUs` (when its last sample is captured). */
  captureAudio(chunk: { readonly captureUs: number; readonly durationUs: number; readonly payload: Uint8Array; readonly sampleCount: number }, nowUs: number): void {
    this.capture({ kind: 'audio', captureUs: chunk.captureUs, durationUs: chunk.durationUs, keyframe: true, payload: chunk.payload, sampleCount: chunk.sampleCount }, nowUs);
  }

  /** A captured, encoded entry from the sensor or microphone at fixture time `nowUs`. */
  private capture(entry: BufferEntryInput, nowUs: number): void {
    if (!this.buffering) return;
    if (entry.kind === 'video' && this.lastVideoUs !== null && entry.captureUs - this.lastVideoUs < MIN_FRAME_SPACING_US) {
      // Recordings store 0.1 ms ticks: two frames in one tick cannot both be kept in order.
      this.options.emit(deviceEvent(nowUs, 'frame.drop', {
        frameUs: entry.captureUs, reason: 'too-close',
        detail: `captured ${entry.captureUs - this.lastVideoUs} µs after the previous frame; recordings resolve ${MIN_FRAME_SPACING_US} µs`,
      }));
      return;
    }
    // Muted: the microphone's chunks still keep time, but carry silence (docs/device.md).
    const stored = entry.kind === 'audio' && this.muted ? { ...entry, payload: silence(entry.payload.byteLength) } : entry;
    const result = this.buffer.push(stored, nowUs);
    if (!result.ok) {
      this.options.emit(deviceEvent(nowUs, 'frame.drop', {
        frameUs: entry.captureUs, reason: result.reason,
        ...(entry.kind === 'audio' ? { kind: 'audio' as const, detail: `the pre-record buffer could not take ${entry.sampleCount} audio samples` } : { detail: 'the pre-record buffer could not take the frame' }),
      }));
      return;
    }
    if (entry.kind === 'video') {
      this.lastVideoUs = entry.captureUs;
      this.videoPushes += 1;
    } else if (this.options.audio !== null) {
      const { startUs, sampleRate } = this.options.audio;
      this.audioPushedToSample = nearestSampleIndex(startUs, entry.captureUs, sampleRate) + entry.sampleCount;
    }
    for (const recording of this.draining) recording.notePushed(result.seq, entry);
    this.service(nowUs);
  }

  /** Logs a frame that never reached the buffer. */
  dropFrame(frameUs: number, reason: FrameDropReason, detail: string): void {
    if (!this.buffering) return;
    this.options.emit(deviceEvent(this.options.clock.nowUs(), 'frame.drop', { frameUs, reason, detail }));
  }

  // ---- DeviceHost --------------------------------------------------------------------------

  setBuffering(on: boolean): void {
    this.buffering = on;
    if (!on) for (const recording of this.draining) recording.endOfInput(this.buffer.nextSeq);
  }

  clearBuffer(atUs: number): void {
    this.buffer.clear(atUs);
  }

  startRecording(atUs: number, source: TriggerSource): void {
    if (this.current !== null || this.storageFailed) return;
    const split = source === 'split';
    const selection: PreRollSelection = split
      ? { startSeq: null, firstFrameSeq: null, firstFrameUs: null, requestedUs: 0, actualUs: 0, limitedBy: null }
      : this.buffer.selectPreRoll({
          triggerUs: atUs,
          overlap: this.options.profile.preRollOverlap,
          previousLastFrameUs: this.previousLastFrameUs,
        });
    const startSeq = selection.startSeq ?? this.buffer.nextSeq;
    const id = this.newId(selection.firstFrameUs ?? atUs);
    mkdirSync(this.options.recordingsDir, { recursive: true });
    const { profile } = this.options;
    const recording = new Recording({
      id,
      directory: this.options.recordingsDir,
      deviceId: profile.deviceId,
      officerId: profile.officerId,
      origin: this.options.origin,
      trigger: { atUs, source },
      preRoll: selection,
      firstFrameSeq: selection.firstFrameSeq ?? startSeq,
      reader: this.buffer.openReader(startSeq, atUs),
      drain: new StorageDrain({ bytesPerSecond: profile.storageWriteBytesPerSecond }),
      video: this.options.video,
      audio: this.options.audio,
      audioFromUs: profile.preRecordAudio || split ? (selection.firstFrameUs ?? atUs) : atUs,
      writingApp: this.options.writingApp,
      format: this.options.format,
      ...(this.options.protection === undefined ? {} : { protection: this.options.protection }),
    });
    this.current = recording;
    this.recordingVideoBase.set(recording, this.videoPushes - this.countVideoFrom(selection.firstFrameSeq ?? startSeq));
    this.options.emit(deviceEvent(atUs, 'recording.start', { id, firstFrameUs: selection.firstFrameUs, triggerUs: atUs, source }));
    this.logBufferStats(atUs);
    this.service(atUs);
  }

  stopRecording(atUs: number, reason: StopReason): void {
    const recording = this.current;
    if (recording === null) return;
    this.current = null;
    recording.stop(atUs, reason, this.buffer.nextSeq, this.audioPushedToSample);
    const frames = this.videoPushes - (this.recordingVideoBase.get(recording) ?? this.videoPushes);
    this.recordingVideoBase.delete(recording);
    this.previousLastFrameUs = this.lastVideoUs;
    this.options.emit(deviceEvent(atUs, 'recording.stop', { id: recording.id, ...contractStop(reason), lastFrameUs: frames > 0 ? this.lastVideoUs : null, frames }));
    this.draining.add(recording);
    if (!this.buffering) recording.endOfInput(this.buffer.nextSeq);
    this.service(atUs);
  }

  splitRecording(atUs: number): void {
    if (this.current === null) return;
    this.stopRecording(atUs, 'max-duration');
    this.startRecording(atUs, 'split');
  }

  addMarker(atUs: number): void {
    if (this.current === null) return;
    this.current.addMarker(atUs);
    this.options.emit(deviceEvent(atUs, 'recording.marker', { id: this.current.id, markerUs: atUs }));
  }

  powerCut(atUs: number): void {
    this.buffering = false;
    this.abandonAll(atUs, 'power-cut');
    this.buffer.clear(atUs);
  }

  /** The storage fails: writes stop at once; what is on the card stays, the rest is lost. */
  setStorageFailed(failed: boolean, atUs: number): void {
    this.storageFailed = failed;
    if (failed) this.abandonAll(atUs, 'fault');
  }

  /** Stops every open recording where it is: no more writes, no finalize (power cut, failed storage). */
  private abandonAll(atUs: number, reason: StopReason): void {
    const current = this.current;
    this.current = null;
    if (current !== null) {
      const file = current.fileSummary;
      // "trim" starts the next pre-roll after what this file holds; what it lost may appear again.
      this.previousLastFrameUs = file.lastFrameUs;
      this.options.emit(deviceEvent(atUs, 'recording.stop', { id: current.id, ...contractStop(reason), lastFrameUs: file.lastFrameUs, frames: file.frames }));
    }
    for (const recording of current === null ? [...this.draining] : [current, ...this.draining]) {
      this.finished.push(recording.abandon(atUs, reason));
      this.options.emit(deviceEvent(atUs, 'recording.finalized', { id: recording.id, bytes: recording.bytesOnDisk, complete: false }));
    }
    this.draining.clear();
    for (const wakeup of this.wakeups.values()) wakeup.unsubscribe();
    this.wakeups.clear();
  }

  /** The microphone is muted (or unmuted): audio from now on is silence. */
  setMuted(on: boolean): void {
    this.muted = on;
  }

  setStreaming(): void {
    // The live view (src/live) subscribes to frames itself; a replay has no viewer.
  }

  // ---- storage side ------------------------------------------------------------------------

  /** The input has ended (end of the fixture): nothing more will be captured. */
  endOfInput(nowUs: number): void {
    for (const recording of this.draining) recording.endOfInput(this.buffer.nextSeq);
    this.service(nowUs);
  }

  /** Lets every open recording write what the storage can have written by `nowUs`. */
  service(nowUs: number): void {
    const open = this.current === null ? [...this.draining] : [this.current, ...this.draining];
    for (const recording of open) {
      const result = recording.pump(nowUs);
      if (result.bytesWritten > 0) this.device?.bytesWritten(result.bytesWritten, nowUs);
      if (result.writeFailure !== undefined) {
        // The firmware decides (a fault; the storage fails and every open recording is abandoned).
        this.device?.storageWriteFailed(nowUs, result.writeFailure);
        return;
      }
      if (result.drained) this.finalize(recording, nowUs);
      else if (this.draining.has(recording)) this.scheduleWakeup(recording, nowUs);
    }
  }

  private finalize(recording: Recording, nowUs: number): void {
    let manifest: Promise<RecordingManifest>;
    try {
      manifest = recording.finalize();
    } catch (error) {
      const failure = recording.writeFailure;
      if (failure === null) throw error;
      this.device?.storageWriteFailed(nowUs, failure);
      return;
    }
    this.draining.delete(recording);
    this.wakeups.get(recording)?.unsubscribe();
    this.wakeups.delete(recording);
    this.finished.push(manifest);
    this.options.emit(deviceEvent(nowUs, 'recording.finalized', { id: recording.id, bytes: recording.bytesOnDisk, complete: true }));
    this.device?.recordingFinalized(nowUs);
  }

  private scheduleWakeup(recording: Recording, nowUs: number): void {
    const dueUs = recording.backlogDoneUs(nowUs);
    if (dueUs <= nowUs) return;
    this.wakeups.get(recording)?.unsubscribe();
    this.wakeups.set(recording, this.options.clock.scheduleAt(dueUs, () => {
      this.wakeups.delete(recording);
      this.service(this.options.clock.nowUs());
    }));
  }

  /** The run failed: close every open recording's file as it is (no manifest; repairable). */
  disposeOpenRecordings(): void {
    for (const recording of this.current === null ? [...this.draining] : [this.current, ...this.draining]) recording.dispose();
    this.current = null;
    this.draining.clear();
    for (const wakeup of this.wakeups.values()) wakeup.unsubscribe();
    this.wakeups.clear();
  }

  /** Logs the buffer's statistics (on every trigger and at the end of a run). */
  logBufferStats(atUs: number): void {
    this.options.emit(deviceEvent(atUs, 'buffer.stats', bufferStatsEventFields(this.buffer.stats())));
  }

  /** Video frames held from `fromSeq` to the write head (the frames a pre-roll starting there holds). */
  private countVideoFrom(fromSeq: number): number {
    let count = 0;
    for (let seq = fromSeq; seq < this.buffer.nextSeq; seq += 1) if (this.buffer.entry(seq)?.kind === 'video') count += 1;
    return count;
  }

  private newId(startUs: number): string {
    const base = `${this.options.profile.deviceId}_${formatFileStamp(this.options.origin, startUs)}`;
    let id = base;
    for (let n = 2; this.usedIds.has(id); n += 1) id = `${base}-${n}`;
    this.usedIds.add(id);
    return id;
  }
}
