/**
 * One team scenario over worker threads (`bodycam run TEAM.json --jobs N`, contract §10): the
 * cameras are split into N contiguous slices in the scenario's order ({@link splitCameras}, the
 * slices of `--shard i/N`), each worker runs its slice exactly as a `--shard` run does (every
 * worker plans the bus from the scenario; the senders of its groups run beside it as shadows, so
 * a cancel crossing slices arrives), and this thread makes the team's files from the parts
 * ({@link finishTeamRun}, the same code as a run in one process). So every file is the bytes of
 * `--jobs 1`.
 *
 * What it costs: each worker reads and decodes the frames of the fixtures its cameras (and
 * shadows) capture, so a fixture shared by cameras in several slices is decoded once per slice.
 */
import { resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';
import {
  type FleetPart, type FleetRunResult, type FleetScenario, beginTeamRun, finishTeamRun, prepareFleet, runFleet,
} from '../fleet/index.js';
import { WorkerPool, isStartFailure, workerFlags, workerModule } from '../workers/index.js';
import { splitCameras } from './camera-shard.js';
import { type JobOutcome, type ScenarioJob, deserializeError, serializeError } from './job-outcome.js';
import type { WorkerRequest } from './worker.js';

/** A team run split over worker threads. */
export interface RunTeamJobsOptions {
  /** The team scenario's file (each worker reads it again). */
  readonly scenarioFile: string;
  readonly configFile?: string;
  readonly outDir: string;
  /** Worker threads (at most one per camera); 1 runs the team in this thread, as `runFleet`. */
  readonly jobs: number;
  /** Only these cameras (`--shard i/n`), split over the workers; default every camera. */
  readonly cameras?: readonly string[];
  readonly evidence?: ScenarioJob['evidence'];
  readonly timeline?: boolean;
  readonly allowOutsideFixture?: boolean;
  /** Called with the fraction of the run done (the workers' mean; for a progress bar only). */
  readonly onProgress?: (fraction: number) => void;
}

/** The job worker of src/parallel (its TypeScript from sources, else the compiled one). */
const JOB_WORKER = workerModule(import.meta.url, 'worker');

/**
 * Runs a team scenario over `jobs` worker threads; see the module comment.
 * @throws BodycamError `bad-input` before anything is written; the first failing slice's error (in the scenario's order) after
 */
export async function runTeamJobs(options: RunTeamJobsOptions): Promise<FleetRunResult> {
  const common = {
    scenarioFile: resolve(options.scenarioFile),
    outDir: resolve(options.outDir),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
    ...(options.evidence === undefined ? {} : { evidence: options.evidence }),
  };
  // Every input is validated here, before a worker starts or anything is written (contract §8).
  const whole = await prepareFleet(common);
  const ids = options.cameras ?? whole.scenario.devices.map((device) => device.id);
  const slices = splitCameras(ids, options.jobs);
  if (slices.length <= 1) {
    return runFleet({ ...common, ...(options.cameras === undefined ? {} : { cameras: options.cameras }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) });
  }
  checkCameras(whole.scenario, ids);
  beginTeamRun(common.outDir, ids);
  const pool = new WorkerPool<WorkerRequest, JobOutcome>({
    name: 'the team worker', source: { file: JOB_WORKER }, size: slices.length,
    // The parent's flags, but those a worker refuses (its heap sizes become its resource limits).
    ...workerFlags(),
  });
  const fractions = slices.map(() => 0);
  let outcomes: JobOutcome[];
  try {
    outcomes = await Promise.all(slices.map((cameras, i) => pool.run(
      { job: { ...common, team: true, cameras } },
      {
        onProgress: (fraction) => {
          fractions[i] = fraction as number;
          options.onProgress?.(fractions.reduce((sum, value) => sum + value, 0) / fractions.length);
        },
      },
    ).catch((error: unknown): JobOutcome => {
      if (isStartFailure(error)) throw error;
      return { ok: false, error: serializeError(error) };
    })));
  } finally {
    await pool.close();
  }
  const parts: FleetPart[] = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) throw deserializeError(outcome.error);
    if (!('part' in outcome)) throw BodycamError.runtime('the team worker answered without its part of the team');
    parts.push(outcome.part);
  }
  return finishTeamRun(whole, parts, { outDir: common.outDir, timeline: options.timeline ?? true, ...(options.cameras === undefined ? {} : { cameras: options.cameras }) });
}

/**
 * @throws BodycamError `usage` for a camera id the scenario does not have (as a `--shard` run says)
 */
function checkCameras(scenario: FleetScenario, ids: readonly string[]): void {
  const known = new Set(scenario.devices.map((device) => device.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown !== undefined) throw BodycamError.usage(`no camera "${unknown}" in the team (cameras: ${[...known].join(', ')})`);
}
