/** Runs one job where it is called (the main thread, or a worker): a one-camera run, or a team's. */
import { runFleet, runFleetPart } from '../fleet/index.js';
import { runJob } from '../sim/index.js';
import { type JobOutcome, type ScenarioJob, serializeError } from './job-outcome.js';

/** Runs `job` to its outcome; never throws (a failure is the outcome). */
export async function runScenarioJob(job: ScenarioJob, onProgress?: (fraction: number) => void): Promise<JobOutcome> {
  try {
    if (job.team === true) {
      const { team: _team, source: _source, cameras, ...rest } = job;
      if (cameras !== undefined) return { ok: true, part: await runFleetPart({ ...rest, cameras, ...(onProgress === undefined ? {} : { onProgress }) }) };
      return { ok: true, team: await runFleet({ ...rest, ...(onProgress === undefined ? {} : { onProgress }) }) };
    }
    return { ok: true, result: await runJob(onProgress === undefined ? job : { ...job, onProgress }) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
