/**
 * `bodycam check` as a function: validate every scenario and its expectations first (bad input
 * stops everything before any output is written), run the scenarios over worker threads, then
 * evaluate each one's expectations against the `events.jsonl` and manifests it wrote (a team
 * scenario: every camera's `devices/<id>/` and the bus log).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceEvent } from '../events/index.js';
import { isFleetScenario, loadAnyScenario, prepareFleet } from '../fleet/index.js';
import { type JobOutcome, type ScenarioJob, type ShardSpec, outputNames, runJobs, runTeamJobs, selectShardIndices, serializeError } from '../parallel/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { checkOutDir, prepareJob } from '../sim/index.js';
import { evaluateExpectations } from './evaluate.js';
import { evaluateTeamExpectations } from './evaluate-team.js';
import type { Expectation } from './expectation-types.js';
import type { TeamExpectation, TeamRoster } from './team-expectation-types.js';
import { readTeamOutputs } from './team-files.js';
import type { ScenarioReport } from './junit.js';
import { parseExpectations } from './parse-expectations.js';
import { parseTeamExpectations } from './parse-team-expectations.js';
import { errorMessage } from '../errors/index.js';

/** What to check. */
export interface CheckOptions {
  /** Scenario files, as given. */
  readonly scenarios: readonly string[];
  /** Each scenario's outputs go to `outDir/<name>/`. */
  readonly outDir: string;
  /**
   * Scenarios run at once (worker threads); default: the number of cores. With one team scenario
   * and `jobs` above 1, its cameras are split over that many workers instead (`runTeamJobs`).
   */
  readonly jobs?: number;
  readonly shard?: ShardSpec;
  /** Device config file applied to every scenario (like `run --config`). */
  readonly configFile?: string;
  /** Read fixture paths that resolve outside the fixture's folder (`--allow-outside-fixture`). */
  readonly allowOutsideFixture?: boolean;
  /** Called with each scenario's outcome, in input order, as soon as it and those before it are done. */
  readonly onScenario?: (check: ScenarioCheck) => void;
  /** Called as scenarios replay, with the fraction done over the scenarios that run (for a progress bar only). */
  readonly onProgress?: (fraction: number) => void;
}

/** One scenario's check. */
export interface ScenarioCheck extends ScenarioReport {
  readonly outDir: string;
  /** True when it ran and every assertion passed. */
  readonly passed: boolean;
  /** The error's code when it did not run (`runtime`, ...), else null. */
  readonly errorCode: string | null;
}

/** The checks of a batch, in input order (the shard's scenarios only). */
export interface CheckRun {
  readonly scenarios: readonly ScenarioCheck[];
  readonly assertions: number;
  readonly failed: number;
  readonly errors: number;
}

interface PreparedCheck {
  readonly file: string;
  readonly name: string;
  readonly outDir: string;
  readonly expectations: readonly Expectation[];
  /** A team scenario's cameras and its assertions (then `expectations` is empty), else null. */
  readonly team: { readonly roster: TeamRoster; readonly expectations: readonly TeamExpectation[] } | null;
}

function readEvents(outDir: string): DeviceEvent[] {
  return readFileSync(join(outDir, 'events.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as DeviceEvent);
}

function evaluateOutcome(check: PreparedCheck, outcome: JobOutcome): ScenarioCheck {
  const base = { name: check.name, file: check.file, outDir: check.outDir, ...(check.team === null ? {} : { devices: check.team.roster.devices.map((device) => device.id) }) };
  if (!outcome.ok) return { ...base, results: [], error: outcome.error.message, errorCode: outcome.error.code ?? 'runtime', passed: false };
  try {
    if (check.team !== null) return evaluateTeamFiles(check, check.team);
    if (!('result' in outcome)) throw new Error('a team run for a one-camera scenario');
    return evaluateFiles(check, outcome.result.recordings);
  } catch (error) {
    const message = `reading the run's outputs in ${check.outDir}: ${errorMessage(error)}`;
    return { ...base, results: [], error: message, errorCode: 'runtime', passed: false };
  }
}

/** Evaluates a scenario's expectations against the events.jsonl and manifests its run wrote. */
function evaluateFiles(check: PreparedCheck, written: readonly RecordingManifest[]): ScenarioCheck {
  const base = { name: check.name, file: check.file, outDir: check.outDir };
  const recordings = written.map((m) => JSON.parse(readFileSync(join(check.outDir, 'recordings', `${m.id}.json`), 'utf8')) as RecordingManifest);
  const results = evaluateExpectations(check.expectations, { events: readEvents(check.outDir), recordings });
  return { ...base, results, error: null, errorCode: null, passed: results.every((result) => result.passed) };
}

/** Evaluates a team scenario's assertions against what its run wrote: every camera's folder and the bus log. */
function evaluateTeamFiles(check: PreparedCheck, team: NonNullable<PreparedCheck['team']>): ScenarioCheck {
  const base = { name: check.name, file: check.file, outDir: check.outDir, devices: team.roster.devices.map((device) => device.id) };
  const results = evaluateTeamExpectations(team.expectations, readTeamOutputs(check.outDir, team.roster));
  return { ...base, results, error: null, errorCode: null, passed: results.every((result) => result.passed) };
}

/**
 * Checks scenarios: runs each (its `fixture`, else the bundled fixture) and evaluates its `expect`.
 * @throws BodycamError `bad-input` for a malformed scenario or expectation, before anything runs
 */
export async function checkScenarios(options: CheckOptions): Promise<CheckRun> {
  const names = outputNames(options.scenarios);
  const chosenIndices = options.shard === undefined ? options.scenarios.map((_, index) => index) : selectShardIndices(options.scenarios, options.shard);
  const prepared: PreparedCheck[] = [];
  const allow = options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {};
  for (const index of chosenIndices) {
    const file = options.scenarios[index] as string;
    const scenario = await loadAnyScenario(file);
    const config = options.configFile === undefined ? {} : { configFile: options.configFile };
    const place = { file, name: names[index] as string, outDir: join(resolve(options.outDir), names[index] as string) };
    if (isFleetScenario(scenario)) {
      const roster: TeamRoster = { devices: scenario.devices.map((device) => ({ id: device.id, group: device.group })) };
      const expectations = parseTeamExpectations(scenario.expect, file, roster);
      await prepareFleet({ scenario, ...config, ...allow });
      prepared.push({ ...place, expectations: [], team: { roster, expectations } });
      continue;
    }
    const expectations = parseExpectations(scenario.expect, file);
    await prepareJob({ scenario, ...config, ...allow });
    prepared.push({ ...place, expectations, team: null });
  }
  const jobs: ScenarioJob[] = prepared.map((check) => ({
    scenarioFile: resolve(check.file), outDir: check.outDir, ...(options.configFile === undefined ? {} : { configFile: options.configFile }), ...allow,
    ...(check.team === null ? {} : { team: true as const }),
  }));
  for (const job of jobs) checkOutDir(job.outDir); // every output folder, before any scenario writes
  const checks: (ScenarioCheck | undefined)[] = new Array<ScenarioCheck | undefined>(prepared.length);
  let emitted = 0;
  const fractions = prepared.map(() => 0);
  const progress = (index: number, fraction: number): void => {
    fractions[index] = fraction;
    options.onProgress?.(fractions.reduce((sum, value) => sum + value, 0) / Math.max(1, fractions.length));
  };
  const settled = (index: number, outcome: JobOutcome): void => {
    progress(index, 1);
    checks[index] = evaluateOutcome(prepared[index] as PreparedCheck, outcome);
    while (emitted < checks.length && checks[emitted] !== undefined) {
      options.onScenario?.(checks[emitted] as ScenarioCheck);
      emitted += 1;
    }
  };
  const [only] = jobs;
  if (only !== undefined && jobs.length === 1 && only.team === true && options.jobs !== undefined && options.jobs > 1) {
    // One team and --jobs N: its cameras split over the workers (the same bytes as one thread).
    settled(0, await runTeamJobs({ ...only, scenarioFile: only.scenarioFile ?? '', jobs: options.jobs, onProgress: (fraction) => progress(0, fraction) }).then(
      (team): JobOutcome => ({ ok: true, team }),
      (error: unknown): JobOutcome => ({ ok: false, error: serializeError(error) }),
    ));
  } else {
    await runJobs(jobs, {
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
      ...(options.onProgress === undefined ? {} : { onProgress: progress }),
      onSettled: (index, outcome) => settled(index, outcome),
    });
  }
  const done = checks as ScenarioCheck[];
  return {
    scenarios: done,
    assertions: done.reduce((sum, check) => sum + check.results.length, 0),
    failed: done.reduce((sum, check) => sum + check.results.filter((result) => !result.passed).length, 0),
    errors: done.filter((check) => check.error !== null).length,
  };
}
