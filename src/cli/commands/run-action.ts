/**
 * What `bodycam run` does once its arguments are parsed. Kept apart from the command's
 * registration (run-command.ts) so that the replay's modules (sharp, the encoders, the worker
 * pool...) load only when `run` runs, not for `bodycam --version` or another command.
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BodycamError, type ErrorCode, exitCodeFor } from '../../errors/index.js';
import { type JobOutcome, deserializeError, outputNames, parseShard, runJobs, runTeamJobs, selectCameraShard, selectShardIndices } from '../../parallel/index.js';
import { type RecordingManifest, describeLoss } from '../../recorder/index.js';
import { type RunJobResult, checkOutDir, prepareJob, runJob } from '../../sim/index.js';
import { evidenceOf } from '../key-options.js';
import { type CliIo, jobsOption } from '../cli-io.js';
import { NO_PROGRESS, formatFleetSummary, formatRunSummary, jobsProgress, progressBar, stderrOf } from '../output.js';
import { type FleetRunResult, type FleetScenario, isFleetScenario, loadAnyScenario, runFleet } from '../../fleet/index.js';

/** Options of `bodycam run`, as commander parses them. */
export interface RunCommandOptions {
  readonly scenario?: string[];
  readonly config?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly jobs?: string;
  readonly shard?: string;
  readonly deviceKey?: string;
  readonly backOfficeKey?: string;
  readonly allowOutsideFixture?: boolean;
}

/** The `--json` summary of one run. */
function runSummaryJson(result: RunJobResult): Record<string, unknown> {
  return {
    format: 'bodycam-run-summary/1',
    source: result.sourcePath,
    scenario: result.scenarioFile,
    outDir: result.outDir,
    events: result.eventsFile,
    eventCount: result.eventCount,
    endUs: result.endUs,
    recordings: result.recordings,
    lost: lostOf(result.recordings),
  };
}

/** The recordings that lost frames, with what they lost (contract §12); empty when none did. */
function lostOf(recordings: readonly RecordingManifest[]): Record<string, unknown>[] {
  return recordings.flatMap((m) => (m.lost === undefined || m.lost === null ? [] : [{ id: m.id, ...m.lost }]));
}

/** One stderr line per recording that lost frames: a loss is never silent, even with --json. */
function reportLosses(io: CliIo, recordings: readonly RecordingManifest[]): void {
  for (const m of recordings) if (m.lost !== undefined && m.lost !== null) io.stderr.write(`bodycam: ${describeLoss(m.id, m.lost)}\n`);
}

/** Runs `bodycam run [source]` with its parsed options. */
export async function runCommandAction(io: CliIo, source: string | undefined, options: RunCommandOptions): Promise<void> {
  const jobs = jobsOption(options.jobs);
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const scenarios = options.scenario ?? [];
  const team = await teamScenarioOf(source, scenarios);
  if (team !== null) {
    await runTeam(io, team, options);
    return;
  }
  if (scenarios.length <= 1 && shard === undefined) {
    await runOne(io, source, scenarios[0], options);
    return;
  }
  const names = outputNames(scenarios);
  const indices = shard === undefined ? scenarios.map((_, index) => index) : selectShardIndices(scenarios, shard);
  if (indices.length === 0) {
    io.stderr.write(`bodycam: shard ${options.shard ?? ''} holds none of the ${scenarios.length} scenarios (vitest's split); nothing to run\n`);
    return;
  }
  const common = {
    ...(source === undefined ? {} : { source }),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    evidence: evidenceOf(options),
  };
  // every input is validated before anything is written (contract §8)
  for (const index of indices) await prepareJob({ ...common, scenarioFile: scenarios[index] as string });
  for (const index of indices) checkOutDir(resolve(options.out, names[index] as string));
  const bar = options.json === true ? NO_PROGRESS : progressBar('replaying', stderrOf(io));
  const progress = jobsProgress(bar, indices.length);
  const wallMs: number[] = [];
  const outcomes = await runJobs(
    indices.map((index) => ({ ...common, scenarioFile: scenarios[index] as string, outDir: join(options.out, names[index] as string) })),
    {
      ...(jobs === undefined ? {} : { jobs }),
      onSettled: (index, _outcome, ms) => {
        wallMs[index] = ms;
        progress.settled(index);
      },
      onProgress: progress.job,
    },
  );
  bar.done();
  reportMany(io, outcomes, wallMs, options.json === true);
}

/**
 * The team scenario this run is about, or null: `bodycam run TEAM.json` or `--scenario TEAM.json`
 * (a scenario with `devices`, contract §10). A team names its cameras' fixtures, so no SOURCE goes with it.
 */
async function teamScenarioOf(source: string | undefined, scenarios: readonly string[]): Promise<FleetScenario | null> {
  const candidates = [
    ...(source !== undefined && source.endsWith('.json') && basename(source) !== 'fixture.json' && isFile(source) ? [{ file: source, positional: true }] : []),
    ...(scenarios.length === 1 ? [{ file: scenarios[0] as string, positional: false }] : []),
  ];
  for (const { file, positional } of candidates) {
    const scenario = await loadAnyScenario(resolve(file));
    if (!isFleetScenario(scenario)) {
      if (positional) throw BodycamError.badInput({ file }, 'a fixture folder, or a team scenario with "devices" (a scenario of one camera goes with --scenario)', 'a scenario without devices');
      continue;
    }
    if (!positional && source !== undefined) throw BodycamError.badInput({ file, place: 'devices' }, 'no SOURCE with a team scenario (each camera names its fixture in devices[i].fixture)', `SOURCE ${source}`);
    if (positional && scenarios.length > 0) throw BodycamError.usage('a team scenario given as SOURCE runs alone: drop --scenario');
    return scenario;
  }
  return null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The `--json` summary of a team's run: every camera's recordings, by camera and all together. */
function fleetSummaryJson(result: FleetRunResult): Record<string, unknown> {
  const recordings = result.devices.flatMap((device) => device.recordings);
  return {
    format: 'bodycam-fleet-run-summary/1',
    scenario: result.scenarioFile,
    outDir: result.outDir,
    busLog: result.busLogFile,
    endUs: result.endUs,
    devices: result.devices.map((device) => ({
      id: device.id, officerId: device.officerId, group: device.group, outDir: device.outDir, source: device.sourcePath,
      events: device.eventsFile, eventCount: device.eventCount, recordings: device.recordings,
    })),
    recordings,
    lost: lostOf(recordings),
  };
}

async function runTeam(io: CliIo, scenario: FleetScenario, options: RunCommandOptions): Promise<void> {
  // --shard i/n of a team: a contiguous slice of its cameras; their folders are the whole run's bytes.
  const cameras = options.shard === undefined ? undefined : selectCameraShard(scenario.devices.map((device) => device.id), parseShard(options.shard));
  if (cameras !== undefined && cameras.length === 0) {
    io.stderr.write(`bodycam: shard ${options.shard ?? ''} holds none of the ${scenario.devices.length} cameras; nothing to run\n`);
    return;
  }
  // --jobs N of a team: its cameras (or the shard's) over N worker threads, the same bytes as one thread.
  const jobs = jobsOption(options.jobs) ?? 1;
  const startedMs = performance.now();
  const bar = options.json === true ? NO_PROGRESS : progressBar('replaying', stderrOf(io));
  const common = {
    outDir: options.out,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    onProgress: bar.update,
    evidence: evidenceOf(options),
    ...(cameras === undefined ? {} : { cameras }),
  };
  const result = jobs > 1 && scenario.file !== null
    ? await runTeamJobs({ ...common, scenarioFile: scenario.file, jobs })
    : await runFleet({ ...common, scenario });
  bar.done();
  const wallMs = performance.now() - startedMs;
  io.stdout.write(options.json === true ? `${JSON.stringify(fleetSummaryJson(result), null, 2)}\n` : formatFleetSummary(result, wallMs));
  reportLosses(io, result.devices.flatMap((device) => device.recordings));
}

async function runOne(io: CliIo, source: string | undefined, scenarioFile: string | undefined, options: RunCommandOptions): Promise<void> {
  const startedMs = performance.now();
  const bar = options.json === true ? NO_PROGRESS : progressBar('replaying', stderrOf(io));
  const result = await runJob({
    ...(source === undefined ? {} : { source }),
    ...(scenarioFile === undefined ? {} : { scenarioFile }),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    outDir: options.out,
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    onProgress: bar.update,
    evidence: evidenceOf(options),
  });
  bar.done();
  const wallMs = performance.now() - startedMs;
  io.stdout.write(options.json === true ? `${JSON.stringify(runSummaryJson(result), null, 2)}\n` : formatRunSummary(result, wallMs));
  reportLosses(io, result.recordings);
}

/** Prints several runs' summaries in input order; a run that failed ends the command with its error. */
function reportMany(io: CliIo, outcomes: readonly JobOutcome[], wallMs: readonly number[], json: boolean): void {
  // Several scenarios run one camera each here (a team scenario is refused when it loads), so every ok outcome has a result.
  const results = outcomes.flatMap((outcome) => (outcome.ok && 'result' in outcome ? [outcome.result] : []));
  const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [deserializeError(outcome.error)]));
  if (json) {
    io.stdout.write(`${JSON.stringify({
      format: 'bodycam-run-summary/1',
      runs: outcomes.map((outcome) => (!outcome.ok ? { error: outcome.error.message } : 'result' in outcome ? runSummaryJson(outcome.result) : { team: 'team' in outcome ? outcome.team.outDir : null })),
      recordings: results.flatMap((result) => result.recordings),
      lost: lostOf(results.flatMap((result) => result.recordings)),
    }, null, 2)}\n`);
  } else {
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.ok && 'result' in outcome) io.stdout.write(`${formatRunSummary(outcome.result, wallMs[index] ?? 0)}\n`);
      else if (outcome.ok && 'team' in outcome) io.stdout.write(`Team run: ${outcome.team.outDir}\n\n`);
      else if (!outcome.ok) io.stdout.write(`Failed: ${outcome.error.message}\n\n`);
    }
  }
  reportLosses(io, results.flatMap((result) => result.recordings));
  if (failures.length === 0) return;
  const codes = failures.map((error) => (error instanceof BodycamError ? error.code : 'runtime' as ErrorCode));
  const worst = codes.sort((a, b) => exitCodeFor(b) - exitCodeFor(a))[0] ?? 'runtime';
  throw new BodycamError(worst, `${failures.length} of ${outcomes.length} runs failed; the first: ${failures[0]?.message ?? ''}`);
}
