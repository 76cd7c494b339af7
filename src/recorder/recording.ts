/**
 * One recording on the device's storage: it drains entries from the pre-record buffer at the
 * storage's write speed (virtual time) into an append-only Matroska file, then finalizes it and
 * writes the manifest. The pre-roll rule (contract §4) decides where it starts; this class keeps
 * every captured frame before the stop exactly once, in order, and trims audio to the sample.
 */
import { basename, join } from 'node:path';
import type { BufferEntry, BufferReader, PreRollSelection, StorageDrain } from '../buffer/index.js';
import { BodycamError, errorMessage } from '../errors/index.js';
import { type ByteSink, VIDEO_CODEC_ID } from '../container/index.js';
import type { ContainerWriter, RecordingChapter, RecordingFormat } from '../media/index.js';
import { type SignalName, type StopReason, type TriggerSource, contractStop } from '../events/index.js';
import { type WallClockOrigin, formatBurnInClock, formatWallClockIso, sampleTimeUs } from '../time/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { sha256File } from './file-hash.js';
import { LossTally, type LostFrames } from './lost-frames.js';
import { type KeyframeFacts, type RecordingManifest, serializeManifest } from './manifest.js';
import { type RecordingFileSink, type RecordingProtection, UNPROTECTED } from './protection.js';
import { type RecordingAudioSource, RecordingSpan, type SpanWrite } from './recording-span.js';

export type { RecordingAudioSource } from './recording-span.js';

/** Noted frames and audio blocks kept before {@link Recording} trims those the file holds (bounds their memory). */
const TRIM_UNFLUSHED_AT = 512;

/** What started a recording: the instant T and the source; a trigger-bus signal also names its kind and sender. */
export interface RecordingTrigger {
  readonly atUs: number;
  readonly source: TriggerSource;
  readonly signal?: SignalName;
  readonly sender?: string;
}

/** Everything a recording needs at its trigger. */
export interface RecordingSetup {
  readonly id: string;
  readonly directory: string;
  readonly deviceId: string;
  readonly officerId: string;
  readonly origin: WallClockOrigin;
  /** The trigger; a trigger-bus signal adds its kind and sender (contract §10). */
  readonly trigger: RecordingTrigger;
  readonly preRoll: PreRollSelection;
  /** The device's `preRollStart` (contract §9), for the manifest's keyframe facts. */
  readonly preRollStart?: 'keyframe-before' | 'keyframe-after';
  /** Seq of the pre-roll's first video frame (entries before it are audio covering it); 0 when the pre-roll is empty. */
  readonly firstFrameSeq: number;
  readonly reader: BufferReader;
  readonly drain: StorageDrain;
  /** The video track; `decoderConfig` is the codec's configuration when known before the first packet (H.264 passthrough). */
  readonly video: { readonly width: number; readonly height: number; readonly frameDurationUs: number; readonly decoderConfig?: Uint8Array | null };
  readonly audio: RecordingAudioSource | null;
  /** Fixture time where this recording's audio begins (first frame with preRecordAudio, else the trigger). */
  readonly audioFromUs: number;
  readonly writingApp: string;
  /** The container the recording is written in, and its codec ids. */
  readonly format: RecordingFormat;
  /** Encryption at rest and manifest signing (default: neither). */
  readonly protection?: RecordingProtection;
}

/** What one pump of the drain did. */
export interface PumpResult {
  readonly bytesWritten: number;
  /** The recording has stopped and everything it holds has been written. */
  readonly drained: boolean;
  /** The file could not be written (disk full, I/O error): the first such error; nothing more is written. */
  readonly writeError?: BodycamError;
}

type RecordingPhase = 'recording' | 'stopping' | 'closed';

/** A failure of the file edge as the one-line runtime error the run ends with (fd-io already names the file and byte). */
function asWriteError(error: unknown, file: string): BodycamError {
  return error instanceof BodycamError ? error : BodycamError.runtime(`cannot write ${file}: ${errorMessage(error)}`, error, { file });
}

/** A recording in progress; see the module comment. */
export class Recording {
  readonly id: string;
  readonly file: string;
  readonly manifestFile: string;
  readonly originUs: number;
  private readonly writer: ContainerWriter;
  private readonly sink: RecordingFileSink;
  private readonly protection: RecordingProtection;
  private phase: RecordingPhase = 'recording';
  private stopUs: number | null = null;
  private stopReason: StopReason | null = null;
  private fenced = false;
  private readonly span: RecordingSpan;
  private readonly markers: number[] = [];
  private readonly losses = new LossTally();
  /** Capture times of the frames handed to the writer but not yet in the file (its open cluster). */
  private readonly unflushedUs: number[] = [];
  /** Capture times of the key frames handed to the writer (a GOP codec's manifest counts them). */
  private readonly keyframesUs: number[] = [];
  /** Source-sample ranges [from, to) of the audio blocks handed to the writer but not yet in the file. */
  private readonly unflushedAudio: { readonly from: number; readonly to: number }[] = [];
  /** The first write the storage refused, or null while every write succeeded. */
  private writeFailure: BodycamError | null = null;

  constructor(private readonly setup: RecordingSetup) {
    this.id = setup.id;
    this.protection = setup.protection ?? UNPROTECTED;
    this.file = join(setup.directory, `${setup.id}${setup.format.extension}${this.protection.fileSuffix}`);
    this.manifestFile = join(setup.directory, `${setup.id}.json`);
    this.originUs = setup.preRoll.firstFrameUs ?? setup.trigger.atUs;
    const audio = setup.audio;
    this.span = new RecordingSpan({
      originUs: this.originUs, firstFrameSeq: setup.firstFrameSeq, audio, audioFromUs: setup.audioFromUs, trackKeyframes: setup.format.intraOnly !== true,
    });
    this.sink = this.protection.createSink(this.file, setup.id);
    this.writer = setup.format.createWriter(this.storageWrites(this.sink), {
      video: { width: setup.video.width, height: setup.video.height, frameDurationUs: setup.video.frameDurationUs, decoderConfig: setup.video.decoderConfig ?? null },
      audio: audio === null ? null : { sampleRate: audio.sampleRate },
      title: setup.id,
      dateUtcMs: setup.origin.epochMs + Math.floor(this.originUs / 1000),
      writingApp: setup.writingApp,
      tags: {
        BODYCAM_ORIGIN_US: String(this.originUs),
        BODYCAM_DEVICE_ID: setup.deviceId,
        BODYCAM_OFFICER_ID: setup.officerId,
        BODYCAM_TRIGGER_US: String(setup.trigger.atUs),
        // What the manifest says of the start, known now: a file cut off before its manifest is
        // written keeps them, and `bodycam repair` recovers them (src/recorder/repair-facts.ts).
        BODYCAM_TRIGGER_SOURCE: setup.trigger.source,
        // A trigger-bus signal's kind and sending camera (contract §10), so a repair names them too.
        ...(setup.trigger.signal === undefined ? {} : { BODYCAM_TRIGGER_SIGNAL: setup.trigger.signal }),
        ...(setup.trigger.sender === undefined ? {} : { BODYCAM_TRIGGER_SENDER: setup.trigger.sender }),
        BODYCAM_PREROLL_REQUESTED_US: String(setup.preRoll.requestedUs),
        BODYCAM_PREROLL_ACTUAL_US: String(setup.preRoll.actualUs),
        BODYCAM_PREROLL_LIMITED_BY: setup.preRoll.limitedBy ?? 'null',
        BODYCAM_WALLCLOCK_OFFSET_MINUTES: String(setup.origin.offsetMinutes),
      },
    });
  }

  /**
   * The file sink as the container writer sees it: a write the storage refuses is noted (the
   * firmware is told, see {@link pump}) before the error goes on up through the writer.
   */
  private storageWrites(sink: ByteSink): ByteSink {
    const noted = <T>(write: () => T): T => {
      try {
        return write();
      } catch (error) {
        this.writeFailure ??= asWriteError(error, this.file);
        throw error;
      }
    };
    return {
      get position() {
        return sink.position;
      },
      write: (bytes) => noted(() => sink.write(bytes)),
      writeParts: (parts) => noted(() => sink.writeParts(parts)),
      patch: (offset, bytes) => noted(() => sink.patch(offset, bytes)),
    };
  }

  /** True until the file is closed (finalized or cut off). */
  get open(): boolean {
    return this.phase !== 'closed';
  }

  /** Bytes in the file so far (after finalize: its final size). */
  get bytesOnDisk(): number {
    return this.sink.fileBytes;
  }

  /** Frames already in the file (whole clusters handed to the storage) and the last one's time. */
  get fileSummary(): { frames: number; lastFrameUs: number | null } {
    const stats = this.writer.stats;
    return { frames: stats.videoFramesWritten, lastFrameUs: stats.lastVideoWrittenUs === null ? null : stats.lastVideoWrittenUs + this.originUs };
  }

  /** A frame captured while this recording ran never reached the buffer (contract §12: counted, never silent). */
  noteLost(frameUs: number, reason: string): void {
    this.losses.note(frameUs, reason);
  }

  /**
   * An audio chunk this recording's span reaches never reached the buffer (refused: the card fell
   * behind): the samples of the span it held are lost, and counted (contract §12).
   */
  noteLostAudio(captureUs: number, sampleCount: number, reason: string): void {
    const slice = this.span.audioSliceOf(captureUs, sampleCount);
    if (slice !== null) this.losses.noteAudio(this.span.sampleUs(slice.from), this.span.sampleUs(slice.to - 1), slice.to - slice.from, reason);
  }

  /** What this recording has lost so far (null: nothing). */
  get lost(): LostFrames | null {
    return this.losses.summary();
  }

  /** Marks a marker press at `atUs` (contract §4: a short record press while recording). */
  addMarker(atUs: number): void {
    this.markers.push(atUs);
  }

  /**
   * Stops taking frames at `atUs`: every frame captured before it stays, none after.
   * @param fenceSeq the buffer's next sequence number at the stop: entries before it were captured before `atUs`
   * @param audioPushedToSample end (exclusive) of the audio already in the buffer, as a sample index
   */
  stop(atUs: number, reason: StopReason, fenceSeq: number, audioPushedToSample: number): void {
    if (this.phase !== 'recording') return;
    this.phase = 'stopping';
    this.stopUs = atUs;
    this.stopReason = reason;
    this.span.stopAt(atUs, fenceSeq);
    // The audio chunk holding the stop instant is pushed only once its last sample is captured:
    // until then the reader stays open past the fence (reading audio only).
    if (this.span.audioCoveredBy(audioPushedToSample)) this.fenceReader(fenceSeq);
  }

  /** The host pushed entry `seq` into the buffer; a stopping recording fences once its audio is covered. */
  notePushed(seq: number, entry: { readonly kind: 'video' | 'audio'; readonly captureUs: number; readonly sampleCount: number }): void {
    if (this.phase !== 'stopping' || this.fenced || entry.kind !== 'audio' || this.setup.audio === null) return;
    if (this.span.chunkReachesStop(entry.captureUs, entry.sampleCount)) this.fenceReader(seq + 1);
  }

  /** No more entries will arrive (capture ended: end of fixture, power off, dock); `nextSeq` is the buffer's. */
  endOfInput(nextSeq: number): void {
    if (this.phase === 'stopping' && !this.fenced) this.fenceReader(nextSeq);
  }

  private fenceReader(endSeq: number): void {
    this.fenced = true;
    this.setup.reader.stopAt(endSeq);
  }

  /** The fixture time by which everything readable now is written (for scheduling the next pump). */
  backlogDoneUs(nowUs: number): number {
    return this.setup.drain.backlogDoneUs(this.setup.reader, nowUs, { skip: this.span.skips });
  }

  /** Writes what the storage can have written by `nowUs`. */
  pump(nowUs: number): PumpResult {
    if (this.phase === 'closed') return { bytesWritten: 0, drained: true };
    if (this.writeFailure !== null) return { bytesWritten: 0, drained: false };
    let bytesWritten = 0;
    try {
      this.setup.drain.drainUntil(this.setup.reader, nowUs, (entry) => {
        bytesWritten += this.take(entry);
        return 'continue';
      }, { skip: this.span.skips, onSkipped: this.noteSkipped });
      // A writer that defers its work (MP4: packets posted to its muxer's worker) hands the step's
      // bytes to the storage now, at this instant, so a refused write is this step's fault.
      this.writer.flush?.();
    } catch (error) {
      // Only a write the storage refused (ENOSPC, EIO) is a storage fault; anything else is a bug and goes on up.
      if (this.writeFailure === null) throw error;
      // The file keeps its whole clusters; the host cuts the recording off.
      return { bytesWritten, drained: false, writeError: this.writeFailure };
    }
    // Trimmed in batches: reading the writer's counts makes a deferring writer (MP4) wait for its worker.
    if (this.unflushedUs.length + this.unflushedAudio.length > TRIM_UNFLUSHED_AT) this.trimUnflushed();
    return { bytesWritten, drained: this.isDrained() };
  }

  /**
   * Forgets the frames and audio blocks the file now holds whole: a cut-off file loses only those
   * still in the writer's open cluster (fragment), the last ones noted, so trimming late keeps the
   * same tail. Done when the lists pass {@link TRIM_UNFLUSHED_AT}, not per packet.
   */
  private trimUnflushed(): void {
    const stats = this.writer.stats;
    const inWriter = this.span.frames - stats.videoFramesWritten;
    if (this.unflushedUs.length > inWriter) this.unflushedUs.splice(0, this.unflushedUs.length - inWriter);
    let pending = this.span.audioWritten - stats.audioSamplesWritten;
    for (const block of this.unflushedAudio) pending -= block.to - block.from;
    while (pending < 0 && this.unflushedAudio.length > 0) {
      const block = this.unflushedAudio.shift()!;
      pending += block.to - block.from;
    }
  }

  /**
   * A P-frame captured after the trigger but before the recording's first keyframe cannot be
   * decoded without it: the recording does not hold it, and says so (contract §12, 'no-keyframe').
   */
  private readonly noteSkipped = (entry: BufferEntry): void => {
    if (entry.kind === 'video' && !entry.keyframe && !this.span.outsideSpan(entry) && entry.captureUs >= this.setup.trigger.atUs) {
      this.losses.note(entry.captureUs, 'no-keyframe');
    }
  };

  private isDrained(): boolean {
    const reader = this.setup.reader;
    return this.phase === 'stopping' && this.fenced && reader.nextSeq >= reader.endSeq;
  }

  /** Writes one entry the span let through; returns the payload bytes written. */
  private take(entry: BufferEntry): number {
    const write: SpanWrite | null = this.span.take(entry);
    if (write === null) return 0;
    if (write.kind === 'video') {
      // Which frames may still be in the writer's open cluster: a cut-off file loses exactly those
      // (trimUnflushed). Noted before the call: a frame whose write the storage refuses is not in
      // the file either, and must be counted lost, not dropped silently.
      this.unflushedUs.push(entry.captureUs);
      this.writer.addVideo(write.timestampUs, write.data, write.type);
      if (write.type === 'key') this.keyframesUs.push(entry.captureUs);
      return write.data.byteLength;
    }
    // As for frames: which audio blocks may still be in the open cluster (blocks go to the file whole).
    this.unflushedAudio.push({ from: write.fromSample, to: write.fromSample + write.pcm.byteLength / 2 });
    this.writer.addAudio(write.timestampUs, write.pcm);
    return write.pcm.byteLength;
  }

  /**
   * Finishes the file (last cluster, Cues, Duration) at once and writes the manifest once the
   * file's hash is known. Call after {@link pump} reported `drained`.
   */
  finalize(): Promise<RecordingManifest> {
    const stopUs = this.stopUs ?? this.setup.trigger.atUs;
    const durationUs = Math.max(0, stopUs - this.originUs);
    try {
      this.writer.finalize(durationUs, markerChapters(this.markers, this.originUs, durationUs, this.setup.origin));
    } catch (error) {
      // The last cluster, the Cues or the in-place patches could not be written: the file is cut off.
      if (this.writeFailure === null) throw error;
      this.noteCutOff('storage');
      return this.close(false);
    }
    return this.close(true);
  }

  /** The first failed write of this recording's file, or null. */
  get writeError(): BodycamError | null {
    return this.writeFailure;
  }

  /**
   * Abandons the recording where it is (power cut, storage failure): nothing more is written to the
   * file, which keeps its whole clusters; the manifest says it is incomplete and why.
   */
  abandon(atUs: number, reason: StopReason): Promise<RecordingManifest> {
    // A recording that had already stopped keeps its stop (its span ended there); the cut shows as
    // complete: false and as the frames it lost.
    if (this.phase === 'recording') {
      this.stopUs = atUs;
      this.stopReason = reason;
    }
    this.noteCutOff(contractStop(reason).reason);
    return this.close(false);
  }

  /**
   * A cut-off recording loses what the card had not written: the frames in the writer's open
   * cluster and the frames it still had to read from the buffer (captured before its stop).
   */
  private noteCutOff(reason: string): void {
    const inFile = this.writer.stats.videoFramesWritten;
    const lostUs = this.unflushedUs.slice(Math.max(0, this.unflushedUs.length - (this.span.frames - inFile)));
    const reader = this.setup.reader;
    // Once the first keyframe is taken (or lost here), every later frame is this recording's; so
    // is every frame after the trigger.
    let started = this.span.frames > 0;
    for (let index = 0, entry = reader.peekAt(0); entry !== undefined; index += 1, entry = reader.peekAt(index)) {
      if (entry.kind !== 'video' || this.span.outsideSpan(entry)) continue;
      if (!started && !entry.keyframe && entry.captureUs < this.setup.trigger.atUs) continue;
      started ||= entry.keyframe;
      lostUs.push(entry.captureUs);
    }
    if (lostUs.length > 0) this.losses.note(lostUs[0]!, reason, lostUs.length, lostUs.at(-1)!);
    // The same for audio: the blocks in the open cluster, and the span's part of the unread chunks.
    const pendingSamples = this.span.audioWritten - this.writer.stats.audioSamplesWritten;
    const lostAudio: { from: number; to: number }[] = [];
    let inCluster = 0;
    for (let i = this.unflushedAudio.length - 1; i >= 0 && inCluster < pendingSamples; i -= 1) {
      const block = this.unflushedAudio[i]!;
      lostAudio.unshift(block);
      inCluster += block.to - block.from;
    }
    for (let index = 0, entry = reader.peekAt(0); entry !== undefined; index += 1, entry = reader.peekAt(index)) {
      const slice = entry.kind === 'audio' ? this.span.audioSliceOf(entry.captureUs, entry.sampleCount) : null;
      if (slice !== null) lostAudio.push(slice);
    }
    const samples = lostAudio.reduce((sum, block) => sum + block.to - block.from, 0);
    if (samples > 0) {
      const fromSample = Math.min(...lostAudio.map((block) => block.from));
      const toSample = Math.max(...lostAudio.map((block) => block.to));
      this.losses.noteAudio(this.span.sampleUs(fromSample), this.span.sampleUs(toSample - 1), samples, reason);
    }
  }

  /** Closes the file at once (synchronously); the manifest follows when the hash is computed. */
  private close(complete: boolean): Promise<RecordingManifest> {
    this.phase = 'closed';
    this.setup.reader.close();
    this.writer.close?.();
    this.sink.close(complete);
    const manifest = this.writeManifest(complete).catch((error: unknown) => {
      throw BodycamError.runtime(`cannot write the manifest of recording ${this.id}: ${errorMessage(error)}`, error, { file: this.manifestFile });
    });
    // Marked as handled here: the host collects these and awaits them at the end of the run; an
    // early failure must not surface as an unhandled rejection with a stack trace meanwhile.
    manifest.catch(() => undefined);
    return manifest;
  }

  /**
   * A run failed: stop writing and close the file as it is, with no manifest (a cut-off file,
   * repairable with `bodycam repair`). Safe to call on a closed recording.
   */
  dispose(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.setup.reader.close();
    this.writer.close?.();
    this.sink.close(false);
  }

  /** The keyframe facts of what the file holds (frames up to `lastFrameUs`). */
  private keyframeFacts(lastFrameUs: number | null): KeyframeFacts {
    const keys = lastFrameUs === null ? [] : this.span.keyframesUs.filter((us) => us <= lastFrameUs);
    const windowStartUs = this.setup.trigger.atUs - this.setup.preRoll.requestedUs;
    let maxGopUs: number | null = null;
    for (let i = 1; i < keys.length; i += 1) maxGopUs = Math.max(maxGopUs ?? 0, keys[i]! - keys[i - 1]!);
    const firstUs = keys[0] ?? null;
    return {
      preRollStart: this.setup.preRollStart ?? 'keyframe-after',
      windowStartUs,
      firstUs,
      beforeWindowUs: firstUs === null ? 0 : Math.max(0, windowStartUs - firstUs),
      count: keys.length,
      firstGopUs: keys.length >= 2 ? keys[1]! - keys[0]! : null,
      maxGopUs,
    };
  }

  private async writeManifest(complete: boolean): Promise<RecordingManifest> {
    const stats = this.writer.stats;
    const frames = complete ? this.span.frames : stats.videoFramesWritten;
    const lastFrameUs = complete ? this.span.lastFrameUs : (stats.lastVideoWrittenUs === null ? null : stats.lastVideoWrittenUs + this.originUs);
    const audio = this.setup.audio;
    const samples = complete ? this.span.audioWritten : stats.audioSamplesWritten;
    const stopUs = this.stopUs ?? this.setup.trigger.atUs;
    const manifest: RecordingManifest = {
      format: 'bodycam-recording/1',
      id: this.id,
      deviceId: this.setup.deviceId,
      officerId: this.setup.officerId,
      file: basename(this.file),
      bytes: this.sink.fileBytes,
      sha256: this.sink.sha256Hex?.() ?? await sha256File(this.file),
      ...(this.sink.encryption === null ? {} : { encryption: this.sink.encryption }),
      complete,
      repaired: false,
      trigger: this.setup.trigger,
      preRoll: {
        requestedUs: this.setup.preRoll.requestedUs,
        actualUs: this.setup.preRoll.actualUs,
        limitedBy: this.setup.preRoll.limitedBy,
      },
      video: {
        codec: this.setup.format.videoCodecId,
        width: this.setup.video.width,
        height: this.setup.video.height,
        frames,
        firstFrameUs: frames > 0 ? this.span.firstFrameUs : null,
        lastFrameUs: frames > 0 ? lastFrameUs : null,
        // A GOP codec's keyframes (contract §9); MJPEG leaves it out: every frame is one.
        ...(this.setup.format.videoCodecId === VIDEO_CODEC_ID ? {} : {
          keyframes: frames === 0 || lastFrameUs === null ? 0 : this.keyframesUs.filter((us) => us <= lastFrameUs).length,
        }),
      },
      ...(this.setup.format.intraOnly === true ? {} : { keyframes: this.keyframeFacts(lastFrameUs) }),
      audio: audio === null ? null : {
        codec: this.setup.format.audioCodecId,
        sampleRate: audio.sampleRate,
        samples,
        firstSampleUs: samples > 0 ? sampleTimeUs(audio.startUs, this.span.audioFirstSample, audio.sampleRate) : null,
      },
      stop: { atUs: stopUs, ...contractStop(this.stopReason ?? 'end-of-fixture') },
      markers: [...this.markers],
      lost: this.losses.summary(),
      wallClock: {
        start: formatWallClockIso(this.setup.origin, this.originUs),
        end: formatWallClockIso(this.setup.origin, stopUs),
        trigger: formatWallClockIso(this.setup.origin, this.setup.trigger.atUs),
      },
      originUs: this.originUs,
      avSync: audio === null ? null : {
        startErrorUs: samples > 0 ? sampleTimeUs(audio.startUs, this.span.audioFirstSample, audio.sampleRate) - this.setup.audioFromUs : null,
        endErrorUs: samples > 0 ? sampleTimeUs(audio.startUs, this.span.audioFirstSample + samples, audio.sampleRate) - stopUs : null,
        maxDriftUs: this.span.maxDriftUs,
      },
    };
    const signed = this.protection.sign(manifest);
    writeFileAtomic(this.manifestFile, serializeManifest(signed));
    return signed;
  }
}

/**
 * The markers as the file's chapters, so players list them: each at its time on the file's
 * timeline, named with its number and its wall-clock time as the burn-in shows it. Markers are
 * known only as they happen, so they are written at finalize; a file cut off before it has none.
 */
function markerChapters(markersUs: readonly number[], originUs: number, durationUs: number, origin: WallClockOrigin): RecordingChapter[] {
  return markersUs
    .filter((atUs) => atUs >= originUs && atUs - originUs <= durationUs)
    .map((atUs, index) => ({ timeUs: atUs - originUs, name: `Marker ${index + 1} (${formatBurnInClock(origin, atUs)})` }));
}
