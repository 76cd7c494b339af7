/**
 * A worker thread's entry (src/workers' pool): runs the jobs the pool posts, one at a time, and
 * answers each with its outcome, posting its progress on the way.
 */
import type { JobOutcome, ScenarioJob } from './job-outcome.js';
import { runScenarioJob } from './scenario-job.js';
import { serveRequests } from '../workers/index.js';

/** A request from the pool: run this job. */
export interface WorkerRequest {
  readonly job: ScenarioJob;
}

/** Progress is posted at most once per whole percent, so the messages stay few. */
function progressPoster(post: (fraction: number) => void): (fraction: number) => void {
  let lastPercent = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    post(fraction);
  };
}

serveRequests<WorkerRequest, JobOutcome>(async (request, progress) => {
  const reply = await runScenarioJob(request.job, progressPoster(progress));
  return { reply };
});
