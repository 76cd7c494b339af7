/**
 * `bodycam repair`: a cut-off recording (power cut, killed process) rebuilt as a finalized file
 * (Duration, Cues). The original is never modified, and nothing is written into `recordings/`
 * (the device's own files: a run, `verify` and offload work on them as the device left them):
 * the repaired file and its manifest go beside the run's folders, `DIR/repaired/<id>.repaired.mkv`
 * and `.json`, or to `--out`. The manifest carries the original facts (repair-facts.ts), says
 * `complete: false` and `repaired: true`, names the cut-off original and its SHA-256, and is signed
 * by the caller's `sign` (the device key). A complete recording is left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isMp4, readMatroska, repairMatroska } from '../container/index.js';
import { BodycamError } from '../errors/index.js';
import { readInputFileSync } from '../io/index.js';
import { formatWallClockIso } from '../time/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { type RecordingManifest, serializeManifest } from './manifest.js';
import { parseEventLines, recoverRepairFacts } from './repair-facts.js';

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

/** Where repairs of `input` go by default: DIR/repaired for DIR/recordings/X.mkv, else repaired/ beside the file. */
export function defaultRepairDir(input: string): string {
  const folder = dirname(resolve(input));
  return basename(folder) === RECORDINGS ? join(dirname(folder), 'repaired') : join(folder, 'repaired');
}

/** Repairs `input` (a cut-off .mkv); see the module comment. */
export function repairRecording(input: string, options: RepairOptions = {}): RepairReport | RepairNotNeeded {
  if (!existsSync(input)) throw BodycamError.badInput({ file: input }, 'a Matroska recording', 'nothing at that path');
  if (/\.enc$/i.test(input)) {
    throw BodycamError.badInput({ file: input }, 'an unencrypted recording', 'a recording encrypted at rest: the device cannot decrypt it; offload it as it is (the back office reads what it holds)');
  }
  const outDir = resolve(options.outDir ?? defaultRepairDir(input));
  if (basename(outDir) === RECORDINGS || outDir.split(sep).includes(RECORDINGS)) {
    throw BodycamError.usage(`--out: expected a folder outside recordings/ (the device's own files are never written by a repair), got ${outDir}`);
  }
  const original = readInputFileSync(input, { what: 'a Matroska recording', maxBytes: MAX_REPAIR_BYTES });
  if (isMp4(original)) {
    // A cut-off fragmented MP4 needs no rebuilding to play: players, `bodycam run` and `verify` read its whole fragments as they are.
    throw BodycamError.badInput({ file: input }, 'a Matroska recording: repairing an MP4 recording is not supported yet (a cut-off fragmented MP4 plays as it is up to its last whole fragment: ffmpeg, VLC, bodycam run)', 'an MP4 file');
  }
  const parsed = readMatroska(original, { file: input });
  const previous = readSiblingManifest(input);
  if (parsed.finalized && !parsed.truncated && (previous === null || previous.complete)) {
    return { kind: 'complete', file: input, reason: previous === null ? 'the file is finalized (Duration, Cues, Segment size)' : 'the file is finalized and its manifest says complete: true' };
  }
  const originalId = previous?.id ?? basename(input).replace(/\.mkv$/i, '');
  const id = `${originalId}.repaired`;
  const outFile = join(outDir, `${id}.mkv`);
  const manifestFile = join(outDir, `${id}.json`);
  for (const target of [outFile, manifestFile]) {
    if (existsSync(target)) {
      throw BodycamError.badInput({ file: target }, 'no repaired file there yet (a repair never overwrites one: keep it, or repair to another --out)', 'a file');
    }
  }
  const repaired = repairMatroska(original, { file: input });
  const file = readMatroska(repaired.bytes, { file: outFile });
  const events = readEventLog(input);
  const facts = recoverRepairFacts(originalId, previous, parsed.tags, events);
  const video = file.tracks.find((t) => t.type === 'video');
  const audio = file.tracks.find((t) => t.type === 'audio');
  const videoBlocks = file.blocks.filter((b) => b.trackNumber === video?.number);
  const audioBlocks = file.blocks.filter((b) => b.trackNumber === audio?.number);
  const originUs = Number(parsed.tags.BODYCAM_ORIGIN_US ?? previous?.originUs ?? 0);
  const epochMs = file.info.dateUtcMs === undefined ? 0 : file.info.dateUtcMs - Math.floor(originUs / 1000);
  const origin = { epochMs, offsetMinutes: facts.offsetMinutes };
  const endUs = originUs + repaired.durationUs;
  // Without a known stop, the recording ends where what was kept ends: cut off, not stopped.
  const stop = facts.stop ?? { atUs: endUs, reason: 'power-cut' as const, detail: 'cut-off' };
  const manifest: RecordingManifest = {
    format: 'bodycam-recording/1',
    id,
    deviceId: facts.deviceId,
    officerId: facts.officerId,
    file: basename(outFile),
    bytes: repaired.bytes.byteLength,
    sha256: createHash('sha256').update(repaired.bytes).digest('hex'),
    complete: false,
    repaired: true,
    trigger: facts.trigger,
    preRoll: facts.preRoll,
    video: {
      codec: video?.codecId ?? 'V_MJPEG',
      width: video?.width ?? 0,
      height: video?.height ?? 0,
      frames: repaired.frames,
      firstFrameUs: videoBlocks.length === 0 ? null : (videoBlocks[0]?.timestampUs ?? 0) + originUs,
      lastFrameUs: videoBlocks.length === 0 ? null : (videoBlocks[videoBlocks.length - 1]?.timestampUs ?? 0) + originUs,
      // A GOP codec's manifest counts its keyframes (contract §9); MJPEG's every frame is one.
      ...(video?.codecId === 'V_MJPEG' ? {} : { keyframes: videoBlocks.filter((block) => block.keyframe).length }),
    },
    audio: audio === undefined ? null : {
      codec: 'A_PCM/INT/LIT',
      sampleRate: audio.sampleRate ?? 0,
      samples: repaired.audioSamples,
      firstSampleUs: audioBlocks.length === 0 ? null : (audioBlocks[0]?.timestampUs ?? 0) + originUs,
    },
    stop,
    markers: [...facts.markers],
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
      droppedBytes: repaired.droppedBytes,
    },
  };
  const signed = options.sign === undefined ? manifest : options.sign(manifest);
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(outFile, repaired.bytes);
  writeFileAtomic(manifestFile, serializeManifest(signed));
  return { kind: 'repaired', file: outFile, manifestFile, manifest: signed, droppedBytes: repaired.droppedBytes, durationUs: repaired.durationUs, notes: facts.notes };
}

/** The manifest beside `input`, when there is one that reads as a manifest. */
function readSiblingManifest(input: string): RecordingManifest | null {
  const path = input.replace(/\.mkv$/i, '.json');
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
