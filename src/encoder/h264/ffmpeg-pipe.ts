/**
 * One long-lived ffmpeg process that turns each frame written to its stdin into one unit on its
 * stdout, in order (the H.264 encoder: raw frames in, FLV packets out; the decoder: H.264 in,
 * PNG frames out). The node edge of src/encoder/h264:
 *
 * - `submit` writes a frame and resolves with its unit; writes wait for the pipe to drain
 *   (back-pressure), so no more than the caller's frames in flight are ever buffered;
 * - a process that fails (exits, crashes, writes garbage) rejects every frame waiting and every
 *   later one with one runtime error naming the process and its last stderr line (exit 3);
 * - `close` ends stdin and waits for the exit; `kill` ends it at once (an aborted run): either
 *   way the child is reaped, never left a zombie.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { BodycamError } from '../../errors/index.js';

/** Turns stdout bytes into whole units as they arrive. */
export interface UnitParser<T> {
  push(bytes: Uint8Array): T[];
}

/** Throws `missing-tool` (one line naming the Debian package) unless ffmpeg runs. */
export function requireFfmpeg(neededFor: string): void {
  const probe = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new BodycamError('missing-tool', `ffmpeg not found on PATH; ${neededFor} needs it (Debian: apt-get install -y ffmpeg)`);
  }
}

interface Waiter<T> {
  resolve(unit: T): void;
  reject(error: BodycamError): void;
}

/** See the module comment. */
export class FfmpegPipe<T> {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Waiter<T>[] = [];
  private readonly early: T[] = [];
  private failure: BodycamError | null = null;
  private stderrTail = '';
  private writeChain: Promise<void> = Promise.resolve();
  private readonly exited: Promise<void>;
  private closing = false;

  /**
   * @param onStderrLine sees each whole stderr line first; a line it returns true for is the
   *   caller's (a filter's report, say) and is kept out of the error message's tail
   */
  constructor(private readonly name: string, args: readonly string[], private readonly parser: UnitParser<T>, onStderrLine?: (line: string) => boolean) {
    this.child = spawn('ffmpeg', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.onOutput(chunk));
    this.child.stderr.setEncoding('utf8');
    let partial = '';
    this.child.stderr.on('data', (text: string) => {
      if (onStderrLine === undefined) {
        this.stderrTail = (this.stderrTail + text).slice(-2000);
        return;
      }
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (!onStderrLine(line)) this.stderrTail = `${this.stderrTail}${line}\n`.slice(-2000);
    });
    // A write after the process died raises EPIPE here; the exit handler reports why it died.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.fail(BodycamError.runtime(`${this.name} (ffmpeg) could not be started: ${error.message}`, error));
        resolve();
      });
      this.child.on('close', (code, signal) => {
        if (!this.closing || this.waiting.length > 0 || (code !== 0 && signal === null)) {
          const last = this.stderrTail.trim().split('\n').at(-1) ?? '';
          const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
          this.fail(BodycamError.runtime(`${this.name} (ffmpeg) ${how}${last === '' ? '' : `: ${last}`}`));
        }
        resolve();
      });
    });
  }

  /** Writes bytes that answer no unit (a stream header). */
  writeHeader(bytes: Uint8Array): void {
    this.writeChain = this.writeChain.then(() => this.write([bytes]));
  }

  /** Writes one frame's parts and resolves with the unit it produces. */
  submit(parts: readonly Uint8Array[]): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const unit = new Promise<T>((resolve, reject) => {
      const ready = this.early.shift();
      if (ready !== undefined) resolve(ready);
      else this.waiting.push({ resolve, reject });
    });
    this.writeChain = this.writeChain.then(() => this.write(parts));
    return unit;
  }

  /** Ends the input and waits for the process to exit (it writes what it still holds first). */
  async close(): Promise<void> {
    this.closing = true;
    await this.writeChain.catch(() => undefined);
    this.child.stdin.end();
    await this.exited;
  }

  /** Ends the process at once and reaps it. */
  async kill(): Promise<void> {
    this.closing = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    this.fail(BodycamError.runtime(`${this.name} (ffmpeg) was stopped`));
  }

  /** Resolves when the process has exited (and been reaped). */
  get whenExited(): Promise<void> {
    return this.exited;
  }

  /** The process id (tests check it is gone). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private write(parts: readonly Uint8Array[]): Promise<void> {
    if (this.failure !== null) return Promise.resolve();
    let more = true;
    for (const part of parts) more = this.child.stdin.write(part);
    if (more) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.child.stdin.off('drain', done);
        this.child.off('close', done);
        resolve();
      };
      this.child.stdin.once('drain', done);
      this.child.once('close', done);
    });
  }

  private onOutput(chunk: Buffer): void {
    let units: T[];
    try {
      units = this.parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      this.fail(BodycamError.runtime(`${this.name} (ffmpeg) wrote output that cannot be read: ${(error as Error).message}`, error));
      this.child.kill('SIGKILL');
      return;
    }
    for (const unit of units) {
      const waiter = this.waiting.shift();
      if (waiter === undefined) this.early.push(unit);
      else waiter.resolve(unit);
    }
  }

  private fail(error: BodycamError): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}
