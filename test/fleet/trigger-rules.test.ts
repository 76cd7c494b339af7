/**
 * The trigger bus's rules (docs/device.md, "Trigger bus"), each on a small team: asleep or
 * booting a camera ignores a signal (and logs why); recording, it marks; a false signal is
 * cancelled within the window by the sender (for every camera it started) or by one receiver
 * (only there); after the window a press is a marker again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../src/events/index.js';
import { type FleetRunResult, runFleet } from '../../src/fleet/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

let root: string;
let run = 0;

beforeAll(async () => {
  root = tempDir('fleet-rules');
  await makeFixture({ dir: join(root, 'f'), fps: 10, frames: 200, audio: { sampleRate: 8000, seconds: 20 } });
}, 30_000);

/** Runs a team of cameras on the one fixture; every camera in team-1 unless it says otherwise. */
async function team(devices: readonly Record<string, unknown>[], events: readonly Record<string, unknown>[]): Promise<{ result: FleetRunResult; log: (id: string) => DeviceEvent[] }> {
  run += 1;
  const file = join(root, `team-${run}.json`);
  writeFileSync(file, JSON.stringify({
    format: 'bodycam-scenario/1',
    device: { preRecordSeconds: 2 },
    devices: devices.map((device) => ({ fixture: 'f', group: 'team-1', ...device })),
    triggerBus: { latencyMs: 250 },
    events,
  }));
  const logs = new Map<string, DeviceEvent[]>();
  const result = await runFleet({
    scenarioFile: file, outDir: join(root, `out-${run}`), timeline: false,
    onEvent: (id, event) => {
      if (!logs.has(id)) logs.set(id, []);
      logs.get(id)?.push(event);
    },
  });
  return { result, log: (id) => logs.get(id) ?? [] };
}

const recordingsOf = (result: FleetRunResult, id: string) => result.devices.find((device) => device.id === id)?.recordings ?? [];

describe('the trigger bus', () => {
  it('is ignored by a camera that is off or booting, and the log says why', async () => {
    const { result, log } = await team(
      [{ id: 'A' }, { id: 'OFF', initialState: 'off' }, { id: 'BOOT', initialState: 'off' }],
      [
        { at: 1, device: 'BOOT', press: 'power', hold: 2.1 },
        { at: 4, device: 'A', signal: 'taser' },
      ],
    );
    expect(recordingsOf(result, 'A')).toHaveLength(1);
    expect(recordingsOf(result, 'OFF')).toEqual([]);
    expect(recordingsOf(result, 'BOOT')).toEqual([]);
    const ignoredOf = (id: string) => log(id).filter((event) => event.type === 'ignored' && event.event.startsWith('signal:'));
    expect(ignoredOf('OFF')).toEqual([{ t: 4_250_000, type: 'ignored', event: 'signal:taser:A', state: 'off', reason: 'device is off: signals are ignored while the camera sleeps' }]);
    // BOOT powered on at 3.0 s (2 s hold) and boots for 3 s: still booting at 4.25 s
    expect(ignoredOf('BOOT')).toEqual([{ t: 4_250_000, type: 'ignored', event: 'signal:taser:A', state: 'booting', reason: 'booting: signals are ignored until standby' }]);
  }, 30_000);

  it('marks the recording of a camera that is already recording, and starts none', async () => {
    const { result } = await team([{ id: 'A' }, { id: 'B' }], [
      { at: 2, device: 'B', press: 'record' },
      { at: 6, device: 'A', signal: 'lightbar' },
    ]);
    const [b] = recordingsOf(result, 'B');
    expect(recordingsOf(result, 'B')).toHaveLength(1);
    expect(b?.trigger.source).toBe('button');
    expect(b?.markers).toEqual([6_250_000]);
  }, 30_000);

  it('lets the sender cancel a false signal within the window: its recording and every one it started stop', async () => {
    const { result, log } = await team([{ id: 'A' }, { id: 'B' }, { id: 'C' }], [
      { at: 3, device: 'C', press: 'record' },
      { at: 6, device: 'A', signal: 'holster' },
      { at: 9, device: 'A', press: 'record' },
    ]);
    // a short press while recording is recognised at its release (9.15 s: a longer hold would stop); the cancel reaches B 0.25 s later
    const [a] = recordingsOf(result, 'A');
    const [b] = recordingsOf(result, 'B');
    expect(a?.stop).toEqual({ atUs: 9_150_000, reason: 'button', detail: 'cancelled' });
    expect(b?.trigger).toEqual({ atUs: 6_250_000, source: 'signal', signal: 'holster', sender: 'A' });
    expect(b?.stop).toEqual({ atUs: 9_400_000, reason: 'button', detail: 'cancelled' });
    // C was recording on its officer's press: the signal only marked it, and the cancel is not about it
    const [c] = recordingsOf(result, 'C');
    expect(recordingsOf(result, 'C')).toHaveLength(1);
    expect(c?.markers).toEqual([6_250_000]);
    expect(c?.stop.reason).toBe('end-of-fixture');
    expect(log('C').filter((event) => event.type === 'ignored' && event.event === 'group-cancel')).toHaveLength(1);
    expect(result.busLog.filter((event) => event.message === 'cancel')).toEqual([
      { t: 9_150_000, type: 'bus.send', message: 'cancel', sender: 'A', group: 'team-1', latencyUs: 250_000, receivers: ['B', 'C'], signalSentUs: 6_000_000 },
      { t: 9_400_000, type: 'bus.deliver', message: 'cancel', sender: 'A', receiver: 'B', sentUs: 9_150_000, latencyUs: 250_000 },
      { t: 9_400_000, type: 'bus.deliver', message: 'cancel', sender: 'A', receiver: 'C', sentUs: 9_150_000, latencyUs: 250_000 },
    ]);
  }, 30_000);

  it('lets a receiver cancel only its own recording, and turns a press after the window into a marker', async () => {
    const { result } = await team([{ id: 'A' }, { id: 'B' }, { id: 'C' }], [
      { at: 4, device: 'A', signal: 'gunshot' },
      { at: 6, device: 'B', press: 'record' },
      { at: 15, device: 'A', press: 'record' },
    ]);
    expect(recordingsOf(result, 'B')[0]?.stop).toEqual({ atUs: 6_150_000, reason: 'button', detail: 'cancelled' });
    expect(recordingsOf(result, 'C')[0]?.stop.reason).toBe('end-of-fixture');
    // A's window closed at 14 s: the press at 15 s marks its recording
    const [a] = recordingsOf(result, 'A');
    expect(a?.stop.reason).toBe('end-of-fixture');
    expect(a?.markers).toEqual([15_150_000]);
    expect(result.busLog.some((event) => event.message === 'cancel')).toBe(false);
  }, 30_000);

  it('reaches only the sender when it has no group', async () => {
    const { result } = await team([{ id: 'A', group: undefined }, { id: 'B' }], [{ at: 5, device: 'A', signal: 'remote' }]);
    expect(recordingsOf(result, 'A')).toHaveLength(1);
    expect(recordingsOf(result, 'B')).toEqual([]);
    expect(result.busLog).toEqual([{ t: 5_000_000, type: 'bus.send', message: 'remote', sender: 'A', group: null, latencyUs: 250_000, receivers: [] }]);
  }, 30_000);

  it('carries every kind, from a sleeping sensor too; quick signals mark; a stop hold in the window stops only its camera; a late delivery is dropped', async () => {
    const { result, log } = await team(
      [{ id: 'S', initialState: 'off' }, { id: 'R1' }, { id: 'R2' }, { id: 'T' }, { id: 'L', group: 'alone' }, { id: 'X', group: 'team-2' }],
      [
        { at: 0.5, device: 'S', signal: 'gunshot' }, // S is off: its sensor still sends
        { at: 0.6, device: 'S', signal: 'lightbar' }, // 0.1 s later: a marker where the first started a recording
        { at: 1, device: 'L', signal: 'remote' }, // a group of one: only L
        { at: 2, device: 'R1', press: 'record', hold: 3.5 }, // a stop hold inside R1's cancel window: a stop, not a cancel
        { at: 3, device: 'R2', signal: 'taser' },
        { at: 6, device: 'X', signal: 'holster' },
        { at: 8, device: 'T', signal: 'holster' },
        { at: 9, device: 'T', press: 'record', hold: 3.5 }, // the sender stops with a hold in its window: no cancel goes out
        { at: 19.9, device: 'R2', signal: 'holster' }, // arrives at 20.15 s, after the 20 s fixture: dropped
      ],
    );
    expect(new Set(result.busLog.filter((event) => event.type === 'bus.send').map((event) => event.message))).toEqual(new Set(['gunshot', 'lightbar', 'remote', 'taser', 'holster']));
    expect(log('S').filter((event) => event.type === 'ignored').map((event) => event.type === 'ignored' && event.event)).toEqual(expect.arrayContaining(['signal:gunshot:S', 'signal:lightbar:S']));
    expect(recordingsOf(result, 'S')).toEqual([]);
    const [r1, r1Again] = recordingsOf(result, 'R1');
    expect(r1?.trigger).toEqual({ atUs: 750_000, source: 'signal', signal: 'gunshot', sender: 'S' });
    expect(r1?.markers).toEqual([850_000, 3_250_000]);
    expect(r1?.stop).toEqual({ atUs: 5_000_000, reason: 'button' });
    expect(r1Again?.trigger).toEqual({ atUs: 8_250_000, source: 'signal', signal: 'holster', sender: 'T' });
    expect(r1Again?.stop.reason).toBe('end-of-fixture');
    const [r2] = recordingsOf(result, 'R2');
    expect(recordingsOf(result, 'R2')).toHaveLength(1);
    expect(r2?.markers).toEqual([850_000, 3_000_000, 8_250_000, 19_900_000]);
    expect(recordingsOf(result, 'T')[0]?.stop).toEqual({ atUs: 12_000_000, reason: 'button' });
    expect(result.busLog.some((event) => event.message === 'cancel')).toBe(false);
    expect(recordingsOf(result, 'L').map((m) => m.trigger)).toEqual([{ atUs: 1_000_000, source: 'signal', signal: 'remote', sender: 'L' }]);
    expect(recordingsOf(result, 'X').map((m) => m.trigger.atUs)).toEqual([6_000_000]);
    const late = result.busLog.filter((event) => event.type === 'bus.deliver' && event.sentUs === 19_900_000);
    expect(late.map((event) => event.type === 'bus.deliver' && [event.receiver, event.dropped])).toEqual([
      ['S', 'after the end of its input'], ['R1', 'after the end of its input'], ['T', 'after the end of its input'],
    ]);
  }, 30_000);
});
