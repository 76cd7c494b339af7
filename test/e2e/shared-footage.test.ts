/**
 * Issue 5, done when: importing the real footage in ../shared/footage (CC BY 4.0; read from there,
 * never committed) and running it with a scenario gives a recording whose frames match the pre-roll
 * rule exactly. That footage has no audio track, so the recording has none either.
 * The footage is not part of the project: where ../shared is not beside the clone (a CI runner
 * may not have it), the test is skipped and says so; BODYCAM_SHARED_FOOTAGE names another copy,
 * and BODYCAM_REQUIRE_SHARED_FOOTAGE=1 turns the skip into a failure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { ROOT, readManifests, runCli } from '../helpers/cli.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';

const FOOTAGE = process.env.BODYCAM_SHARED_FOOTAGE ?? resolve(ROOT, '..', 'shared', 'footage', 'one-by-one-person-detection.mp4');
const HAS_FOOTAGE = existsSync(FOOTAGE);
if (!HAS_FOOTAGE) {
  const message = `${FOOTAGE} not found: the shared-footage test needs ../shared beside the repository (or BODYCAM_SHARED_FOOTAGE)`;
  if (process.env.BODYCAM_REQUIRE_SHARED_FOOTAGE === '1') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}

beforeAll(() => {
  if (HAS_FOOTAGE) requireTestTool('ffmpeg');
});

describe.skipIf(!HAS_FOOTAGE)('the shared footage, imported and replayed', () => {
  it('keeps exactly the frames the rule picks, at their imported capture times', () => {
    const work = tempDir('footage');
    const fixtureDir = join(work, 'people');
    const imported = runCli(['fixture', 'import', FOOTAGE, '--out', fixtureDir]);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 1394 frames 768x432 \(10 fps nominal\), no audio/);
    expect(readFileSync(join(fixtureDir, 'ATTRIBUTION.md'), 'utf8')).toContain('CC BY 4.0');
    const times = readFileSync(join(fixtureDir, 'timestamps.csv'), 'utf8').trim().split('\n').slice(1).map(Number);
    expect(times).toHaveLength(1394);

    const scenario = join(work, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({
      format: 'bodycam-scenario/1', clock: { start: '2026-11-22T10:15:00+01:00' },
      events: [{ at: 47.3, press: 'record', hold: 0.2 }, { at: 101, press: 'record', hold: 3.4 }],
    }));
    const out = join(work, 'out');
    const result = runCli(['run', fixtureDir, '--scenario', scenario, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = readManifests(out)[0] as RecordingManifest;
    const T = 47_350_000;
    const S = 104_000_000;
    const expected = times.filter((t) => t >= T - 30_000_000 && t < S);
    expect(manifest).toMatchObject({
      trigger: { atUs: T }, stop: { atUs: S, reason: 'button' }, audio: null,
      video: { width: 768, height: 432, frames: expected.length, firstFrameUs: expected[0], lastFrameUs: expected[expected.length - 1] },
      preRoll: { limitedBy: null, actualUs: T - (expected[0] ?? 0) },
    });
    const pts = ffprobeFramePtsUs(join(out, 'recordings', manifest.file));
    expect(pts).toEqual(expected.map((t) => Math.round((t - (expected[0] ?? 0)) / 100) * 100));
  });
});
