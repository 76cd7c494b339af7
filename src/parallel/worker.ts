/**
 * A worker thread's entry: runs the jobs the pool posts, one at a time, and posts each outcome.
 * Loaded as compiled JS (dist/parallel/worker.js).
 */
import { parentPort } from 'node:worker_threads';
import type { JobOutcome, ScenarioJob } from './job-outcome.js';
import { runScenarioJob } from './scenario-job.js';

/** A message from the pool: run job `index`. */
export interface WorkerRequest {
  readonly index: number;
  readonly job: ScenarioJob;
}

/** A message to the pool: job `index` finished. */
export interface WorkerReply {
  readonly index: number;
  readonly outcome: JobOutcome;
}

/** A message to the pool: job `index` has replayed this fraction of its fixture (for a progress bar). */
export interface WorkerProgress {
  readonly index: number;
  readonly progress: number;
}

/** Progress is posted at most once per whole percent, so the messages stay few. */
function progressPoster(post: (message: WorkerProgress) => void, index: number): (fraction: number) => void {
  let lastPercent = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    post({ index, progress: fraction });
  };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: WorkerRequest) => {
    runScenarioJob(request.job, progressPoster((message) => port.postMessage(message), request.index))
      .then((outcome) => port.postMessage({ index: request.index, outcome } satisfies WorkerReply));
  });
}
