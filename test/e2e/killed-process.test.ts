/**
 * Issue 10, a killed process: SIGKILL in the middle of a replay. What was written stays readable up
 * to its last whole cluster; nothing half-written looks complete (no manifest for the cut-off
 * recording, the log is left as events.jsonl.part); `bodycam repair` recovers the recording.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';

describe('SIGKILL during a replay', () => {
  it('leaves a readable, clearly incomplete recording that repair recovers', async () => {
    requireTestTool('ffprobe');
    const out = tempDir('killed');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'bodycam.js'), 'run', '--out', out], { stdio: 'ignore' });
    const recordings = join(out, 'recordings');
    const mkvOf = () => (existsSync(recordings) ? readdirSync(recordings).find((f) => f.endsWith('.mkv')) : undefined);
    const deadline = Date.now() + 120_000;
    // Kill once the recording holds a few clusters (a few MB) but long before it is finalized.
    while (Date.now() < deadline) {
      const name = mkvOf();
      if (name !== undefined && statSync(join(recordings, name)).size > 3_000_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const name = mkvOf();
    expect(name).toBeDefined();
    const file = join(recordings, name ?? '');
    expect(existsSync(file.replace(/\.mkv$/, '.json'))).toBe(false);
    expect(existsSync(join(out, 'events.jsonl'))).toBe(false);
    expect(existsSync(join(out, 'events.jsonl.part'))).toBe(true);
    const parsed = readMatroska(new Uint8Array(readFileSync(file)));
    expect(parsed.finalized).toBe(false);
    const frames = parsed.blocks.filter((b) => b.trackNumber === 1).length;
    expect(frames).toBeGreaterThan(50);
    expect(ffprobeFramePtsUs(file).length).toBeGreaterThanOrEqual(frames);
    const repair = runCli(['repair', file]);
    expect(repair.status).toBe(0);
    expect(readdirSync(recordings)).toEqual([name]); // nothing written into recordings/
    const repaired = JSON.parse(readFileSync(join(out, 'repaired', (name ?? '').replace(/\.mkv$/, '.repaired.json')), 'utf8'));
    // The bundled scenario: record pressed at 40 s, a 30 s pre-roll (from the file's tags).
    expect(repaired).toMatchObject({
      repaired: true, complete: false, deviceId: 'DRD-BC-0001', video: { frames },
      trigger: { atUs: 40_050_000, source: 'button' }, preRoll: { requestedUs: 30_000_000, limitedBy: null },
    });
  }, 180_000);
});
