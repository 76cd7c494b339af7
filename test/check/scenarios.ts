/** Scenario files on the tiny jitter-drops fixture (10 fps, 5.7 s, 64x36) for the check and parallel tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';

/** The tiny fixture every test scenario runs on. */
export const TINY_FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'jitter-drops');

/** A scenario on the tiny fixture: record at `atSeconds`, stop by a 1.2 s hold at `stopSeconds`, and `expect`. */
export function tinyScenario(expect: readonly unknown[], atSeconds = 2.5, stopSeconds = 4): Record<string, unknown> {
  return {
    format: 'bodycam-scenario/1',
    fixture: TINY_FIXTURE,
    device: { preRecordSeconds: 1, stopHoldSeconds: 1 },
    events: [{ at: atSeconds, press: 'record' }, { at: stopSeconds, press: 'record', hold: 1.2 }],
    expect,
  };
}

/** Writes `scenario` as JSON to `file` (creating folders); returns the path. */
export function writeScenario(file: string, scenario: Record<string, unknown>): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}

/** Runs the CLI in this process (from sources) and captures its output and exit code. */
export async function runInProcess(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stream = (append: (text: string) => void) => ({ write: (text: string) => { append(text); return true; } }) as unknown as NodeJS.WritableStream;
  const status = await main(['node', 'bodycam', ...args], {
    stdout: stream((text) => { stdout += text; }),
    stderr: stream((text) => { stderr += text; }),
  });
  return { status, stdout, stderr };
}
