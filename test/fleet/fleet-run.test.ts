/**
 * Issue 18, done when: several cameras with a holster signal give each camera of the sender's
 * group one recording, triggered at the signal time plus the bus latency (the sender at once),
 * each pre-roll exact by contract §4; a camera of another group is untouched. Cameras on one
 * fixture share each source frame (read and decoded once).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Camera } from '../../src/camera/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { type FleetRunResult, runFleet } from '../../src/fleet/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

const LATENCY_MS = 300;
const SIGNAL_S = 8;
const PRE_RECORD_S = 5;

/** Contract §4: the earliest frame captured at or after T - preRecordSeconds. */
const expectedFirstFrameUs = (captureUs: readonly number[], triggerUs: number, preRecordUs: number): number =>
  captureUs.find((t) => t >= triggerUs - preRecordUs) ?? Number.NaN;

const eventsOf = (file: string): DeviceEvent[] => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as DeviceEvent);

describe('a team with a holster signal', () => {
  let dir: string;
  let shared: { dir: string; captureUs: readonly number[] };
  let other: { dir: string; captureUs: readonly number[] };
  let result: FleetRunResult;
  let faultQueries = 0;

  beforeAll(async () => {
    dir = tempDir('fleet');
    shared = await makeFixture({ dir: join(dir, 'officer-1'), fps: 10, frames: 160, jitterUs: 3000, audio: { sampleRate: 8000, seconds: 16 } });
    other = await makeFixture({ dir: join(dir, 'officer-3'), fps: 12, frames: 180, audio: { sampleRate: 8000, seconds: 15 } });
    writeFileSync(join(dir, 'team.json'), JSON.stringify({
      format: 'bodycam-scenario/1',
      clock: { start: '2026-11-22T14:00:00+01:00' },
      device: { preRecordSeconds: PRE_RECORD_S },
      devices: [
        { id: 'DRD-BC-0001', officerId: 'H-0001', fixture: 'officer-1', group: 'team-1' },
        { id: 'DRD-BC-0002', officerId: 'H-0002', fixture: 'officer-1', group: 'team-1', device: { preRecordSeconds: 3 }, clockOffsetMs: 1200 },
        { id: 'DRD-BC-0003', officerId: 'H-0003', fixture: 'officer-3', group: 'team-1' },
        { id: 'DRD-BC-0004', officerId: 'H-0004', fixture: 'officer-1', group: 'team-2' },
      ],
      triggerBus: { latencyMs: LATENCY_MS },
      events: [{ at: SIGNAL_S, device: 'DRD-BC-0001', signal: 'holster' }],
    }));
    // Counts how often the run asks a camera for its fault (see the last test).
    const asked = vi.spyOn(Camera.prototype, 'firstFault', 'get');
    try {
      result = await runFleet({ scenarioFile: join(dir, 'team.json'), outDir: join(dir, 'out') });
      faultQueries = asked.mock.calls.length;
    } finally {
      asked.mockRestore();
    }
  }, 60_000);

  it('asks no camera for its fault on each frame step while none has one (a 60-camera team paid 60 questions a step)', () => {
    // Once per camera at the end (its manifests, its run.json), never per step: before, 4 cameras x every step.
    expect(faultQueries).toBeLessThanOrEqual(2 * result.devices.length);
  });

  it('gives every camera of the group one recording: the sender at the signal, the others one latency later', () => {
    const byId = new Map(result.devices.map((device) => [device.id, device]));
    const expected = [
      ['DRD-BC-0001', SIGNAL_S * 1e6, PRE_RECORD_S, shared.captureUs],
      ['DRD-BC-0002', SIGNAL_S * 1e6 + LATENCY_MS * 1000, 3, shared.captureUs],
      ['DRD-BC-0003', SIGNAL_S * 1e6 + LATENCY_MS * 1000, PRE_RECORD_S, other.captureUs],
    ] as const;
    for (const [id, triggerUs, preRecordS, captureUs] of expected) {
      const recordings = byId.get(id)?.recordings ?? [];
      expect(recordings, id).toHaveLength(1);
      const [manifest] = recordings;
      expect(manifest?.trigger, id).toEqual({ atUs: triggerUs, source: 'signal', signal: 'holster', sender: 'DRD-BC-0001' });
      const firstUs = expectedFirstFrameUs(captureUs, triggerUs, preRecordS * 1e6);
      expect(manifest?.video.firstFrameUs, id).toBe(firstUs);
      expect(manifest?.preRoll, id).toEqual({ requestedUs: preRecordS * 1e6, actualUs: triggerUs - firstUs, limitedBy: null });
      expect(manifest?.stop.reason, id).toBe('end-of-fixture');
      expect(manifest?.deviceId, id).toBe(id);
    }
  });

  it('leaves the camera of another group untouched', () => {
    const outsider = result.devices.find((device) => device.id === 'DRD-BC-0004');
    expect(outsider?.recordings).toEqual([]);
    expect(readdirSync(join(outsider?.outDir ?? '', 'recordings'))).toEqual([]);
    const types = new Set(eventsOf(outsider?.eventsFile ?? '').map((event) => event.type));
    expect(types.has('bus.receive')).toBe(false);
    expect(types.has('recording.start')).toBe(false);
  });

  it('logs the send and every delivery with its latency, in the bus log and the cameras\' logs', () => {
    expect(result.busLog).toEqual([
      { t: 8_000_000, type: 'bus.send', message: 'holster', sender: 'DRD-BC-0001', group: 'team-1', latencyUs: 300_000, receivers: ['DRD-BC-0002', 'DRD-BC-0003'] },
      { t: 8_300_000, type: 'bus.deliver', message: 'holster', sender: 'DRD-BC-0001', receiver: 'DRD-BC-0002', sentUs: 8_000_000, latencyUs: 300_000 },
      { t: 8_300_000, type: 'bus.deliver', message: 'holster', sender: 'DRD-BC-0001', receiver: 'DRD-BC-0003', sentUs: 8_000_000, latencyUs: 300_000 },
    ]);
    expect(readFileSync(result.busLogFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))).toEqual(result.busLog);
    const received = eventsOf(join(result.outDir, 'devices', 'DRD-BC-0003', 'events.jsonl')).filter((event) => event.type === 'bus.receive');
    expect(received).toEqual([{ t: 8_300_000, type: 'bus.receive', message: 'holster', sender: 'DRD-BC-0001', sentUs: 8_000_000, latencyUs: 300_000 }]);
  });

  it('lays out each camera\'s folder as contract §6, and one team timeline', () => {
    for (const device of result.devices) {
      expect(existsSync(join(device.outDir, 'events.jsonl'))).toBe(true);
      expect(existsSync(join(device.outDir, 'timeline.svg'))).toBe(true);
      for (const manifest of device.recordings) {
        expect(existsSync(join(device.outDir, 'recordings', manifest.file))).toBe(true);
        expect(existsSync(join(device.outDir, 'recordings', `${manifest.id}.json`))).toBe(true);
      }
    }
    const svg = readFileSync(join(result.outDir, 'timeline.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(existsSync(join(result.outDir, 'timeline.png'))).toBe(true);
  });

  it('skews only the wall clock of the camera with clockOffsetMs', () => {
    const [one] = result.devices[0]?.recordings ?? [];
    const [two] = result.devices[1]?.recordings ?? [];
    // DRD-BC-0002 triggers 0.3 s later and its clock runs 1.2 s ahead: its wall-clock trigger is 1.5 s later.
    expect(Date.parse(two?.wallClock.trigger ?? '') - Date.parse(one?.wallClock.trigger ?? '')).toBe(1500);
  });

  it('reads and decodes each frame of a shared fixture once, however many cameras capture from it', () => {
    expect(result.sourceFrameReads).toEqual({ [shared.dir]: shared.captureUs.length, [other.dir]: other.captureUs.length });
    expect(result.devices.map((device) => device.framesReplayed)).toEqual([160, 160, 180, 160]);
  });
});
