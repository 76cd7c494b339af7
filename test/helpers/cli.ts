/** Runs the built CLI (dist/) as a user would, and reads what a run wrote. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'bodycam.js');
/** What `npx bodycam` runs: the package's bin as npm links it (a symlink to the `bin/bodycam` launcher). */
export const NPX_BIN = join(ROOT, 'node_modules', '.bin', 'bodycam');

/** Result of one CLI invocation. */
export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `bodycam ...args` with the compiled CLI (`node bin/bodycam.js`, or with `viaNpxBin` the launcher npx runs); fails clearly when it has not been built. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; viaNpxBin?: boolean } = {}): CliResult {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
  }
  if (options.viaNpxBin === true && !existsSync(NPX_BIN)) throw new Error(`${NPX_BIN} is missing: run \`npm ci\` (its prepare script links it)`);
  const [command, commandArgs] = options.viaNpxBin === true ? [NPX_BIN, args] : [process.execPath, [BIN, ...args]];
  const result = spawnSync(command, commandArgs, {
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
