/**
 * `bodycam repair`: a cut-off recording (power cut, killed process) rebuilt as a finalized file:
 * Matroska with Duration and Cues, or a fragmented MP4 re-muxed through mediabunny with every
 * whole fragment and its `mfra` index (src/container/mp4/repair-mp4.ts). The original is never modified, and nothing is written into `recordings/`
 * (the device's own files: a run, `verify` and offload work on them as the device left them):
 * the repaired file and its manifest go beside the run's folders, `DIR/repaired/<id>.repaired.mkv`
 * (`.mp4`) and `.json`, or to `--out`. The manifest carries the original facts (repair-facts.ts), says
 * `complete: false` and `repaired: true`, names the cut-off original and its SHA-256, and is signed
 * by the caller's `sign` (the device key). A complete recording is left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isMp4, MP4_AUDIO_CODEC_ID, MP4_VIDEO_CODEC_ID, type Mp4CutFragment, readFragmentedMp4, readMatroska, repairFragmentedMp4, repairMatroska } from '../container/index.js';
import { BodycamError } from '../errors/index.js';
import { readInputFileSync } from '../io/index.js';
import { formatWallClockIso } from '../time/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { LossTally } from './lost-frames.js';
import { type RecordingManifest, serializeManifest } from './manifest.js';
import { parseEventLines, recoverRepairFacts } from './repair-facts.js';
import type { DeviceEvent } from '../events/index.js';

/** What a repair wrote. */
export interface RepairReport {
  readonly kind: 'repaired';
  readonly file: string;
  readonly manifestFile: string;
  readonly manifest: RecordingManifest;
  readonly droppedBytes: number;
  /** Duration of the repaired file. */
  readonly durationUs: number;
  /** Facts that could not be recovered, for the user. */
  readonly notes: readonly string[];
}

/** A recording that needs no repair: nothing was written. */
export interface RepairNotNeeded {
  readonly kind: 'complete';
  readonly file: string;
  readonly reason: string;
}

/** Options of {@link repairRecording}. */
export interface RepairOptions {
  /** The folder to write into (default: `repaired/` beside the run's `recordings/`). */
  readonly outDir?: string;
  /** Signs the manifest (the device key); default: unsigned. */
  readonly sign?: (manifest: RecordingManifest) => RecordingManifest;
}

/** The largest recording repaired (it is held in memory twice). */
const MAX_REPAIR_BYTES = 2 ** 31 - 1;
const RECORDINGS = 'recordings';

/** Where repairs of `input` go by default: DIR/repaired for DIR/recordings/X.mkv (.mp4), else repaired/ beside the file. */
export function defaultRepairDir(input: string): string {
  const folder = dirname(resolve(input));
  return basename(folder) === RECORDINGS ? join(dirname(folder), 'repaired') : join(folder, 'repaired');
}

/** What a repair keeps of a cut-off file, whatever its container: the rebuilt bytes and what they hold (file times, µs from the origin). */
interface Kept {
  readonly bytes: Uint8Array;
  readonly extension: '.mkv' | '.mp4';
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  /** Keyframes, for a GOP codec (absent for MJPEG, whose every frame is one). */
  readonly keyframes?: number;
  readonly firstFrameUs: number | null;
  readonly lastFrameUs: number | null;
  readonly audio: { readonly codec: string; readonly sampleRate: number; readonly samples: number; readonly firstSampleUs: number | null } | null;
  readonly durationUs: number;
  readonly droppedBytes: number;
  readonly tags: Readonly<Record<string, string>>;
  /** The file's date (device clock), Unix ms, at its origin; undefined when the file has none. */
  readonly dateUtcMs: number | undefined;
  /** What the cut-off tail announced but does not hold (MP4: a whole `moof` whose `mdat` is cut), or null. */
  readonly cut: Mp4CutFragment | null;
}

/** Repairs `input` (a cut-off .mkv or fragmented .mp4); see the module comment. */
export async function repairRecording(input: string, options: RepairOptions = {}): Promise<RepairReport | RepairNotNeeded> {
  if (!existsSync(input)) throw BodycamError.badInput({ file: input }, 'a recording (.mkv or .mp4)', 'nothing at that path');
  if (/\.enc$/i.test(input)) {
    throw BodycamError.badInput({ file: input }, 'an unencrypted recording', 'a recording encrypted at rest: the device cannot decrypt it; offload it as it is (the back office reads what it holds)');
  }
  const outDir = resolve(options.outDir ?? defaultRepairDir(input));
  if (basename(outDir) === RECORDINGS || outDir.split(sep).includes(RECORDINGS)) {
    throw BodycamError.usage(`--out: expected a folder outside recordings/ (the device's own files are never written by a repair), got ${outDir}`);
  }
  const original = readInputFileSync(input, { what: 'a recording (.mkv or .mp4)', maxBytes: MAX_REPAIR_BYTES });
  const previous = readSiblingManifest(input);
  const mp4 = isMp4(original);
  let matroskaTags: Readonly<Record<string, string>> = {};
  if (mp4) {
    const layout = readFragmentedMp4(original, { file: input });
    if (layout.finalized && (previous === null || previous.complete)) {
      return { kind: 'complete', file: input, reason: previous === null ? 'the fragmented MP4 is finalized (its mfra index is there)' : 'the fragmented MP4 is finalized and its manifest says complete: true' };
    }
  } else {
    const parsed = readMatroska(original, { file: input });
    if (parsed.finalized && !parsed.truncated && (previous === null || previous.complete)) {
      return { kind: 'complete', file: input, reason: previous === null ? 'the file is finalized (Duration, Cues, Segment size)' : 'the file is finalized and its manifest says complete: true' };
    }
    matroskaTags = parsed.tags;
  }
  const originalId = previous?.id ?? basename(input).replace(/\.(mkv|mp4)$/i, '');
  const id = `${originalId}.repaired`;
  const outFile = join(outDir, `${id}${mp4 ? '.mp4' : '.mkv'}`);
  const manifestFile = join(outDir, `${id}.json`);
  for (const target of [outFile, manifestFile]) {
    if (existsSync(target)) {
      throw BodycamError.badInput({ file: target }, 'no repaired file there yet (a repair never overwrites one: keep it, or repair to another --out)', 'a file');
    }
  }
  const kept = mp4 ? await keptOfMp4(original, input) : keptOfMatroska(original, matroskaTags, input, outFile);
  const events = readEventLog(input);
  const facts = recoverRepairFacts(originalId, previous, kept.tags, events);
  const originUs = Number(kept.tags.BODYCAM_ORIGIN_US ?? previous?.originUs ?? 0);
  const epochMs = kept.dateUtcMs === undefined ? 0 : kept.dateUtcMs - Math.floor(originUs / 1000);
  const origin = { epochMs, offsetMinutes: facts.offsetMinutes };
  const endUs = originUs + kept.durationUs;
  // Without a known stop, the recording ends where what was kept ends: cut off, not stopped.
  const stop = facts.stop ?? { atUs: endUs, reason: 'power-cut' as const, detail: 'cut-off' };
  const at = (us: number | null): number | null => (us === null ? null : us + originUs);
  const stopEvent = (events ?? []).find((event) => event.type === 'recording.stop' && event.id === originalId) as Extract<DeviceEvent, { type: 'recording.stop' }> | undefined;
  const lost = repairedLoss(previous, stopEvent ?? null, kept, originUs);
  const notes = [...facts.notes];
  if (previous === null && stopEvent === undefined && mp4) {
    notes.push(kept.cut === null
      ? 'lost: the cut fell before the next fragment\'s moof, so the frames after the last whole fragment cannot be counted (lost says null)'
      : 'lost: the frames and audio the cut-off fragment\'s moof announces; later ones (never written) cannot be counted');
  }
  const manifest: RecordingManifest = {
    format: 'bodycam-recording/1',
    id,
    deviceId: facts.deviceId,
    officerId: facts.officerId,
    file: basename(outFile),
    bytes: kept.bytes.byteLength,
    sha256: createHash('sha256').update(kept.bytes).digest('hex'),
    complete: false,
    repaired: true,
    trigger: facts.trigger,
    preRoll: facts.preRoll,
    video: {
      codec: kept.codec,
      width: kept.width,
      height: kept.height,
      frames: kept.frames,
      firstFrameUs: at(kept.firstFrameUs),
      lastFrameUs: at(kept.lastFrameUs),
      // A GOP codec's manifest counts its keyframes (contract §9); MJPEG's every frame is one.
      ...(kept.keyframes === undefined ? {} : { keyframes: kept.keyframes }),
    },
    audio: kept.audio === null ? null : { ...kept.audio, firstSampleUs: at(kept.audio.firstSampleUs) },
    stop,
    markers: [...facts.markers],
    ...(lost === undefined ? {} : { lost }),
    wallClock: facts.wallClock ?? {
      start: formatWallClockIso(origin, originUs),
      end: formatWallClockIso(origin, stop.atUs),
      trigger: formatWallClockIso(origin, facts.trigger.atUs),
    },
    originUs,
    repairedFrom: {
      id: originalId,
      file: basename(input),
      bytes: original.byteLength,
      sha256: createHash('sha256').update(original).digest('hex'),
      droppedBytes: kept.droppedBytes,
    },
  };
  const signed = options.sign === undefined ? manifest : options.sign(manifest);
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(outFile, kept.bytes);
  writeFileAtomic(manifestFile, serializeManifest(signed));
  return { kind: 'repaired', file: outFile, manifestFile, manifest: signed, droppedBytes: kept.droppedBytes, durationUs: kept.durationUs, notes };
}

/** `tags`: the original's, read when it was checked for completeness (it is not parsed twice). */
function keptOfMatroska(original: Uint8Array, tags: Readonly<Record<string, string>>, input: string, outFile: string): Kept {
  const repaired = repairMatroska(original, { file: input });
  const file = readMatroska(repaired.bytes, { file: outFile });
  const video = file.tracks.find((t) => t.type === 'video');
  const audio = file.tracks.find((t) => t.type === 'audio');
  const videoBlocks = file.blocks.filter((b) => b.trackNumber === video?.number);
  const audioBlocks = file.blocks.filter((b) => b.trackNumber === audio?.number);
  const codec = video?.codecId ?? 'V_MJPEG';
  return {
    bytes: repaired.bytes,
    extension: '.mkv',
    codec,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    frames: repaired.frames,
    ...(codec === 'V_MJPEG' ? {} : { keyframes: videoBlocks.filter((block) => block.keyframe).length }),
    firstFrameUs: videoBlocks[0]?.timestampUs ?? null,
    lastFrameUs: videoBlocks.at(-1)?.timestampUs ?? null,
    audio: audio === undefined ? null : { codec: 'A_PCM/INT/LIT', sampleRate: audio.sampleRate ?? 0, samples: repaired.audioSamples, firstSampleUs: audioBlocks[0]?.timestampUs ?? null },
    durationUs: repaired.durationUs,
    droppedBytes: repaired.droppedBytes,
    tags,
    dateUtcMs: file.info.dateUtcMs,
    cut: null,
  };
}

async function keptOfMp4(original: Uint8Array, input: string): Promise<Kept> {
  const repaired = await repairFragmentedMp4(original, { file: input });
  return {
    bytes: repaired.bytes,
    extension: '.mp4',
    codec: MP4_VIDEO_CODEC_ID,
    width: repaired.width,
    height: repaired.height,
    frames: repaired.frames,
    keyframes: repaired.keyframes,
    firstFrameUs: repaired.firstFrameUs,
    lastFrameUs: repaired.lastFrameUs,
    audio: repaired.audio === null ? null : { codec: MP4_AUDIO_CODEC_ID, ...repaired.audio },
    durationUs: repaired.durationUs,
    droppedBytes: repaired.droppedBytes,
    tags: repaired.tags,
    dateUtcMs: repaired.dateUtcMs,
    cut: repaired.cut,
  };
}

/**
 * The repaired file's `lost` (contract §12): what the device's manifest counted (a power cut
 * writes one), plus the frames it counted as written that the repair could not keep; else, when
 * the event log has the recording's stop, the frames it counted there that the file does not
 * hold; else what the cut-off tail announces (an MP4 fragment's whole `moof`). Undefined for a
 * Matroska file with neither (a partial cluster is not read: lost stays absent, as before).
 */
function repairedLoss(previous: RecordingManifest | null, stopEvent: Extract<DeviceEvent, { type: 'recording.stop' }> | null, kept: Kept, originUs: number): RecordingManifest['lost'] {
  const tally = new LossTally();
  // The first frame the file lacks: the cut fragment's first, else just after the last one kept.
  const cutFromUs = kept.cut?.videoFromUs ?? null;
  const firstMissingUs = cutFromUs !== null ? cutFromUs + originUs
    : kept.lastFrameUs === null ? null : kept.lastFrameUs + originUs + 1;
  if (previous !== null) {
    if (previous.lost === undefined) return undefined;
    const missing = previous.video.frames - kept.frames;
    if (missing <= 0) return previous.lost;
    if (previous.lost !== null) {
      for (const [reason, count] of Object.entries(previous.lost.byReason)) tally.note(previous.lost.fromUs, reason, count, previous.lost.toUs);
      if (previous.lost.audio !== undefined) {
        for (const [reason, samples] of Object.entries(previous.lost.audio.byReason)) tally.noteAudio(previous.lost.audio.fromUs, previous.lost.audio.toUs, samples, reason);
      }
    }
    const fromUs = firstMissingUs ?? previous.video.firstFrameUs ?? 0;
    tally.note(fromUs, 'cut-off', missing, previous.video.lastFrameUs ?? fromUs);
    return tally.summary();
  }
  if (stopEvent !== null) {
    const missing = stopEvent.frames - kept.frames;
    if (missing <= 0) return null;
    const fromUs = firstMissingUs ?? stopEvent.lastFrameUs ?? 0;
    tally.note(fromUs, 'cut-off', missing, stopEvent.lastFrameUs ?? fromUs);
    return tally.summary();
  }
  if (kept.extension === '.mkv') return undefined;
  const cut = kept.cut;
  if (cut === null) return null;
  if (cut.videoFromUs !== null) tally.note(cut.videoFromUs + originUs, 'cut-off', cut.videoFrames, (cut.videoToUs ?? cut.videoFromUs) + originUs);
  if (cut.audioFromUs !== null) tally.noteAudio(cut.audioFromUs + originUs, (cut.audioToUs ?? cut.audioFromUs) + originUs, cut.audioSamples, 'cut-off');
  return tally.summary();
}

/** The manifest beside `input`, when there is one that reads as a manifest. */
function readSiblingManifest(input: string): RecordingManifest | null {
  const path = input.replace(/\.(mkv|mp4)$/i, '.json');
  if (path === input || !existsSync(path)) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(readInputFileSync(path, { what: 'a recording manifest', maxBytes: 1 << 20 }))) as unknown;
    return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === 'bodycam-recording/1' ? value as RecordingManifest : null;
  } catch {
    return null;
  }
}

/** The run's event log beside recordings/ (events.jsonl, or the .part a killed run leaves), or null. */
function readEventLog(input: string): ReturnType<typeof parseEventLines> | null {
  const folder = dirname(resolve(input));
  if (basename(folder) !== RECORDINGS) return null;
  for (const name of ['events.jsonl', 'events.jsonl.part']) {
    const path = join(dirname(folder), name);
    if (!existsSync(path)) continue;
    try {
      return parseEventLines(new TextDecoder().decode(readInputFileSync(path, { what: 'an event log', maxBytes: 512 * 1024 * 1024 })));
    } catch {
      return null; // a log that cannot be read is as good as none; the notes say what is missing
    }
  }
  return null;
}
