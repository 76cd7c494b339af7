/**
 * Issue 15: a real write failure of the recording's storage reaches the firmware
 * (Device.storageWriteFailed): a `fault` (storage-write-failed), the storage reports `fail`, the
 * recording stops (storage, write-failure) and is closed as cut off; the run goes on and ends
 * normally instead of crashing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/device/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { type RecordingProtection, UNPROTECTED, plainFileSink } from '../../src/recorder/index.js';
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

describe('a storage write failure reaches the firmware', () => {
  it('logs the fault, stops the recording as cut off, and the run ends normally', async () => {
    const fixture = await makeFixture({ fps: 10, frames: 50, audio: { sampleRate: 8000, seconds: 5 } });
    const outDir = tempDir('write-fault');
    const events: DeviceEvent[] = [];
    const result = await runReplay({
      source: await openSource(fixture.dir),
      profile: resolveProfile({ preRecordSeconds: 1 }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
      initialState: 'standby',
      inputs: [{ kind: 'signal', signal: 'holster', atUs: 1_000_000 }],
      outDir,
      protection: failingStorage(60_000),
      onEvent: (event) => events.push(event),
    });
    const fault = events.find((event) => event.type === 'fault');
    expect(fault).toMatchObject({ type: 'fault', code: 'storage-write-failed' });
    expect(fault?.type === 'fault' ? fault.message : '').toContain('EIO');
    expect(events).toContainEqual(expect.objectContaining({ type: 'storage', state: 'fail' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'recording.stop', reason: 'storage', detail: 'write-failure' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'recording.finalized', complete: false }));
    const [manifest] = result.recordings;
    expect(manifest).toMatchObject({ complete: false, stop: { reason: 'storage', detail: 'write-failure' } });
    expect(manifest?.bytes).toBeLessThanOrEqual(60_000);
    expect(readFileSync(join(outDir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(events.length);
  });
});
