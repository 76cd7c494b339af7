/**
 * Runs many jobs over worker threads, `jobs` at a time, and gives their outcomes in input order.
 * Each worker runs one job at a time; a job failing does not stop the others. With one job slot
 * (or one job), jobs run in this thread, one after another.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BodycamError } from '../errors/index.js';
import { runScenarioJob } from './scenario-job.js';
import { type JobOutcome, type ScenarioJob, serializeError } from './job-outcome.js';
import type { WorkerProgress, WorkerReply, WorkerRequest } from './worker.js';

/** How to run a batch of jobs. */
export interface RunJobsOptions {
  /** Jobs at once (worker threads); default: the number of cores. */
  readonly jobs?: number;
  /**
   * Frames each job encodes at once when several jobs run together (default
   * {@link defaultEncodeConcurrency}); a single job keeps the replay's own default.
   */
  readonly encodeConcurrency?: number;
  /** Called as each job settles (in completion order), with the host time it took (for display only). */
  readonly onSettled?: (index: number, outcome: JobOutcome, wallMs: number) => void;
  /** Called as a job replays, with the fraction of its fixture done (for a progress bar only). */
  readonly onProgress?: (index: number, fraction: number) => void;
}

/** Default number of jobs at once: one per core. */
export function defaultJobCount(): number {
  return Math.max(1, cpus().length);
}

/**
 * Frames each parallel job encodes at once: the cores shared out between the jobs, at least 2
 * (docs/check.md has the measurements behind it).
 */
export function defaultEncodeConcurrency(jobs: number): number {
  return Math.max(2, Math.round((2 * cpus().length) / Math.max(1, jobs)));
}

/** The compiled worker next to this module; running from sources (tsx) has none. */
function workerUrl(): URL {
  const url = new URL('./worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw BodycamError.runtime(`parallel runs load the compiled worker ${fileURLToPath(url)}, which is missing: run \`npm run build\` and use the package from dist/`);
  }
  return url;
}

async function runHere(job: ScenarioJob, onProgress?: (fraction: number) => void): Promise<JobOutcome> {
  return runScenarioJob(job, onProgress);
}

/** Runs one job on `worker`; resolves with its outcome, or with a failure if the worker dies. */
function runOnWorker(
  worker: Worker, index: number, job: ScenarioJob, onProgress?: (index: number, fraction: number) => void,
): Promise<{ outcome: JobOutcome; alive: boolean }> {
  return new Promise((resolvePromise) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply | WorkerProgress): void => {
      if (reply.index !== index) return;
      if ('progress' in reply) {
        onProgress?.(index, reply.progress);
        return;
      }
      cleanup();
      resolvePromise({ outcome: reply.outcome, alive: true });
    };
    const onError = (error: Error): void => {
      cleanup();
      resolvePromise({ outcome: { ok: false, error: serializeError(BodycamError.runtime(`worker thread failed: ${error.message}`, error)) }, alive: false });
    };
    const onExit = (code: number): void => {
      cleanup();
      resolvePromise({ outcome: { ok: false, error: serializeError(BodycamError.runtime(`worker thread exited with code ${code}`)) }, alive: false });
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ index, job } satisfies WorkerRequest);
  });
}

/** Runs `jobs`; the outcomes come back in the same order as the jobs. */
export async function runJobs(jobs: readonly ScenarioJob[], options: RunJobsOptions = {}): Promise<JobOutcome[]> {
  const slots = Math.max(1, Math.min(options.jobs ?? defaultJobCount(), jobs.length));
  const outcomes: JobOutcome[] = new Array<JobOutcome>(jobs.length);
  const settle = (index: number, outcome: JobOutcome, startedMs: number): void => {
    outcomes[index] = outcome;
    options.onSettled?.(index, outcome, performance.now() - startedMs);
  };
  if (slots <= 1) {
    for (const [index, job] of jobs.entries()) {
      const startedMs = performance.now();
      const onProgress = options.onProgress;
      settle(index, await runHere(job, onProgress === undefined ? undefined : (fraction) => onProgress(index, fraction)), startedMs);
    }
    return outcomes;
  }
  const url = workerUrl();
  const encodeConcurrency = options.encodeConcurrency ?? defaultEncodeConcurrency(slots);
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    try {
      while (next < jobs.length) {
        const index = next;
        next += 1;
        const job = jobs[index] as ScenarioJob;
        const startedMs = performance.now();
        // a worker inherits the parent's flags; --input-type (node -e scripts) is refused by workers
        worker ??= new Worker(url, { execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')) });
        const { outcome, alive } = await runOnWorker(worker, index, { ...job, encodeConcurrency: job.encodeConcurrency ?? encodeConcurrency }, options.onProgress);
        if (!alive) worker = null;
        settle(index, outcome, startedMs);
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: slots }, lane));
  return outcomes;
}
