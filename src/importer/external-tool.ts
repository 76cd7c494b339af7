/** Running ffmpeg and ffprobe: found on PATH, or a clear `missing-tool` error saying how to get them. */
import { spawn, spawnSync } from 'node:child_process';
import { BodycamError } from '../errors/index.js';

const INSTALL_HINT = 'Debian/Ubuntu: apt-get install -y ffmpeg';

/** Throws `missing-tool` unless `tool` runs. */
export function requireTool(tool: 'ffmpeg' | 'ffprobe', neededFor: string): void {
  const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new BodycamError('missing-tool', `${tool} not found on PATH; ${neededFor} needs it (${INSTALL_HINT})`);
  }
}

/** Output of a finished tool run. */
export interface ToolRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `tool` with `args` and collects its output; `onStderrLine` sees stderr line by line as it
 * arrives (ffmpeg's showinfo lines), so huge logs need not be kept.
 */
export function runTool(tool: string, args: readonly string[], onStderrLine?: (line: string) => void): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderrTail: string[] = [];
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        onStderrLine?.(line);
        if (!line.includes('showinfo')) {
          stderrTail.push(line);
          if (stderrTail.length > 50) stderrTail.shift();
        }
      }
    });
    child.on('error', (error) => reject(BodycamError.runtime(`${tool} could not be started: ${error.message}`, error)));
    child.on('close', (status) => {
      if (partial !== '') onStderrLine?.(partial);
      resolve({ status: status ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderrTail.join('\n') });
    });
  });
}
