/**
 * One recording on the device's storage: it drains entries from the pre-record buffer at the
 * storage's write speed (virtual time) into an append-only Matroska file, then finalizes it and
 * writes the manifest. The pre-roll rule (contract §4) decides where it starts; this class keeps
 * every captured frame before the stop exactly once, in order, and trims audio to the sample.
 */
import { basename, join } from 'node:path';
import type { BufferEntry, BufferReader, PreRollSelection, StorageDrain } from '../buffer/index.js';
import { MatroskaWriter } from '../container/index.js';
import { BodycamError } from '../errors/index.js';
import { type StopReason, type TriggerSource, contractStop } from '../events/index.js';
import { type WallClockOrigin, firstSampleAtOrAfter, formatWallClockIso, sampleTimeUs } from '../time/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { sha256File } from './file-hash.js';
import { type RecordingManifest, serializeManifest } from './manifest.js';
import { type RecordingFileSink, type RecordingProtection, UNPROTECTED } from './protection.js';

/** The audio track a recording draws from: the fixture's sample clock. */
export interface RecordingAudioSource {
  readonly sampleRate: number;
  /** Capture time of the source's sample 0. */
  readonly startUs: number;
  readonly totalSamples: number;
}

/** Everything a recording needs at its trigger. */
export interface RecordingSetup {
  readonly id: string;
  readonly directory: string;
  readonly deviceId: string;
  readonly officerId: string;
  readonly origin: WallClockOrigin;
  readonly trigger: { readonly atUs: number; readonly source: TriggerSource };
  readonly preRoll: PreRollSelection;
  /** Seq of the pre-roll's first video frame (entries before it are audio covering it); 0 when the pre-roll is empty. */
  readonly firstFrameSeq: number;
  readonly reader: BufferReader;
  readonly drain: StorageDrain;
  readonly video: { readonly width: number; readonly height: number; readonly frameDurationUs: number };
  readonly audio: RecordingAudioSource | null;
  /** Fixture time where this recording's audio begins (first frame with preRecordAudio, else the trigger). */
  readonly audioFromUs: number;
  readonly writingApp: string;
  /** Encryption at rest and manifest signing (default: neither). */
  readonly protection?: RecordingProtection;
}

/** What one pump of the drain did. */
export interface PumpResult {
  readonly bytesWritten: number;
  /** The recording has stopped and everything it holds has been written. */
  readonly drained: boolean;
}

type RecordingPhase = 'recording' | 'stopping' | 'closed';

/** A recording in progress; see the module comment. */
export class Recording {
  readonly id: string;
  readonly file: string;
  readonly manifestFile: string;
  readonly originUs: number;
  private readonly writer: MatroskaWriter;
  private readonly sink: RecordingFileSink;
  private readonly protection: RecordingProtection;
  private phase: RecordingPhase = 'recording';
  private stopUs: number | null = null;
  private stopReason: StopReason | null = null;
  private fenceSeq: number | null = null;
  private fenced = false;
  private frames = 0;
  private firstFrameUs: number | null = null;
  private lastFrameUs: number | null = null;
  private readonly audioFirstSample: number;
  private audioEndSample: number;
  private audioCoveredTo: number;
  private audioWritten = 0;
  private maxDriftUs = 0;
  private readonly markers: number[] = [];

  constructor(private readonly setup: RecordingSetup) {
    this.id = setup.id;
    this.protection = setup.protection ?? UNPROTECTED;
    this.file = join(setup.directory, `${setup.id}${this.protection.fileSuffix}`);
    this.manifestFile = join(setup.directory, `${setup.id}.json`);
    this.originUs = setup.preRoll.firstFrameUs ?? setup.trigger.atUs;
    const audio = setup.audio;
    this.audioFirstSample = audio === null ? 0 : firstSampleAtOrAfter(audio.startUs, setup.audioFromUs, audio.sampleRate);
    this.audioEndSample = audio === null ? 0 : audio.totalSamples;
    this.audioCoveredTo = this.audioFirstSample;
    this.sink = this.protection.createSink(this.file, setup.id);
    this.writer = new MatroskaWriter(this.sink, {
      video: { width: setup.video.width, height: setup.video.height, frameDurationUs: setup.video.frameDurationUs },
      audio: audio === null ? null : { sampleRate: audio.sampleRate, channels: 1, bitDepth: 16 },
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
        BODYCAM_PREROLL_REQUESTED_US: String(setup.preRoll.requestedUs),
        BODYCAM_PREROLL_ACTUAL_US: String(setup.preRoll.actualUs),
        BODYCAM_PREROLL_LIMITED_BY: setup.preRoll.limitedBy ?? 'null',
        BODYCAM_WALLCLOCK_OFFSET_MINUTES: String(setup.origin.offsetMinutes),
      },
    });
  }

  /** True until the recording has been finalized or abandoned. */
  get open(): boolean {
    return this.phase !== 'closed';
  }

  /** True while frames are still being added (before the stop). */
  get capturing(): boolean {
    return this.phase === 'recording';
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

  /** Frames in the file so far, and the first and last frame times. */
  get videoSummary(): { frames: number; firstFrameUs: number | null; lastFrameUs: number | null } {
    return { frames: this.frames, firstFrameUs: this.firstFrameUs, lastFrameUs: this.lastFrameUs };
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
    this.fenceSeq = fenceSeq;
    const audio = this.setup.audio;
    if (audio !== null) {
      this.audioEndSample = Math.min(audio.totalSamples, firstSampleAtOrAfter(audio.startUs, atUs, audio.sampleRate));
    }
    // The audio chunk holding the stop instant is pushed only once its last sample is captured:
    // until then the reader stays open past the fence (reading audio only).
    if (audio === null || audioPushedToSample >= this.audioEndSample) this.fenceReader(fenceSeq);
  }

  /** The host pushed entry `seq` into the buffer; a stopping recording fences once its audio is covered. */
  notePushed(seq: number, entry: { readonly kind: 'video' | 'audio'; readonly captureUs: number; readonly sampleCount: number }): void {
    if (this.phase !== 'stopping' || this.fenced || entry.kind !== 'audio' || this.setup.audio === null) return;
    if (this.chunkFirstSample(entry.captureUs) + entry.sampleCount >= this.audioEndSample) this.fenceReader(seq + 1);
  }

  /** No more entries will arrive (capture ended: end of fixture, power off, dock); `nextSeq` is the buffer's. */
  endOfInput(nextSeq: number): void {
    if (this.phase === 'stopping' && !this.fenced) this.fenceReader(nextSeq);
  }

  private fenceReader(endSeq: number): void {
    this.fenced = true;
    this.setup.reader.stopAt(endSeq);
  }

  private chunkFirstSample(captureUs: number): number {
    const audio = this.setup.audio;
    return audio === null ? 0 : Math.round(((captureUs - audio.startUs) * audio.sampleRate) / 1_000_000);
  }

  /** The fixture time by which everything readable now is written (for scheduling the next pump). */
  backlogDoneUs(nowUs: number): number {
    return this.setup.drain.backlogDoneUs(this.setup.reader, nowUs, { skip: this.skip });
  }

  /** Writes what the storage can have written by `nowUs`. */
  pump(nowUs: number): PumpResult {
    if (this.phase === 'closed') return { bytesWritten: 0, drained: true };
    let bytesWritten = 0;
    this.setup.drain.drainUntil(this.setup.reader, nowUs, (entry) => {
      bytesWritten += this.take(entry);
      return 'continue';
    }, { skip: this.skip });
    return { bytesWritten, drained: this.isDrained() };
  }

  private isDrained(): boolean {
    const reader = this.setup.reader;
    return this.phase === 'stopping' && this.fenced && reader.nextSeq >= reader.endSeq;
  }

  /** Entries this recording does not hold: consumed without costing write time. Pure. */
  private readonly skip = (entry: BufferEntry): boolean => {
    if (entry.kind === 'video') {
      if (this.fenceSeq !== null && entry.seq >= this.fenceSeq) return true;
      if (entry.seq < this.setup.firstFrameSeq) return true;
      return this.frames === 0 && !entry.keyframe;
    }
    if (this.setup.audio === null) return true;
    const first = this.chunkFirstSample(entry.captureUs);
    const from = Math.max(first, this.audioFirstSample, this.audioCoveredTo);
    const to = Math.min(first + entry.sampleCount, this.audioEndSample);
    return to <= from;
  };

  /** Adds one buffer entry that {@link skip} let through to the file; returns the payload bytes written. */
  private take(entry: BufferEntry): number {
    if (entry.kind === 'video') {
      this.writer.addVideoFrame(entry.captureUs - this.originUs, entry.payload, entry.keyframe);
      this.frames += 1;
      this.firstFrameUs ??= entry.captureUs;
      this.lastFrameUs = entry.captureUs;
      return entry.payload.byteLength;
    }
    const audio = this.setup.audio;
    if (audio === null) return 0;
    const chunkFirst = this.chunkFirstSample(entry.captureUs);
    const from = Math.max(chunkFirst, this.audioFirstSample, this.audioCoveredTo);
    const to = Math.min(chunkFirst + entry.sampleCount, this.audioEndSample);
    const pcm = entry.payload.subarray((from - chunkFirst) * 2, (to - chunkFirst) * 2);
    const timestampUs = sampleTimeUs(audio.startUs, from, audio.sampleRate) - this.originUs;
    this.writer.addAudio(timestampUs, pcm);
    // Drift: the block's timestamp against the first sample's time plus the samples written so far.
    const byCountUs = sampleTimeUs(audio.startUs, this.audioFirstSample, audio.sampleRate) - this.originUs
      + Math.round((this.audioWritten * 1_000_000) / audio.sampleRate);
    if (this.audioWritten > 0 || from === this.audioFirstSample) this.maxDriftUs = Math.max(this.maxDriftUs, Math.abs(timestampUs - byCountUs));
    this.audioWritten += to - from;
    this.audioCoveredTo = to;
    return pcm.byteLength;
  }

  /**
   * Finishes the file (last cluster, Cues, Duration) at once and writes the manifest once the
   * file's hash is known. Call after {@link pump} reported `drained`.
   */
  finalize(): Promise<RecordingManifest> {
    const stopUs = this.stopUs ?? this.setup.trigger.atUs;
    this.writer.finalize(Math.max(0, stopUs - this.originUs));
    return this.close(true);
  }

  /**
   * Abandons the recording where it is (power cut, storage failure): nothing more is written to the
   * file, which keeps its whole clusters; the manifest says it is incomplete and why.
   */
  abandon(atUs: number, reason: StopReason): Promise<RecordingManifest> {
    this.stopUs = atUs;
    this.stopReason = reason;
    return this.close(false);
  }

  /** Closes the file at once (synchronously); the manifest follows when the hash is computed. */
  private close(complete: boolean): Promise<RecordingManifest> {
    this.phase = 'closed';
    this.setup.reader.close();
    this.sink.close(complete);
    const manifest = this.writeManifest(complete).catch((error: unknown) => {
      throw BodycamError.runtime(`cannot write the manifest of recording ${this.id}: ${error instanceof Error ? error.message : String(error)}`, error, { file: this.manifestFile });
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
    this.sink.close(false);
  }

  private async writeManifest(complete: boolean): Promise<RecordingManifest> {
    const stats = this.writer.stats;
    const frames = complete ? this.frames : stats.videoFramesWritten;
    const lastFrameUs = complete ? this.lastFrameUs : (stats.lastVideoWrittenUs === null ? null : stats.lastVideoWrittenUs + this.originUs);
    const audio = this.setup.audio;
    const samples = complete ? this.audioWritten : stats.audioSamplesWritten;
    const stopUs = this.stopUs ?? this.setup.trigger.atUs;
    const manifest: RecordingManifest = {
      format: 'bodycam-recording/1',
      id: this.id,
      deviceId: this.setup.deviceId,
      officerId: this.setup.officerId,
      file: basename(this.file),
      bytes: this.sink.fileBytes,
      sha256: await sha256File(this.file),
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
        codec: 'V_MJPEG',
        width: this.setup.video.width,
        height: this.setup.video.height,
        frames,
        firstFrameUs: frames > 0 ? this.firstFrameUs : null,
        lastFrameUs: frames > 0 ? lastFrameUs : null,
      },
      audio: audio === null ? null : {
        codec: 'A_PCM/INT/LIT',
        sampleRate: audio.sampleRate,
        samples,
        firstSampleUs: samples > 0 ? sampleTimeUs(audio.startUs, this.audioFirstSample, audio.sampleRate) : null,
      },
      stop: { atUs: stopUs, ...contractStop(this.stopReason ?? 'end-of-fixture') },
      markers: [...this.markers],
      wallClock: {
        start: formatWallClockIso(this.setup.origin, this.originUs),
        end: formatWallClockIso(this.setup.origin, stopUs),
        trigger: formatWallClockIso(this.setup.origin, this.setup.trigger.atUs),
      },
      originUs: this.originUs,
      avSync: audio === null ? null : {
        startErrorUs: samples > 0 ? sampleTimeUs(audio.startUs, this.audioFirstSample, audio.sampleRate) - this.setup.audioFromUs : null,
        endErrorUs: samples > 0 ? sampleTimeUs(audio.startUs, this.audioFirstSample + samples, audio.sampleRate) - stopUs : null,
        maxDriftUs: this.maxDriftUs,
      },
    };
    const signed = this.protection.sign(manifest);
    writeFileAtomic(this.manifestFile, serializeManifest(signed));
    return signed;
  }
}
