/**
 * Issue 4 through the whole pipeline: every path of the device, checked against events.jsonl and
 * the manifests a real replay writes (battery, storage full and failing, splits, dock, stream,
 * signals, double-press, power off and boot, power cuts in every phase).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { readEvents } from '../helpers/cli.js';
import { type TestFixture, makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

let fixture: TestFixture;
beforeAll(async () => {
  fixture = await makeFixture({ fps: 10, frames: 300, jitterUs: 1_500, audio: { sampleRate: 8_000, seconds: 30 } });
});

async function simulate(events: Record<string, unknown>[], device: Record<string, unknown> = {}, initialState?: 'off' | 'standby') {
  const outDir = tempDir('paths');
  const scenarioFile = join(outDir, 'scenario.json');
  const scenario = { format: 'bodycam-scenario/1', ...(initialState === undefined ? {} : { initialState }), device: { preRecordSeconds: 4, ...device }, events };
  (await import('node:fs')).writeFileSync(scenarioFile, JSON.stringify(scenario));
  const result = await runJob({ source: fixture.dir, scenarioFile, outDir });
  const events$ = readEvents(outDir);
  return { result, events: events$, manifests: [...result.recordings].sort((a, b) => a.trigger.atUs - b.trigger.atUs) };
}

const ofType = <K extends DeviceEvent['type']>(events: DeviceEvent[], type: K) => events.filter((e): e is Extract<DeviceEvent, { type: K }> => e.type === type);
const states = (events: DeviceEvent[]) => ofType(events, 'state').map((e) => `${e.to}@${e.t}`);
const framesIn = (outDir: string, m: RecordingManifest) => readMatroska(new Uint8Array(readFileSync(join(outDir, 'recordings', m.file)))).blocks;

describe('device paths through the whole pipeline', () => {
  it('battery: a low warning, then at 0 % a clean stop (reason "battery") and shut-down', async () => {
    const { events, manifests } = await simulate([{ at: 8, press: 'record' }, { at: 12, battery: 9 }, { at: 20, battery: 0 }]);
    expect(manifests).toHaveLength(1);
    expect(manifests[0]).toMatchObject({ complete: true, stop: { atUs: 20_000_000, reason: 'battery' } });
    expect(ofType(events, 'feedback').some((e) => e.kind === 'beep' && e.count === 4)).toBe(true);
    expect(ofType(events, 'led').filter((e) => e.led === 'status' && e.color === 'amber').length).toBeGreaterThan(0);
    expect(states(events).slice(-2)).toEqual([expect.stringMatching(/^stopping@20000000$/), expect.stringMatching(/^off@/)]);
  });

  it('storage full: the device refuses to record, with 3 beeps', async () => {
    const { events, manifests } = await simulate([{ at: 5, storage: 'full' }, { at: 8, press: 'record' }]);
    expect(manifests).toHaveLength(0);
    expect(ofType(events, 'feedback').some((e) => e.kind === 'beep' && e.count === 3)).toBe(true);
    expect(ofType(events, 'led').some((e) => e.led === 'record' && e.color === 'red')).toBe(false);
  });

  it('storage filling up during a recording stops it cleanly (reason "storage")', async () => {
    const { manifests, events } = await simulate([{ at: 8, press: 'record' }], { storageBytes: 300_000 });
    expect(manifests).toHaveLength(1);
    const manifest = manifests[0] as RecordingManifest;
    expect(manifest).toMatchObject({ complete: true, stop: { reason: 'storage' } });
    expect(manifest.stop.atUs).toBeLessThan(25_000_000);
    expect(ofType(events, 'recording.stop')[0]).toMatchObject({ reason: 'storage', t: manifest.stop.atUs });
  });

  it('a storage write failure becomes a fault without losing what was written', async () => {
    const { manifests, events, result } = await simulate([{ at: 8, press: 'record' }, { at: 14.5, storage: 'fail' }]);
    const manifest = manifests[0] as RecordingManifest;
    expect(manifest).toMatchObject({ complete: false, stop: { atUs: 14_500_000, reason: 'fault' } });
    const frames = framesIn(result.outDir, manifest).filter((b) => b.trackNumber === 1);
    expect(frames.length).toBe(manifest.video.frames);
    expect(frames.length).toBeGreaterThan(40);
    expect(states(events)).toContain('fault@14500000');
    expect(ofType(events, 'led').some((e) => e.led === 'status' && e.color === 'red' && e.offMs > 0)).toBe(true);
  });

  it('splits long recordings at maxRecordingSeconds with no frame or sample lost or doubled', async () => {
    const { manifests, result } = await simulate([{ at: 8, press: 'record' }, { at: 20, press: 'record', hold: 3.2 }], { maxRecordingSeconds: 4 });
    expect(manifests.map((m) => [m.trigger.source, m.stop.reason])).toEqual([
      ['button', 'max-duration'], ['split', 'max-duration'], ['split', 'max-duration'], ['split', 'button'],
    ]);
    const T = 8_050_000;
    const S = 23_000_000;
    const expected = fixture.captureUs.filter((t) => t >= T - 4_000_000 && t < S);
    const got = manifests.flatMap((m) => {
      const blocks = framesIn(result.outDir, m).filter((b) => b.trackNumber === 1);
      return blocks.map((b) => b.timestampUs + m.originUs);
    });
    // Block times are 0.1 ms ticks from each file's origin (a frame time, exact): compare at that resolution.
    expect(got).toHaveLength(expected.length);
    got.forEach((t, i) => expect(Math.abs(t - (expected[i] ?? 0))).toBeLessThanOrEqual(50));
    for (let i = 1; i < manifests.length; i += 1) {
      expect(manifests[i]?.trigger.atUs).toBe(manifests[i - 1]?.stop.atUs);
      expect(manifests[i]?.audio?.firstSampleUs).toBeGreaterThanOrEqual(manifests[i - 1]?.stop.atUs ?? 0);
    }
    const samples = manifests.reduce((sum, m) => sum + (m.audio?.samples ?? 0), 0);
    const firstSample = Math.ceil((expected[0] ?? 0) * 8_000 / 1e6);
    expect(samples).toBe(Math.ceil(S * 8_000 / 1e6) - firstSample);
  });

  it('docking while recording stops it (reason "dock") and the buffer stops filling', async () => {
    const { manifests, events } = await simulate([{ at: 8, press: 'record' }, { at: 12, dock: true }]);
    expect(manifests[0]).toMatchObject({ complete: true, stop: { atUs: 12_000_000, reason: 'dock' } });
    const after = states(events).slice(states(events).indexOf('stopping@12000000'));
    expect(after[1]).toMatch(/^docked@(\d+)$/);
    expect(Number(after[1]?.split('@')[1])).toBeGreaterThanOrEqual(12_000_000);
    // Docked: the buffer was cleared and nothing was captured after.
    expect(ofType(events, 'buffer.stats').at(-1)).toMatchObject({ entries: 0, occupancyBytes: 0 });
  });

  it('a coordinator\'s stream request starts a recording (source "stream"), the status LED blinks blue', async () => {
    const { manifests, events } = await simulate([{ at: 8, stream: 'start' }, { at: 12, press: 'record', hold: 3.1 }]);
    expect(manifests[0]).toMatchObject({ trigger: { atUs: 8_000_000, source: 'stream' }, stop: { reason: 'button' } });
    expect(ofType(events, 'led').some((e) => e.led === 'status' && e.color === 'blue' && e.offMs > 0)).toBe(true);
  });

  it('an automatic trigger (holster) starts a recording like the button, with its source', async () => {
    const { manifests } = await simulate([{ at: 8, signal: 'holster' }]);
    expect(manifests[0]).toMatchObject({ trigger: { atUs: 8_000_000, source: 'holster' }, stop: { reason: 'end-of-fixture' } });
  });

  it('double-press as the start gesture', async () => {
    const { manifests } = await simulate([{ at: 8, press: 'record' }, { at: 8.3, press: 'record' }], { startGesture: 'double-press' });
    expect(manifests[0]).toMatchObject({ trigger: { atUs: 8_350_000, source: 'double-press' } });
  });

  it('from off: a 2 s power hold boots for 3 s, then the buffer fills (pre-roll limited by boot)', async () => {
    const { manifests, events } = await simulate([{ at: 1, press: 'power', hold: 2.2 }, { at: 7, press: 'record' }], {}, 'off');
    expect(states(events).slice(0, 3)).toEqual(['off@0', 'booting@3000000', 'standby@6000000']);
    const firstFrame = fixture.captureUs.find((t) => t >= 6_000_000);
    expect(manifests[0]).toMatchObject({ preRoll: { limitedBy: 'boot' }, video: { firstFrameUs: firstFrame } });
  });

  it.each([
    ['booting', [{ at: 1, press: 'power', hold: 2.1 }, { at: 4, power: 'cut' }], 'off'],
    ['standby', [{ at: 4, power: 'cut' }], undefined],
    ['pre-roll drain', [{ at: 8, press: 'record' }, { at: 8.06, power: 'cut' }], undefined],
    ['recording', [{ at: 8, press: 'record' }, { at: 13, power: 'cut' }], undefined],
    ['finalizing', [{ at: 8, press: 'record' }, { at: 12, press: 'record', hold: 3.1 }, { at: 15.05, power: 'cut' }], undefined],
  ] as const)('a power cut while %s loses nothing already written and presents nothing half-written as complete', async (_phase, events, initial) => {
    const run = await simulate([...events], { storageWriteBytesPerSecond: 200_000 }, initial);
    expect(states(run.events).at(-1)).toMatch(/^off@/);
    for (const manifest of run.manifests) {
      const blocks = framesIn(run.result.outDir, manifest).filter((b) => b.trackNumber === 1);
      expect(blocks.length).toBe(manifest.video.frames);
      if (!manifest.complete) expect(manifest.stop.reason).toBe('power-cut');
    }
  });
});
