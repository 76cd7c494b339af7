/** Runs the CLI's `main` in this process with captured output (fast, for tables and fuzzing). */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** Exit code and output of one CLI call. */
export interface InProcessResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } });
  return { stream, text: () => chunks.join('') };
}

/** `bodycam ...args`, in process. */
export async function bodycam(...args: string[]): Promise<InProcessResult> {
  const stdout = collector();
  const stderr = collector();
  const status = await main(['node', 'bodycam', ...args], { stdout: stdout.stream, stderr: stderr.stream });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}
