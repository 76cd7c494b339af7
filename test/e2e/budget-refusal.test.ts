/**
 * Issue 14: a byte budget the device cannot honour at all (less than three frames at one byte per
 * pixel) is refused before anything runs: exit 2, one line naming the key, no output folder.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

let fixtureDir = '';
beforeAll(async () => {
  fixtureDir = (await makeFixture({ fps: 10, frames: 20, width: 320, height: 180 })).dir;
});

describe('a byte budget below what the device can honour', () => {
  it('in the scenario: exit 2, one line naming device.bufferBytes and the minimum', async () => {
    const dir = tempDir('budget-refused');
    const scenario = join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', device: { bufferBytes: 172_799 }, events: [{ at: 1, press: 'record' }] }));
    const result = await bodycam('run', fixtureDir, '--scenario', scenario, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`bodycam: ${scenario}: device.bufferBytes: expected at least 172800 bytes for 320x180 video (three frames at one byte per pixel: the frame being written, the next one, and the arena's wrap), found 172799\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('in a --config file: the line names that file and its key', async () => {
    const dir = tempDir('budget-refused-config');
    const config = join(dir, 'device.json');
    writeFileSync(config, JSON.stringify({ bufferBytes: 65_536 }));
    const result = await bodycam('run', fixtureDir, '--config', config, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^bodycam: ${config.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: bufferBytes: expected at least 172800 bytes for 320x180 video .*found 65536\\n$`));
  });

  it('exactly the minimum is accepted', async () => {
    const dir = tempDir('budget-minimum');
    const scenario = join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', device: { bufferBytes: 172_800 }, events: [] }));
    const result = await bodycam('run', fixtureDir, '--scenario', scenario, '--out', join(dir, 'out'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
