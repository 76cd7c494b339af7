/**
 * The device's hardware around the firmware: the sensor feed into the pre-record buffer, the
 * storage that recordings drain into, and the recording files. It carries out the Device's
 * decisions (DeviceHost) and reports back (finalized, bytes written, write failures): a command
 * returns the reports it caused; what the host notices on its own time (a frame's capture, the
 * card finishing a write) goes, as it happens, to the report sink it was built with. The host
 * holds no reference to the device.
 */
import { mkdirSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import { type BufferEntryInput, type PreRollSelection, PreRecordBuffer, StorageDrain, bufferStatsEventFields } from '../buffer/index.js';
import type { DeviceHost, DeviceProfile, HostReport, HostReportSink, HostReports } from '../device/index.js';
import { type EventSink, type FrameDropReason, type SignalTrigger, type StopReason, type TriggerSource, contractStop, deviceEvent } from '../events/index.js';
import type { BodycamError } from '../errors/index.js';
import { type RecordingAudioSource, Recording, type RecordingManifest, type RecordingProtection } from '../recorder/index.js';
import type { EncodedPacket, RecordingFormat } from '../media/index.js';
import { type SimulationClock, type WallClockOrigin, exactSecondsToUs, formatFileStamp, nearestSampleIndex } from '../time/index.js';

/**
 * How much room a trigger frees at the write head before it pins its pre-roll, in largest frames
 * pushed since the buffer was last cleared: the frames captured while the card works through the
 * pre-roll must still fit, so the pre-roll gives way to them (`limitedBy: "bytes"`), never they to
 * it (issue 14, docs/reliability.md). Three: the next frame, the entry the card is part-way
 * through, and the arena's tail a payload skips at the wrap. One was not enough: the property test
 * (test/pipeline) finds losses with a card that only just keeps up.
 */
export const TRIGGER_HEADROOM_FRAMES = 3;

/** Recordings resolve 0.1 ms (the Matroska TimestampScale): frames closer than that are dropped. */
const MIN_FRAME_SPACING_US = 100;

/** `bytes` of silence (16-bit PCM zeros); one shared block, sliced. */
function silence(bytes: number): Uint8Array {
  if (silentBlock.byteLength < bytes) silentBlock = new Uint8Array(bytes);
  return silentBlock.subarray(0, bytes);
}
let silentBlock = new Uint8Array(0);

/** Where one report goes: the sink (own time) or the command's list (returned to the device). */
type Report = (report: HostReport) => void;

/** Settings of the host that do not change during a run. */
export interface CameraHostOptions {
  readonly profile: DeviceProfile;
  readonly clock: SimulationClock;
  readonly emit: EventSink;
  /** Where reports go that the host makes on its own time (the firmware's `report`). */
  readonly reports: HostReportSink;
  readonly origin: WallClockOrigin;
  readonly recordingsDir: string;
  readonly video: { readonly width: number; readonly height: number; readonly frameDurationUs: number; readonly decoderConfig?: Uint8Array | null };
  readonly audio: RecordingAudioSource | null;
  readonly slotCount: number;
  readonly writingApp: string;
  /** The recordings' container and codec ids. */
  readonly format: RecordingFormat;
  /** Signing and encryption at rest of the recordings (default: none). */
  readonly protection?: RecordingProtection;
  /** Called once with the first failed write of a recording file (the run's fault latch). */
  readonly onWriteFault?: (error: BodycamError) => void;
}

/** The simulated camera hardware of one camera (replay or live). */
export class CameraHost implements DeviceHost {
  readonly buffer: PreRecordBuffer;
  /** Manifests of finished recordings, in the order they finished. */
  readonly finished: Promise<RecordingManifest>[] = [];
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
  /** Video frames dropped within the last pre-record window (see noteDropped). */
  private readonly recentDrops: { frameUs: number; reason: FrameDropReason }[] = [];
  /** Audio chunks dropped within the last pre-record window (see noteDroppedAudio). */
  private readonly recentAudioDrops: { captureUs: number; sampleCount: number; reason: FrameDropReason }[] = [];
  private firstWriteError: BodycamError | null = null;
  /** The largest video frame pushed since the buffer was last cleared (sizes the trigger's headroom). */
  private largestFrameBytes = 0;

  constructor(private readonly options: CameraHostOptions) {
    const { profile } = options;
    this.buffer = new PreRecordBuffer({
      bufferBytes: profile.bufferBytes,
      preRecordUs: exactSecondsToUs(profile.preRecordSeconds),
      slotCount: options.slotCount,
      preRollStart: profile.preRollStart,
    });
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
    const report = this.options.reports;
    if (entry.kind === 'video' && this.lastVideoUs !== null && entry.captureUs - this.lastVideoUs < MIN_FRAME_SPACING_US) {
      // Recordings store 0.1 ms ticks: two frames in one tick cannot both be kept in order.
      this.options.emit(deviceEvent(nowUs, 'frame.drop', {
        frameUs: entry.captureUs, reason: 'too-close',
        detail: `captured ${entry.captureUs - this.lastVideoUs} µs after the previous frame; recordings resolve ${MIN_FRAME_SPACING_US} µs`,
      }));
      this.noteDropped(entry.captureUs, 'too-close');
      return;
    }
    // The card wrote what it could by now: that room is free before this entry asks for it. A push
    // must never be what moves the drain, or a full arena whose pins the drain has not yet released
    // refuses every push after a trigger, forever (issue 14).
    this.service(nowUs, report);
    // Muted: the microphone's chunks still keep time, but carry silence (docs/device.md).
    const stored = entry.kind === 'audio' && this.muted ? { ...entry, payload: silence(entry.payload.byteLength) } : entry;
    const result = this.buffer.push(stored, nowUs);
    if (!result.ok) {
      this.options.emit(deviceEvent(nowUs, 'frame.drop', {
        frameUs: entry.captureUs, reason: result.reason,
        ...(entry.kind === 'audio' ? { kind: 'audio' as const, detail: `the pre-record buffer could not take ${entry.sampleCount} audio samples` } : { detail: 'the pre-record buffer could not take the frame' }),
      }));
      // What is captured while a recording runs belongs in it: its loss is the recording's (contract §12).
      if (entry.kind === 'video') this.noteDropped(entry.captureUs, result.reason);
      else this.noteDroppedAudio(entry.captureUs, entry.sampleCount, result.reason);
      return;
    }
    if (entry.kind === 'video') {
      this.lastVideoUs = entry.captureUs;
      this.videoPushes += 1;
      this.largestFrameBytes = Math.max(this.largestFrameBytes, entry.payload.byteLength);
    } else if (this.options.audio !== null) {
      const { startUs, sampleRate } = this.options.audio;
      this.audioPushedToSample = nearestSampleIndex(startUs, entry.captureUs, sampleRate) + entry.sampleCount;
    }
    for (const recording of this.draining) recording.notePushed(result.seq, entry);
    this.service(nowUs, report);
  }

  /** Logs a frame that never reached the buffer. */
  dropFrame(frameUs: number, reason: FrameDropReason, detail: string): void {
    if (!this.buffering) return;
    this.options.emit(deviceEvent(this.options.clock.nowUs(), 'frame.drop', { frameUs, reason, detail }));
    this.noteDropped(frameUs, reason);
  }

  // ---- DeviceHost --------------------------------------------------------------------------

  setBuffering(on: boolean): void {
    this.buffering = on;
    if (!on) for (const recording of this.draining) recording.endOfInput(this.buffer.nextSeq);
  }

  clearBuffer(atUs: number): void {
    this.buffer.clear(atUs);
    this.recentDrops.length = 0;
    this.recentAudioDrops.length = 0;
    this.largestFrameBytes = 0;
  }

  startRecording(atUs: number, source: TriggerSource, signal?: SignalTrigger): HostReports {
    const reports: HostReport[] = [];
    this.start(atUs, source, (one) => reports.push(one), signal);
    return reports;
  }

  private start(atUs: number, source: TriggerSource, report: Report, signal?: SignalTrigger): void {
    if (this.current !== null || this.storageFailed) return;
    const split = source === 'split';
    // What the card has finished by now is written: a recording still draining pins only the rest.
    this.service(atUs, report);
    if (!split) this.buffer.makeRoom(TRIGGER_HEADROOM_FRAMES * this.largestFrameBytes, atUs);
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
      trigger: signal === undefined ? { atUs, source } : { atUs, source, signal: signal.signal, sender: signal.sender },
      preRoll: selection,
      preRollStart: profile.preRollStart,
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
    // Frames dropped inside the pre-roll are holes in it: lost, and said so.
    const firstUs = selection.firstFrameUs ?? atUs;
    for (const drop of this.recentDrops) if (drop.frameUs >= firstUs && drop.frameUs < atUs) recording.noteLost(drop.frameUs, drop.reason);
    // Audio the same way: the recording counts the samples of its own span a dropped chunk held.
    for (const drop of this.recentAudioDrops) recording.noteLostAudio(drop.captureUs, drop.sampleCount, drop.reason);
    this.recordingVideoBase.set(recording, this.videoPushes - this.countVideoFrom(selection.firstFrameSeq ?? startSeq));
    this.options.emit(deviceEvent(atUs, 'recording.start', {
      id, firstFrameUs: selection.firstFrameUs, triggerUs: atUs, source, ...(signal === undefined ? {} : { signal: signal.signal, sender: signal.sender }),
    }));
    this.logBufferStats(atUs);
    this.service(atUs, report);
  }

  stopRecording(atUs: number, reason: StopReason): HostReports {
    const reports: HostReport[] = [];
    this.stop(atUs, reason, (one) => reports.push(one));
    return reports;
  }

  private stop(atUs: number, reason: StopReason, report: Report): void {
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
    this.service(atUs, report);
  }

  splitRecording(atUs: number): HostReports {
    const reports: HostReport[] = [];
    if (this.current === null) return reports;
    this.stop(atUs, 'max-duration', (one) => reports.push(one));
    this.start(atUs, 'split', (one) => reports.push(one));
    return reports;
  }

  addMarker(atUs: number): void {
    if (this.current === null) return;
    this.current.addMarker(atUs);
    this.options.emit(deviceEvent(atUs, 'recording.marker', { id: this.current.id, markerUs: atUs }));
  }

  powerCut(atUs: number): HostReports {
    const reports: HostReport[] = [];
    this.buffering = false;
    this.abandonAll(atUs, 'power-cut', (one) => reports.push(one));
    this.buffer.clear(atUs);
    this.recentDrops.length = 0;
    this.recentAudioDrops.length = 0;
    this.largestFrameBytes = 0;
    return reports;
  }

  /** The storage fails: writes stop at once; what is on the card stays, the rest is lost. */
  setStorageFailed(failed: boolean, atUs: number): HostReports {
    const reports: HostReport[] = [];
    this.failStorage(failed, atUs, (one) => reports.push(one));
    return reports;
  }

  private failStorage(failed: boolean, atUs: number, report: Report): void {
    this.storageFailed = failed;
    if (failed) this.abandonAll(atUs, 'fault', report);
  }

  /** Stops every open recording where it is: no more writes, no finalize (power cut, failed storage). */
  private abandonAll(atUs: number, reason: StopReason, report: Report): void {
    // A write that ends at this very instant is on the card: the cut comes after it.
    this.service(atUs, report);
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
      this.logLoss(recording, atUs);
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
    this.service(nowUs, this.options.reports);
  }

  /** Lets every open recording write what the storage can have written by `nowUs`; `report` hears what the firmware must. */
  private service(nowUs: number, report: Report): void {
    const open = this.current === null ? [...this.draining] : [this.current, ...this.draining];
    for (const recording of open) {
      if (!recording.open) continue;
      const result = recording.pump(nowUs);
      if (result.bytesWritten > 0) report({ kind: 'bytes-written', bytes: result.bytesWritten, atUs: nowUs });
      if (result.writeError !== undefined) {
        this.writeFailed(result.writeError, nowUs, report);
        return;
      }
      if (result.drained) this.finalize(recording, nowUs, report);
      else if (this.draining.has(recording)) this.scheduleWakeup(recording, nowUs);
    }
  }

  /**
   * A recording file could not be written (disk full, I/O error): the device sees the storage
   * fault it models (a `write-failed` report: fault event, storage state, no new recordings) and every
   * open recording is cut off where it is, with a manifest that says so. The first error goes to
   * the run, which ends with it (exit 3).
   */
  private writeFailed(error: BodycamError, nowUs: number, report: Report): void {
    if (this.firstWriteError === null) {
      this.firstWriteError = error;
      this.options.onWriteFault?.(error);
    }
    report({ kind: 'write-failed', message: error.message, atUs: nowUs });
    if (this.busy) this.failStorage(true, nowUs, report);
  }

  /** The first failed write of a recording file, or null. */
  get writeError(): BodycamError | null {
    return this.firstWriteError;
  }

  private finalize(recording: Recording, nowUs: number, report: Report): void {
    // A finalize the storage refuses cuts the file off (complete: false); the fault follows below.
    const manifest = recording.finalize();
    this.draining.delete(recording);
    this.wakeups.get(recording)?.unsubscribe();
    this.wakeups.delete(recording);
    this.finished.push(manifest);
    this.logLoss(recording, nowUs);
    const failed = recording.writeError;
    this.options.emit(deviceEvent(nowUs, 'recording.finalized', { id: recording.id, bytes: recording.bytesOnDisk, complete: failed === null }));
    report({ kind: 'recording-finalized', atUs: nowUs });
    if (failed !== null) this.writeFailed(failed, nowUs, report);
  }

  private scheduleWakeup(recording: Recording, nowUs: number): void {
    const dueUs = recording.backlogDoneUs(nowUs);
    if (dueUs <= nowUs) return;
    this.wakeups.get(recording)?.unsubscribe();
    this.wakeups.set(recording, this.options.clock.scheduleAt(dueUs, () => {
      this.wakeups.delete(recording);
      this.service(this.options.clock.nowUs(), this.options.reports);
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

  /**
   * A captured frame that no recording will hold. While a recording runs it is that recording's
   * loss; before a trigger it may fall inside the next pre-roll (the buffer starts a pre-roll after
   * its own capacity drops, but never saw these), so the last window's worth is remembered.
   */
  private noteDropped(frameUs: number, reason: FrameDropReason): void {
    this.current?.noteLost(frameUs, reason);
    // A pre-roll starts at a held keyframe, and with 'keyframe-before' that may be a GOP before the
    // window: a drop older than both the window and the oldest frame held is in no future pre-roll.
    const oldestHeldUs = this.buffer.oldestVideoCaptureUs ?? Infinity;
    const horizonUs = Math.min(frameUs - this.buffer.preRecordUs, oldestHeldUs);
    while ((this.recentDrops[0]?.frameUs ?? Infinity) < horizonUs) this.recentDrops.shift();
    this.recentDrops.push({ frameUs, reason });
  }

  /**
   * An audio chunk the buffer refused: the recording running, and those still draining up to the
   * chunk holding their stop, lose the samples of their span it held; one window's worth is
   * remembered for the next pre-roll, as for frames.
   */
  private noteDroppedAudio(captureUs: number, sampleCount: number, reason: FrameDropReason): void {
    this.current?.noteLostAudio(captureUs, sampleCount, reason);
    for (const recording of this.draining) recording.noteLostAudio(captureUs, sampleCount, reason);
    const horizonUs = captureUs - this.buffer.preRecordUs;
    while ((this.recentAudioDrops[0]?.captureUs ?? Infinity) < horizonUs) this.recentAudioDrops.shift();
    this.recentAudioDrops.push({ captureUs, sampleCount, reason });
  }

  /** A closed recording that lost frames says so in the log, as its manifest does (contract §12). */
  private logLoss(recording: Recording, atUs: number): void {
    const lost = recording.lost;
    if (lost !== null) this.options.emit(deviceEvent(atUs, 'recording.lost', { id: recording.id, ...lost }));
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
