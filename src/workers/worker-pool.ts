/**
 * The one way this project runs work on worker threads (the splice workers of src/encoder, the
 * `--jobs` runs of src/parallel, the recording hash of src/recorder): a pool of at most `size`
 * workers started on first use, each request tagged with an id and answered by a promise, the
 * least busy worker taking the next request, workers that keep the process alive only while
 * they have work.
 *
 * A worker counts as started when its module has loaded and said so ({@link serveRequests}).
 * One that fails before that fails the pool loudly: every request, then and after, is rejected
 * with a `runtime` {@link BodycamError} naming the worker and why. One that fails later rejects
 * only the requests it held (same error type) and is replaced by the next request.
 *
 * Running from TypeScript sources (vitest, tsx), {@link workerModule} picks the worker's `.ts`
 * beside the caller and the pool loads it through tsx's loader, so a test or a bench never runs
 * a stale dist/ copy of the code it is testing.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, type Transferable, Worker } from 'node:worker_threads';
import { BodycamError, errorMessage } from '../errors/index.js';

/** What a pool runs: a module file (compiled or, from sources, TypeScript) or CommonJS source to evaluate. */
export type WorkerSource = { readonly file: URL } | { readonly eval: string };

/** How a pool starts its workers. */
export interface WorkerPoolOptions {
  /** Named in errors: "the splice worker". */
  readonly name: string;
  readonly source: WorkerSource;
  /** At most this many workers. */
  readonly size: number;
  readonly resourceLimits?: ResourceLimits;
  /** Node flags of the workers (default none: not the parent's). */
  readonly execArgv?: readonly string[];
}

/** Messages between a pool and its workers. */
export type ToWorker = { readonly id: number; readonly request: unknown };
export type FromWorker =
  | { readonly ready: true }
  | { readonly id: number; readonly reply: unknown }
  | { readonly id: number; readonly progress: unknown }
  | { readonly id: number; readonly error: string };

interface Pending {
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: BodycamError) => void;
  readonly onProgress: ((progress: unknown) => void) | undefined;
}

interface PooledWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  ready: boolean;
  gone: boolean;
}

/**
 * The worker module `name` (without extension) beside the module at `callerUrl`: `name.ts` when
 * the caller is TypeScript (running from sources), `name.js` when it is compiled.
 */
export function workerModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}

/**
 * CommonJS that loads a TypeScript worker module through tsx's loader: workers of Node 20 do not
 * get the parent's loader hooks, nor honour `--import tsx` in their own flags.
 */
const TYPESCRIPT_BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.module); }).catch((error) => {
  setImmediate(() => { throw error; });
});
`;

const startFailures = new WeakSet<BodycamError>();

/** True when `error` says a pool's worker could not start (rather than failed while working). */
export function isStartFailure(error: unknown): boolean {
  return error instanceof BodycamError && startFailures.has(error);
}

/** A start failure: a `runtime` BodycamError that {@link isStartFailure} knows. */
function startFailure(message: string, cause?: unknown): BodycamError {
  const error = BodycamError.runtime(message, cause);
  startFailures.add(error);
  return error;
}

/** A pool of worker threads answering typed requests (see the module's comment). */
export class WorkerPool<Request, Reply> {
  private readonly workers: PooledWorker[] = [];
  private failed: BodycamError | null = null;
  private nextId = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Workers running now. */
  get running(): number {
    return this.workers.length;
  }

  /**
   * Runs `request` on a worker; `transfer` moves buffers instead of copying them, `onProgress`
   * hears the worker's progress messages for this request. Rejects with a `runtime` BodycamError
   * when no worker could start or the one running it failed.
   */
  run(request: Request, options: { readonly transfer?: readonly Transferable[]; readonly onProgress?: (progress: unknown) => void } = {}): Promise<Reply> {
    let pooled: PooledWorker;
    try {
      pooled = this.pick();
    } catch (error) {
      return Promise.reject(error instanceof BodycamError ? error : BodycamError.runtime(`${this.options.name}: ${errorMessage(error)}`, error));
    }
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pooled.pending.set(id, { resolve: resolve as (reply: unknown) => void, reject, onProgress: options.onProgress });
      pooled.worker.ref();
      pooled.worker.postMessage({ id, request } satisfies ToWorker, [...(options.transfer ?? [])]);
    });
  }

  /** Stops every worker; requests they held are rejected. */
  async close(): Promise<void> {
    const stopping = this.workers.splice(0);
    await Promise.all(stopping.map((pooled) => pooled.worker.terminate()));
  }

  /** An idle worker, a new one while fewer than `size` run, else the least busy. */
  private pick(): PooledWorker {
    if (this.failed !== null) throw this.failed;
    const idle = this.workers.find((pooled) => pooled.pending.size === 0);
    if (idle !== undefined) return idle;
    if (this.workers.length < Math.max(1, this.options.size)) {
      const started = this.start();
      this.workers.push(started);
      return started;
    }
    return this.workers.reduce((best, pooled) => (pooled.pending.size < best.pending.size ? pooled : best));
  }

  private start(): PooledWorker {
    const { name, source, resourceLimits, execArgv = [] } = this.options;
    let worker: Worker;
    if ('eval' in source) {
      worker = new Worker(source.eval, { eval: true, execArgv: [...execArgv], ...(resourceLimits === undefined ? {} : { resourceLimits }) });
    } else {
      const path = fileURLToPath(source.file);
      if (!existsSync(path)) {
        throw startFailure(`${name} cannot start: its module ${path} is missing${path.endsWith('.js') ? ' (run `npm run build`)' : ''}`);
      }
      const limits = resourceLimits === undefined ? {} : { resourceLimits };
      worker = path.endsWith('.ts')
        ? new Worker(TYPESCRIPT_BOOT, { eval: true, execArgv: [...execArgv], workerData: { tsxApi: tsxApiUrl(name), module: source.file.href }, ...limits })
        : new Worker(source.file, { execArgv: [...execArgv], ...limits });
    }
    const pooled: PooledWorker = { worker, pending: new Map(), ready: false, gone: false };
    worker.on('message', (message: FromWorker) => this.receive(pooled, message));
    worker.on('error', (error) => this.lost(pooled, errorMessage(error), error));
    worker.on('messageerror', (error) => this.lost(pooled, `a message could not be read: ${errorMessage(error)}`, error));
    worker.on('exit', (code) => this.lost(pooled, `exited with code ${code}`));
    worker.unref();
    return pooled;
  }

  private receive(pooled: PooledWorker, message: FromWorker): void {
    if ('ready' in message) {
      pooled.ready = true;
      return;
    }
    const pending = pooled.pending.get(message.id);
    if (pending === undefined) return;
    if ('progress' in message) {
      pending.onProgress?.(message.progress);
      return;
    }
    pooled.pending.delete(message.id);
    if (pooled.pending.size === 0) pooled.worker.unref();
    if ('error' in message) pending.reject(BodycamError.runtime(`${this.options.name}: ${message.error}`));
    else pending.resolve(message.reply);
  }

  /** A worker failed or exited: its requests are rejected; before it started, the whole pool fails. */
  private lost(pooled: PooledWorker, why: string, cause?: unknown): void {
    // An error is followed by an exit: the first says why.
    if (pooled.gone) return;
    pooled.gone = true;
    const index = this.workers.indexOf(pooled);
    if (index >= 0) this.workers.splice(index, 1);
    const error = pooled.ready
      ? BodycamError.runtime(`${this.options.name} failed: ${why}`, cause)
      : startFailure(`${this.options.name} could not start: ${why}`, cause);
    if (!pooled.ready && this.failed === null) this.failed = error;
    for (const pending of pooled.pending.values()) pending.reject(error);
    pooled.pending.clear();
  }
}

/** tsx's loader API (its ES module), for workers running TypeScript; a clear error where tsx is not installed. */
function tsxApiUrl(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    const manifest = require('tsx/package.json') as { exports: Record<string, { import?: { default?: string } }> };
    const entry = manifest.exports['./esm/api']?.import?.default;
    if (entry === undefined) throw new Error('tsx/package.json names no ES module for tsx/esm/api');
    return new URL(entry, pathToFileURL(require.resolve('tsx/package.json'))).href;
  } catch (error) {
    throw startFailure(`${name} cannot start from TypeScript sources without tsx (a dev dependency): ${errorMessage(error)}`, error);
  }
}
