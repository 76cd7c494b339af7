/** The built CLI (`node bin/bodycam.js`) for tests that spawn it: builds first when dist/ is missing or older than src/. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The CLI launcher. */
export const BODYCAM_BIN = join(REPO_ROOT, 'bin', 'bodycam.js');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless dist/ is newer than every file in src/ (`npm test` has just built it). */
export function ensureBuilt(): void {
  const marker = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  if (existsSync(marker) && newestMtimeMs(join(REPO_ROOT, 'dist')) >= newestMtimeMs(join(REPO_ROOT, 'src'))) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed: ${result.stdout}${result.stderr}`);
}
