/**
 * `bodycam repair`: a cut-off recording (power cut, killed process) rewritten as a finalized file
 * (Duration, Cues) beside the original, which is never modified: `<name>.repaired.mkv` and
 * `<name>.repaired.json`, a manifest marked `repaired` that names the original and its hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readMatroska, repairMatroska } from '../container/index.js';
import { BodycamError } from '../errors/index.js';
import type { StopReason, TriggerSource } from '../events/index.js';
import { formatWallClockIso } from '../time/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { type RecordingManifest, serializeManifest } from './manifest.js';

/** What a repair wrote. */
export interface RepairReport {
  readonly file: string;
  readonly manifestFile: string;
  readonly manifest: RecordingManifest;
  readonly droppedBytes: number;
  /** Duration of the repaired file. */
  readonly durationUs: number;
}

/** Repairs `input` (a .mkv); `output` defaults to `<name>.repaired.mkv` beside it. */
export function repairRecording(input: string, output?: string): RepairReport {
  if (!existsSync(input)) throw BodycamError.badInput({ file: input }, 'a Matroska recording', 'nothing at that path');
  const original = new Uint8Array(readFileSync(input));
  const repaired = repairMatroska(original, { file: input });
  const outFile = output ?? join(dirname(input), `${basename(input).replace(/\.mkv$/i, '')}.repaired.mkv`);
  writeFileAtomic(outFile, repaired.bytes);
  const file = readMatroska(repaired.bytes, { file: outFile });
  const video = file.tracks.find((t) => t.type === 'video');
  const audio = file.tracks.find((t) => t.type === 'audio');
  const videoBlocks = file.blocks.filter((b) => b.trackNumber === video?.number);
  const audioBlocks = file.blocks.filter((b) => b.trackNumber === audio?.number);
  const originUs = Number(file.tags.BODYCAM_ORIGIN_US ?? 0);
  const previous = readSiblingManifest(input);
  const id = previous?.id ?? basename(input).replace(/\.mkv$/i, '');
  const epochMs = file.info.dateUtcMs === undefined ? 0 : file.info.dateUtcMs - Math.floor(originUs / 1000);
  const origin = { epochMs, offsetMinutes: 0 };
  const stop = previous?.stop ?? { atUs: originUs + repaired.durationUs, reason: 'power-cut' as StopReason };
  const manifest: RecordingManifest = {
    format: 'bodycam-recording/1',
    id,
    deviceId: previous?.deviceId ?? file.tags.BODYCAM_DEVICE_ID ?? 'unknown',
    officerId: previous?.officerId ?? file.tags.BODYCAM_OFFICER_ID ?? 'unknown',
    file: basename(outFile),
    bytes: repaired.bytes.byteLength,
    sha256: createHash('sha256').update(repaired.bytes).digest('hex'),
    complete: true,
    repaired: true,
    trigger: previous?.trigger ?? { atUs: Number(file.tags.BODYCAM_TRIGGER_US ?? originUs), source: 'button' as TriggerSource },
    preRoll: previous?.preRoll ?? { requestedUs: 0, actualUs: 0, limitedBy: null },
    video: {
      codec: 'V_MJPEG',
      width: video?.width ?? 0,
      height: video?.height ?? 0,
      frames: repaired.frames,
      firstFrameUs: videoBlocks.length === 0 ? null : (videoBlocks[0]?.timestampUs ?? 0) + originUs,
      lastFrameUs: videoBlocks.length === 0 ? null : (videoBlocks[videoBlocks.length - 1]?.timestampUs ?? 0) + originUs,
    },
    audio: audio === undefined ? null : {
      codec: 'A_PCM/INT/LIT',
      sampleRate: audio.sampleRate ?? 0,
      samples: repaired.audioSamples,
      firstSampleUs: audioBlocks.length === 0 ? null : (audioBlocks[0]?.timestampUs ?? 0) + originUs,
    },
    stop,
    markers: previous?.markers ?? [],
    wallClock: previous?.wallClock ?? {
      start: formatWallClockIso(origin, originUs),
      end: formatWallClockIso(origin, originUs + repaired.durationUs),
      trigger: formatWallClockIso(origin, Number(file.tags.BODYCAM_TRIGGER_US ?? originUs)),
    },
    originUs,
    repairedFrom: {
      file: basename(input),
      bytes: original.byteLength,
      sha256: createHash('sha256').update(original).digest('hex'),
      droppedBytes: repaired.droppedBytes,
    },
  };
  const manifestFile = outFile.replace(/\.mkv$/i, '.json');
  writeFileAtomic(manifestFile, serializeManifest(manifest));
  return { file: outFile, manifestFile, manifest, droppedBytes: repaired.droppedBytes, durationUs: repaired.durationUs };
}

function readSiblingManifest(input: string): RecordingManifest | null {
  const path = input.replace(/\.mkv$/i, '.json');
  if (path === input || !existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RecordingManifest;
  } catch {
    return null;
  }
}
