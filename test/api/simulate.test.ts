/** simulate(): the same events as Observables, as arrays and in events.jsonl. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Simulation, type SimulationResult, simulate } from '../../src/api/index.js';
import { BodycamError } from '../../src/errors/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { tempDir } from '../helpers/tools.js';
import { BUNDLED_FIXTURE_DIR, BUNDLED_SCENARIO_FILE } from '../../src/index.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jitter-drops');

const scenario = {
  format: 'bodycam-scenario/1',
  fixture: FIXTURE,
  device: { preRecordSeconds: 1, stopHoldSeconds: 1 },
  events: [
    { at: 2.5, press: 'record' },
    { at: 3.2, press: 'record', hold: 0.2 },
    { at: 4, press: 'record', hold: 1.2 },
  ],
};

let run: Simulation;
let result: SimulationResult;
let streamed: { events: DeviceEvent[]; leds: DeviceEvent[]; recordings: unknown[] };

beforeAll(async () => {
  run = simulate({ scenario, outDir: tempDir('simulate') });
  const early = lastValueFrom(run.events$.pipe(toArray()));
  result = await run.done;
  // subscribing after the run still gets every event: the streams replay
  streamed = {
    events: await early,
    leds: await lastValueFrom(run.leds$.pipe(toArray())),
    recordings: await lastValueFrom(run.recordings$.pipe(toArray())),
  };
});

describe('simulate', () => {
  it('streams the same events as the arrays and events.jsonl, in order', () => {
    const file = readFileSync(join(result.outDir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeviceEvent);
    expect(file.length).toBeGreaterThan(20);
    expect(result.events).toEqual(file);
    expect(streamed.events).toEqual(file);
    expect(streamed.leds).toEqual(file.filter((e) => e.type === 'led'));
    expect(result.leds).toEqual(file.filter((e) => e.type === 'led'));
    expect(result.gestures.map((g) => g.gesture)).toEqual(['record-press', 'marker', 'record-hold']);
    expect(result.states.map((s) => s.to)).toEqual(['standby', 'recording', 'stopping', 'standby']);
  });

  it('gives the manifests, as written beside the recordings, in trigger order', () => {
    expect(result.recordings).toHaveLength(1);
    const manifest = result.recordings[0]!;
    expect(JSON.parse(readFileSync(join(result.outDir, 'recordings', `${manifest.id}.json`), 'utf8'))).toEqual(manifest);
    expect(streamed.recordings).toEqual(result.recordings);
    expect(manifest).toMatchObject({ trigger: { atUs: 2_550_000 }, stop: { atUs: 5_000_000, reason: 'button' }, markers: [3_400_000] });
  });

  it('typed streams: ofType gives the events of one type', async () => {
    const stops = await lastValueFrom(run.ofType('recording.stop').pipe(toArray()));
    expect(stops).toEqual(result.events.filter((e) => e.type === 'recording.stop'));
    expect(stops[0]?.reason).toBe('button');
  });

  it('writes the timeline with the run', () => {
    expect(existsSync(join(result.outDir, 'timeline.svg'))).toBe(true);
    expect(existsSync(join(result.outDir, 'timeline.png'))).toBe(true);
  });

  it('rejects done, and errors the streams, on bad input', async () => {
    const bad = simulate({ scenario: { ...scenario, events: [{ at: 99, press: 'record' }] }, outDir: tempDir('simulate-bad') });
    await expect(bad.done).rejects.toThrow(BodycamError);
    await expect(bad.done).rejects.toThrow(/events\[0\]\.at: expected a time before the end of fixture "jitter-drops"/);
    await expect(lastValueFrom(bad.events$)).rejects.toThrow(BodycamError);
  });
});

describe('simulate: its temporary folder', () => {
  /** The bodycam-simulate-* folders under a private TMPDIR, so runs of other tests do not count. */
  async function withTmp<T>(body: (listTemp: () => string[]) => Promise<T>): Promise<T> {
    const tmp = mkdtempSync(join(tmpdir(), 'simulate-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      return await body(() => readdirSync(tmp).filter((name) => name.startsWith('bodycam-simulate-')));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }

  it('is removed when the run is done, unless keepOutput; the result still holds every event and manifest', async () => {
    await withTmp(async (listTemp) => {
      const result = await simulate({ scenario, timeline: false }).done;
      expect(result.recordings).toHaveLength(1);
      expect(result.events.length).toBeGreaterThan(20);
      expect(result.outputKept).toBe(false);
      expect(existsSync(result.outDir)).toBe(false);
      expect(listTemp()).toEqual([]);
      const kept = await simulate({ scenario, timeline: false, keepOutput: true }).done;
      expect(kept.outputKept).toBe(true);
      expect(existsSync(join(kept.outDir, 'events.jsonl'))).toBe(true);
      expect(listTemp()).toHaveLength(1);
    });
  });

  it('is removed after bad input too', async () => {
    await withTmp(async (listTemp) => {
      const bad = simulate({ scenario: { ...scenario, events: [{ at: 99, press: 'record' }] } });
      await expect(bad.done).rejects.toThrow(BodycamError);
      expect(listTemp()).toEqual([]);
    });
  });

  it('an outDir given is the caller\'s and is kept', () => {
    expect(result.outputKept).toBe(true);
    expect(existsSync(join(result.outDir, 'events.jsonl'))).toBe(true);
  });
});

describe('the bundled fixture', () => {
  it('is exported with its scenario file, which exists in the package', () => {
    expect(existsSync(join(BUNDLED_FIXTURE_DIR, 'fixture.json'))).toBe(true);
    expect(BUNDLED_SCENARIO_FILE).toBe(join(BUNDLED_FIXTURE_DIR, 'scenario.json'));
    expect(existsSync(BUNDLED_SCENARIO_FILE)).toBe(true);
  });
});
