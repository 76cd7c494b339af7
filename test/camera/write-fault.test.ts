/**
 * Issue 15: a real write failure of the recording's storage reaches the firmware
 * (Device.storageWriteFailed): a `fault` (storage-write-failed), the storage reports `fail`, the
 * recording stops (storage, write-failure) and is closed as cut off; the run then ends with that
 * first error (exit 3, issue 14: a write fault is a runtime fault), its log kept as `.part`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/device/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { type RecordingManifest, type RecordingProtection, UNPROTECTED, plainFileSink } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/index.js';
import { openSource } from '../../src/source/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

/** Plain files whose writes fail (EIO) once `failAfterBytes` have been written. */
function failingStorage(failAfterBytes: number): RecordingProtection {
  return {
    ...UNPROTECTED,
    createSink: (path) => {
      const sink = plainFileSink(path);
      const guard = (bytes: number): void => {
        if (sink.position + bytes > failAfterBytes) throw new Error(`EIO: i/o error, write ${path}`);
      };
      return {
        ...sink,
        get position() {
          return sink.position;
        },
        get fileBytes() {
          return sink.fileBytes;
        },
        write: (bytes) => {
          guard(bytes.byteLength);
          sink.write(bytes);
        },
        writeParts: (parts) => {
          guard(parts.reduce((sum, part) => sum + part.byteLength, 0));
          sink.writeParts(parts);
        },
      };
    },
  };
}

/** A replay of `fixtureDir` in standby, a holster signal at 1 s, on storage that fails after `failAfterBytes`. */
async function replayFailingAfter(fixtureDir: string, outDir: string, failAfterBytes: number, onEvent?: (event: DeviceEvent) => void): ReturnType<typeof runReplay> {
  return runReplay({
    source: await openSource(fixtureDir),
    profile: resolveProfile({ preRecordSeconds: 1 }),
    origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
    initialState: 'standby',
    inputs: [{ kind: 'signal', signal: 'holster', atUs: 1_000_000 }],
    outDir,
    protection: failingStorage(failAfterBytes),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}

describe('a storage write failure reaches the firmware', () => {
  it('logs the fault, stops the recording as cut off, and the run ends with the first error', async () => {
    const fixture = await makeFixture({ fps: 10, frames: 50, audio: { sampleRate: 8000, seconds: 5 } });
    const outDir = tempDir('write-fault');
    const events: DeviceEvent[] = [];
    const run = replayFailingAfter(fixture.dir, outDir, 60_000, (event) => events.push(event));
    await expect(run).rejects.toMatchObject({ code: 'runtime', message: expect.stringContaining('EIO') });
    const fault = events.find((event) => event.type === 'fault');
    expect(fault).toMatchObject({ type: 'fault', code: 'storage-write-failed' });
    expect(fault?.type === 'fault' ? fault.message : '').toContain('EIO');
    expect(events).toContainEqual(expect.objectContaining({ type: 'storage', state: 'fail' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'recording.stop', reason: 'storage', detail: 'write-failure' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'recording.finalized', complete: false }));
    const recordings = join(outDir, 'recordings');
    const manifestName = readdirSync(recordings).find((name) => name.endsWith('.json'));
    const manifest = JSON.parse(readFileSync(join(recordings, manifestName ?? 'missing.json'), 'utf8')) as { complete: boolean; bytes: number };
    expect(manifest).toMatchObject({ complete: false, stop: { reason: 'storage', detail: 'write-failure' } });
    expect(manifest.bytes).toBeLessThanOrEqual(60_000);
    expect(readFileSync(join(outDir, 'events.jsonl.part'), 'utf8').trim().split('\n')).toHaveLength(events.length);
  });

  it('counts every frame and audio sample up to the stop as in the file or lost, none twice, wherever the write fails', async () => {
    // The entry whose write the storage refuses was taken from the buffer but is not in the file:
    // it was dropped from `lost` (the audio chunk cut short the count by 160 samples).
    const fixture = await makeFixture({ fps: 10, frames: 40, audio: { sampleRate: 8000, seconds: 4 } });
    for (const failAfterBytes of [30_000, 45_000, 70_000, 90_000]) {
      const outDir = tempDir('write-fault-count');
      const run = replayFailingAfter(fixture.dir, outDir, failAfterBytes);
      await expect(run).rejects.toMatchObject({ code: 'runtime' });
      const recordings = join(outDir, 'recordings');
      const m = JSON.parse(readFileSync(join(recordings, readdirSync(recordings).find((name) => name.endsWith('.json')) ?? 'missing.json'), 'utf8')) as RecordingManifest;
      const at = `failing after ${failAfterBytes} bytes`;
      // Frames: 10 fps from the first one up to the stop, each in the file or lost.
      const firstUs = m.video.firstFrameUs ?? 0;
      expect(m.video.frames + (m.lost?.frames ?? 0), at).toBe(Math.ceil((m.stop.atUs - firstUs) / 100_000));
      // Audio: the lost samples start where the file's end, with no overlap and no gap.
      const fileEndUs = (m.audio?.firstSampleUs ?? 0) + ((m.audio?.samples ?? 0) * 1_000_000) / 8000;
      expect(m.lost?.audio?.fromUs, at).toBe(fileEndUs);
      expect(((m.lost?.audio?.toUs ?? 0) - (m.lost?.audio?.fromUs ?? 0)) / 125 + 1, at).toBe(m.lost?.audio?.samples);
      // ... and reach the last chunk captured before the stop (20 ms chunks; the one ending at the stop is not pushed yet).
      expect(m.lost?.audio?.toUs ?? 0, at).toBeGreaterThanOrEqual(m.stop.atUs - 20_000 - 125);
    }
  }, 60_000);
});

