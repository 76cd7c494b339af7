/** Test helpers for external tools: a clear failure when ffmpeg is missing (CI always has it). */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Throws with an install hint unless `tool` is on PATH; tests call it in beforeAll. */
export function requireTestTool(tool: 'ffmpeg' | 'ffprobe'): void {
  const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(`${tool} not found: these tests need it (Debian: apt-get install -y ffmpeg); CI installs it in .ci/run`);
  }
}

/** Runs a tool, throwing with its stderr on failure; returns stdout. */
export function run(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bodycam-${prefix}-`));
}

/** Video frame presentation times in µs as ffprobe reports them (decode order sorted). */
export function ffprobeFramePtsUs(file: string, stream = 'v:0'): number[] {
  const out = run('ffprobe', ['-v', 'error', '-select_streams', stream, '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file]);
  return out.split('\n').map((line) => line.trim().replace(/,$/, '')).filter((line) => line !== '').map((s) => Math.round(Number(s) * 1e6));
}

/** Every file under `dir` with its SHA-256, by relative path (for comparing output trees). */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
