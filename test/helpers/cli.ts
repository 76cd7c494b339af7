/** Runs the built CLI (dist/) as a user would, and reads what a run wrote. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'bodycam.js');

/** Result of one CLI invocation. */
export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bodycam ...args` with the compiled CLI; fails clearly when it has not been built. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
  }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Manifests in `outDir/recordings`, in id order. */
export function readManifests(outDir: string): RecordingManifest[] {
  const dir = join(outDir, 'recordings');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordingManifest);
}

/** Events of `outDir/events.jsonl`. */
export function readEvents(outDir: string): DeviceEvent[] {
  return readFileSync(join(outDir, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeviceEvent);
}
