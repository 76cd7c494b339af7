/**
 * Drives the real pipeline (CameraHost: PreRecordBuffer, StorageDrain, Recording, MatroskaWriter)
 * on a virtual clock with in-memory recording files, and reads back what each file holds.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryByteSink, readMatroska } from '../../src/container/index.js';
import { type DeviceProfile, resolveProfile } from '../../src/device/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingFileSink, RecordingManifest, RecordingProtection } from '../../src/recorder/index.js';
import { CameraHost } from '../../src/camera/camera-host.js';
import { MATROSKA_MJPEG_FORMAT } from '../../src/container/index.js';
import { EncodedPacket } from '../../src/media/index.js';
import { VirtualClock, parseWallClock } from '../../src/time/index.js';
import { type PipelineOp, type PipelineParams, framePayload, payloadIndex } from './pipeline-model.js';

/** One recording as the real pipeline left it. */
export interface RealRecording {
  readonly manifest: RecordingManifest;
  /** Frame indices read back from the file's video blocks, in file order (-1: a corrupted payload). */
  readonly frames: number[];
}

/** A recording file kept in memory (the sink the property test asks for). */
class MemoryRecordingFile implements RecordingFileSink {
  readonly bytes = new MemoryByteSink(4096);
  readonly encryption = null;
  closed = false;
  get position(): number {
    return this.bytes.position;
  }
  get fileBytes(): number {
    return this.bytes.position;
  }
  write(data: Uint8Array): void {
    this.bytes.write(data);
  }
  writeParts(parts: readonly Uint8Array[]): void {
    this.bytes.writeParts(parts);
  }
  patch(offset: number, data: Uint8Array): void {
    this.bytes.patch(offset, data);
  }
  close(): void {
    this.closed = true;
  }
  sha256Hex(): string {
    return createHash('sha256').update(this.bytes.view()).digest('hex');
  }
}

/** The profile of a pipeline run. */
export function pipelineProfile(params: PipelineParams): DeviceProfile {
  return resolveProfile({
    bufferBytes: params.bufferBytes,
    preRecordSeconds: params.preRecordUs / 1_000_000,
    preRollOverlap: params.overlap,
    storageWriteBytesPerSecond: params.bytesPerSecond,
  });
}

/** Runs `ops` through the real host; the input ends at `endUs`. */
export async function runReal(params: PipelineParams, ops: readonly PipelineOp[], endUs: number): Promise<{ recordings: RealRecording[]; events: DeviceEvent[] }> {
  const clock = new VirtualClock(0);
  const events: DeviceEvent[] = [];
  const files = new Map<string, MemoryRecordingFile>();
  const protection: RecordingProtection = {
    fileSuffix: '',
    createSink: (path) => {
      const file = new MemoryRecordingFile();
      files.set(path, file);
      return file;
    },
    sign: (manifest) => manifest,
  };
  const dir = mkdtempSync(join(tmpdir(), 'bodycam-pipeline-'));
  const profile = pipelineProfile(params);
  try {
    const host = new CameraHost({
      profile: { ...profile, preRecordSeconds: params.preRecordUs / 1_000_000 },
      // No firmware here: the ops drive the host directly, so its reports have no one to hear them.
      clock, emit: (event) => events.push(event), reports: () => undefined, origin: parseWallClock('2026-01-01T00:00:00Z'), recordingsDir: dir,
      video: { width: 16, height: 16, frameDurationUs: 33_333 }, audio: null, slotCount: params.slotCount, writingApp: 'pipeline-test', format: MATROSKA_MJPEG_FORMAT, protection,
    });
    host.setBuffering(true);
    for (const op of ops) {
      clock.advanceTo(op.atUs);
      switch (op.kind) {
        case 'frame':
          host.captureVideo(new EncodedPacket(framePayload(op.index, op.size), 'key', op.atUs, 0));
          break;
        case 'trigger':
          host.startRecording(op.atUs, 'button');
          break;
        case 'stop':
          host.stopRecording(op.atUs, 'button');
          break;
        case 'power-cut':
          host.powerCut(op.atUs);
          break;
        case 'power-on':
          host.setBuffering(true);
          break;
        case 'storage-fail':
          host.setStorageFailed(true, op.atUs);
          break;
        case 'storage-ok':
          host.setStorageFailed(false, op.atUs);
          break;
      }
    }
    clock.advanceTo(Math.max(clock.nowUs(), endUs));
    host.stopRecording(clock.nowUs(), 'end-of-fixture');
    host.endOfInput(clock.nowUs());
    while (host.busy) {
      const next = clock.nextDueUs();
      if (next === undefined) throw new Error('real pipeline: a recording is open with nothing scheduled');
      clock.advanceTo(Math.max(next, clock.nowUs()));
    }
    const manifests = await Promise.all(host.finished);
    // Recordings in the order they started (finished lists them in the order they closed).
    manifests.sort((a, b) => a.trigger.atUs - b.trigger.atUs);
    return {
      events,
      recordings: manifests.map((manifest) => {
        const file = files.get(join(dir, manifest.file));
        if (file === undefined) throw new Error(`real pipeline: no file for ${manifest.file}`);
        const blocks = readMatroska(file.bytes.toBytes()).blocks.filter((block) => block.trackNumber === 1);
        return { manifest, frames: blocks.map((block) => payloadIndex(block.payload)) };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
