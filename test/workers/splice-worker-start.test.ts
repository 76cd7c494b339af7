/**
 * Issue 15: a splice worker that cannot start ends the run loudly (exit 3, one line naming the
 * worker) instead of the frames being spliced silently on the main thread or dropped. Runs a copy
 * of the compiled package from which the worker's module is removed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tools.js';

// Inside the repository, so the copy resolves sharp and the rest from its node_modules.
const copy = mkdtempSync(join(ROOT, 'node_modules', '.cache-bodycam-broken-dist-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('a splice worker that cannot start', () => {
  it('ends bodycam run with exit 3 and one line naming the worker', () => {
    cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
    rmSync(join(copy, 'dist', 'encoder', 'block-burn-in-worker.js'));
    writeFileSync(join(copy, 'cli.mjs'), "import { main } from './dist/cli/main.js';\nprocess.exitCode = await main(process.argv);\n");
    const outDir = tempDir('broken-worker');
    const result = spawnSync(process.execPath, [join(copy, 'cli.mjs'), 'run', join(ROOT, 'fixtures', 'street-warning'), '--out', outDir], { encoding: 'utf8', env: { ...process.env, BODYCAM_FRAME_CACHE: 'off' } });
    expect(result.status).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the splice worker cannot start: its module .*block-burn-in-worker\.js is missing/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
