import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import { LiveDevice, LiveFleet } from '../../src/live/index.js';
import { openSource } from '../../src/source/index.js';
import { firstSampleAtOrAfter } from '../../src/time/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';
import { waitFor } from '../helpers/wait-for.js';

describe('a live device over a looping fixture', () => {
  it('keeps running past the fixture\'s end: frames, audio and loop inputs continue with monotonic fixture time', async () => {
    // 1 s at 10 fps with 8 kHz audio: the loop is exactly 1 s.
    const fixture = await makeFixture({ width: 160, height: 90, fps: 10, frames: 10, audio: { sampleRate: 8000, seconds: 1 } });
    const source = await openSource(fixture.dir);
    const outDir = tempDir('live-device');
    const device = new LiveDevice({
      source,
      profile: resolveProfile({ deviceId: 'DRD-BC-0007', officerId: 'H-0007' }),
      origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
      initialState: 'standby',
      loopInputs: [{ kind: 'battery', percent: 50, atUs: 500_000 }],
      outDir,
    });
    const events: { t: number; type: string }[] = [];
    device.events$.subscribe((event) => events.push(event));
    device.start();
    expect(device.loop.loopUs).toBe(1_000_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const view = device.openView();
    expect(view.streaming).toBe(true);
    await waitFor('fixture time past two loop boundaries and three loop inputs', () => device.status().clock.fixtureUs >= 2_600_000, 15_000);
    view.close();
    const [manifest, ...others] = await device.stop();
    expect(others).toEqual([]);
    if (manifest === undefined) throw new Error('no recording');
    expect(manifest).toMatchObject({ deviceId: 'DRD-BC-0007', trigger: { source: 'stream' }, stop: { reason: 'end-of-fixture' }, complete: true });

    // Every frame captured from the first one held up to the stop, across two loop boundaries, exactly once.
    const stopUs = manifest.stop.atUs;
    const expectedFrames: number[] = [];
    for (let t = 0; t < stopUs; t += 100_000) expectedFrames.push(t);
    const mkv = readMatroska(new Uint8Array(readFileSync(join(outDir, 'recordings', manifest.file))));
    const origin = manifest.video.firstFrameUs ?? 0;
    // A live device that falls behind real time skips late frames (contract §12: counted, never
    // silent), so on a loaded machine the recording holds every frame but those, each a frame.drop
    // and in the manifest's `lost`; on a quiet one none is skipped.
    const recorded = mkv.blocks.filter((b) => b.trackNumber === 1).map((b) => b.timestampUs + origin);
    const dropped = events.filter((e) => e.type === 'frame.drop' && e.t < stopUs).map((e) => e.t);
    expect([...recorded, ...dropped].sort((a, b) => a - b)).toEqual(expectedFrames);
    expect(manifest.lost?.frames ?? 0).toBe(dropped.length);

    // The audio is the fixture's track, repeated each loop, with no gap or overlap at the seams.
    const audioBlocks = mkv.blocks.filter((b) => b.trackNumber === 2);
    const pcm = new Int16Array(Buffer.concat(audioBlocks.map((b) => Buffer.from(b.payload))).buffer.slice(0));
    const expectedSamples = firstSampleAtOrAfter(0, stopUs, 8000);
    expect(manifest.audio).toMatchObject({ sampleRate: 8000, samples: expectedSamples, firstSampleUs: 0 });
    expect(pcm.length).toBe(expectedSamples);
    const track = source.audio?.samples as Int16Array; // the WAV as read (16-bit rounding of the generated tone)
    expect([...pcm]).toEqual(Array.from({ length: expectedSamples }, (_, i) => track[i % 8000]));

    // The loop's inputs ran once per loop, and the log's fixture time never went backwards.
    const loopInputTimes: number[] = [];
    for (let t = 500_000; t < stopUs; t += 1_000_000) loopInputTimes.push(t);
    expect(loopInputTimes.length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.type === 'input' && (e as { kind?: string }).kind === 'battery').map((e) => e.t)).toEqual(loopInputTimes);
    expect(events.every((e, i) => i === 0 || e.t >= (events[i - 1]?.t ?? 0))).toBe(true);
    expect(readFileSync(join(outDir, 'events.jsonl'), 'utf8').trim().split('\n').length).toBe(events.length);
  });
});

describe('a fleet with a scenario', () => {
  it('replays the scenario\'s events on every device: a "stream": "start" event is a coordinator\'s request', async () => {
    const fixture = await makeFixture({ width: 160, height: 90, fps: 10, frames: 20 });
    const scenarioFile = join(tempDir('live-scenario'), 'scenario.json');
    writeFileSync(scenarioFile, JSON.stringify({ format: 'bodycam-scenario/1', events: [{ at: 0.3, stream: 'start' }] }));
    const fleet = await LiveFleet.start({ sources: [fixture.dir], devices: 2, scenarioFile, outDir: tempDir('live-scenario-out') });
    try {
      await waitFor('every device streaming', () => fleet.status().every((status) => status.streaming), 10_000);
      for (const status of fleet.status()) {
        expect(status).toMatchObject({ state: 'recording', streaming: true, leds: { record: { color: 'red' }, status: { color: 'blue' } } });
        expect(status.recordings[0]).toMatchObject({ source: 'stream', triggerUs: 300_000 });
      }
    } finally {
      await fleet.stop();
    }
  });
});
