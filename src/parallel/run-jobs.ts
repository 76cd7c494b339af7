/**
 * Runs many jobs over worker threads, `jobs` at a time, and gives their outcomes in input order.
 * Each worker runs one job at a time; a job failing does not stop the others. With one job slot
 * (or one job), jobs run in this thread, one after another.
 */
import { cpus } from 'node:os';
import { WorkerPool, isStartFailure, workerFlags, workerModule } from '../workers/index.js';
import { runScenarioJob } from './scenario-job.js';
import { type JobOutcome, type ScenarioJob, serializeError } from './job-outcome.js';
import type { WorkerRequest } from './worker.js';

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

/** The job worker beside this module: its TypeScript from sources (tests, tsx), else the compiled one. */
const JOB_WORKER = workerModule(import.meta.url, 'worker');

async function runHere(job: ScenarioJob, onProgress?: (fraction: number) => void): Promise<JobOutcome> {
  return runScenarioJob(job, onProgress);
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
  const encodeConcurrency = options.encodeConcurrency ?? defaultEncodeConcurrency(slots);
  // One job per worker at a time: `slots` lanes, each waiting for its job, over `slots` workers.
  const pool = new WorkerPool<WorkerRequest, JobOutcome>({
    name: 'the job worker', source: { file: JOB_WORKER }, size: slots,
    // The parent's flags, but those a worker refuses (its heap sizes become its resource limits).
    ...workerFlags(),
  });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next;
      next += 1;
      const job = jobs[index] as ScenarioJob;
      const startedMs = performance.now();
      const onProgress = options.onProgress;
      const outcome = await pool.run(
        { job: { ...job, encodeConcurrency: job.encodeConcurrency ?? encodeConcurrency } },
        onProgress === undefined ? {} : { onProgress: (fraction) => onProgress(index, fraction as number) },
      ).catch((error: unknown): JobOutcome => {
        // No worker at all fails the batch loudly; one that died fails only its job.
        if (isStartFailure(error)) throw error;
        return { ok: false, error: serializeError(error) };
      });
      settle(index, outcome, startedMs);
    }
  };
  try {
    await Promise.all(Array.from({ length: slots }, lane));
  } finally {
    await pool.close();
  }
  return outcomes;
}
