/**
 * Issue 2, done-when 3 and 4: the pre-roll rule of contract §4 holds exactly on a fixture with
 * jittered timestamps and a run of dropped frames (first frame, last frame and count are exactly
 * the rule's, not one off), and the same replay twice gives byte-identical outputs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { readEvents } from '../helpers/cli.js';
import { captureTimes, makeFixture } from '../helpers/make-fixture.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';

const PRE_US = 5_000_000;
const DEBOUNCE_US = 50_000;

/** Contract §4, literally: frames with capture time >= T - pre and < S. */
function ruleFrames(times: readonly number[], triggerUs: number, stopUs: number): number[] {
  return times.filter((t) => t >= triggerUs - PRE_US && t < stopUs);
}

async function runScenario(times: readonly number[], pressAt: number, stopAt: number, outDir: string) {
  const fixture = await makeFixture({
    fps: 10, frames: times.length, captureUs: times,
    audio: { sampleRate: 8000, seconds: (times[times.length - 1] ?? 0) / 1e6 + 0.1 },
    scenario: {
      format: 'bodycam-scenario/1', clock: { start: '2026-11-22T14:00:00+01:00' }, device: { preRecordSeconds: PRE_US / 1e6 },
      events: [{ at: pressAt, press: 'record', hold: 0.15 }, { at: stopAt, press: 'record', hold: 3.2 }],
    },
  });
  return runJob({ source: fixture.dir, outDir });
}

describe('the pre-roll rule on jittered, gapped capture times', () => {
  // 10 fps with ±4 ms jitter and two runs of dropped frames, one right at the pre-roll's start.
  const times = captureTimes({ fps: 10, frames: 170, jitterUs: 4_000, dropRuns: [[22, 5], [60, 3]] });

  it.each([
    ['press well inside', 8.0, 13.0],
    ['press so that T - pre lands in the dropped run', 7.26, 12.0],
    ['press as early as the boot allows less than the window', 3.0, 9.0],
  ])('%s', async (_name, pressAt, stopAt) => {
    requireTestTool('ffprobe');
    const result = await runScenario(times, pressAt, stopAt, tempDir('rule'));
    expect(result.recordings).toHaveLength(1);
    const manifest = result.recordings[0] as RecordingManifest;
    const T = Math.round(pressAt * 1000) * 1000 + DEBOUNCE_US;
    const S = Math.round(stopAt * 1000) * 1000 + 3_000_000;
    const expected = ruleFrames(times, T, S);
    expect(manifest.trigger.atUs).toBe(T);
    expect(manifest.stop.atUs).toBe(S);
    expect(manifest.video.frames).toBe(expected.length);
    expect(manifest.video.firstFrameUs).toBe(expected[0]);
    expect(manifest.video.lastFrameUs).toBe(expected[expected.length - 1]);
    expect(manifest.preRoll.actualUs).toBe(T - (expected[0] ?? 0));
    expect(manifest.preRoll.limitedBy).toBe(T - PRE_US < 0 ? 'boot' : null);
    const pts = ffprobeFramePtsUs(join(result.outDir, 'recordings', manifest.file));
    // The file stores times in 0.1 ms ticks relative to the first frame: compare at that resolution.
    const first = expected[0] ?? 0;
    expect(pts).toEqual(expected.map((t) => Math.round((t - first) / 100) * 100));
  });

  it('includes a frame captured exactly at T - pre and excludes one captured exactly at S', async () => {
    const T = 7_050_000;
    const S = 11_000_000;
    const exact = [...captureTimes({ fps: 10, frames: 150 })];
    exact[20] = T - PRE_US; // 2.05 s, replacing 2.0 s
    exact[110] = S; // 11.0 s is already a slot; keep it explicit
    const sorted = [...new Set(exact)].sort((a, b) => a - b);
    const result = await runScenario(sorted, 7.0, 8.0, tempDir('edges'));
    const manifest = result.recordings[0] as RecordingManifest;
    expect(manifest.video.firstFrameUs).toBe(T - PRE_US);
    expect(manifest.video.lastFrameUs).toBe(sorted[sorted.indexOf(S) - 1]);
    expect(manifest.video.frames).toBe(ruleFrames(sorted, T, S).length);
  });

  it('drops (and logs) a frame captured within 0.1 ms of the previous one: the file cannot order them', async () => {
    const close = [...captureTimes({ fps: 10, frames: 150 })];
    close.splice(60, 0, (close[59] ?? 0) + 40);
    const result = await runScenario(close, 7.0, 8.0, tempDir('close'));
    const drops = readEvents(result.outDir).filter((e) => e.type === 'frame.drop');
    expect(drops).toEqual([expect.objectContaining({ frameUs: (close[59] ?? 0) + 40, reason: 'too-close' })]);
    const manifest = result.recordings[0] as RecordingManifest;
    expect(manifest.video.frames).toBe(ruleFrames(close, 7_050_000, 11_000_000).length - 1);
  });

  it('gives byte-identical recordings, manifests and logs on every run', async () => {
    const a = await runScenario(times, 8.0, 13.0, tempDir('det-a'));
    const b = await runScenario(times, 8.0, 13.0, tempDir('det-b'));
    const files = (dir: string) => readdirSync(join(dir, 'recordings')).sort();
    expect(files(a.outDir)).toEqual(files(b.outDir));
    for (const name of files(a.outDir)) {
      const left = readFileSync(join(a.outDir, 'recordings', name));
      const right = readFileSync(join(b.outDir, 'recordings', name));
      expect(left.equals(right), name).toBe(true);
    }
    expect(readFileSync(join(a.outDir, 'events.jsonl')).equals(readFileSync(join(b.outDir, 'events.jsonl')))).toBe(true);
    expect(readEvents(a.outDir).length).toBeGreaterThan(10);
  });
});
