/**
 * `bodycam run` as a function: resolve the source, scenario and profile the way the CLI documents,
 * validate them all before writing anything, then replay. Shared by the CLI and the library API.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type DeviceProfile, type DeviceProfileOverrides, resolveProfile } from '../device/index.js';
import { BodycamError } from '../errors/index.js';
import type { DeviceEvent } from '../events/index.js';
import { type DeviceEvidenceOptions, deviceProtection } from '../evidence/index.js';
import { FRAME_SIZE_LIMIT_TEXT, type Scenario, defaultScenario, frameSizeAccepted, loadDeviceConfig, loadScenario, validateScenarioAgainstFixture } from '../fixture/index.js';
import { writeFileAtomic } from '../recorder/index.js';
import { type BufferSample, TIMELINE_FILES, writeTimeline } from '../report/index.js';
import { assertWallClockInRange, exactSecondsToUs, parseWallClock } from '../time/index.js';
import { BUNDLED_FIXTURE_DIR, type FrameSource, openSource } from '../source/index.js';
import { assertBufferBudget, assertRecordingContainer } from '../camera/index.js';
import { type ReplayResult, runReplay } from './replay.js';

/** What to run, as the CLI's arguments give it. */
export interface RunJobOptions {
  /** Fixture folder (or its fixture.json); omitted: the scenario's fixture, else the bundled one. */
  readonly source?: string;
  readonly scenarioFile?: string;
  /** An already parsed scenario (the library API's inline scenarios); wins over `scenarioFile`. */
  readonly scenario?: Scenario;
  readonly configFile?: string;
  readonly outDir: string;
  readonly onProgress?: (fraction: number) => void;
  readonly onEvent?: (event: DeviceEvent) => void;
  /** Called once the inputs are loaded and validated, before anything runs, with the resolved profile. */
  readonly onPrepared?: (profile: DeviceProfile) => void;
  /** The device's keys (default: its simulation key; encryption to the simulation back office). */
  readonly evidence?: DeviceEvidenceOptions;
  /** Frames encoded at once (default: the replay's; parallel runs lower it per worker). */
  readonly encodeConcurrency?: number;
  /** Write `timeline.svg` and `timeline.png` (default true). */
  readonly timeline?: boolean;
  /** Read fixture paths and symlinks that resolve outside the fixture's folder (`--allow-outside-fixture`). */
  readonly allowOutsideFixture?: boolean;
}

/** The result of a job, with what it ran. */
export interface RunJobResult extends ReplayResult {
  readonly sourceName: string;
  readonly sourcePath: string;
  readonly scenarioFile: string | null;
  readonly profile: DeviceProfile;
  readonly outDir: string;
}

/** A job whose inputs are all loaded and validated, ready to replay. */
export interface PreparedJob {
  readonly source: FrameSource;
  readonly scenario: Scenario;
  readonly profile: DeviceProfile;
}

/** Loads and validates every input of a job; throws `bad-input` before anything is written. */
export async function prepareJob(options: Omit<RunJobOptions, 'outDir'>): Promise<PreparedJob> {
  const explicitScenario = options.scenario
    ?? (options.scenarioFile === undefined ? null : await loadScenario(resolve(options.scenarioFile)));
  const sourcePath = options.source !== undefined ? resolve(options.source) : (explicitScenario?.fixture ?? BUNDLED_FIXTURE_DIR);
  const allowOutsideFixture = options.allowOutsideFixture === true;
  const source = await openSource(sourcePath, { allowOutsideFixture });
  const scenario = explicitScenario
    ?? (source.defaultScenarioPath !== null
      ? await loadScenario(source.defaultScenarioPath, { fixtureDir: source.path, allowOutsideFixture })
      : defaultScenario());
  validateScenarioAgainstFixture(scenario, { name: source.name, endUs: source.endUs });
  assertWallClockInRange(parseWallClock(scenario.clockStart), source.endUs, { file: scenario.file ?? undefined, place: 'clock.start' });
  const config: DeviceProfileOverrides | undefined = options.configFile === undefined ? undefined : await loadDeviceConfig(resolve(options.configFile));
  const profile = resolveProfile(scenario.device, config);
  checkFrameSizes(source, profile, options.configFile ?? scenario.file);
  assertRecordingContainer(profile, options.configFile ?? scenario.file);
  assertBufferBudget(profile, source, { configFile: options.configFile, configSetsBudget: config?.bufferBytes !== undefined, scenarioFile: scenario.file });
  return { source, scenario, profile };
}

/**
 * The source's frames and the device's (its video.width/height, else the source's) must be sizes
 * the pipeline handles (frame-header.ts): a fixture's first frame is checked as it loads, a
 * Matroska source and a profile's size here, before anything is written.
 */
export function checkFrameSizes(source: FrameSource, profile: DeviceProfile, profileFile: string | null): void {
  if (!frameSizeAccepted(source.width, source.height)) {
    throw BodycamError.badInput({ file: source.path, place: 'video' }, `frames ${FRAME_SIZE_LIMIT_TEXT}`, `${source.width}x${source.height}`);
  }
  const width = profile.video.width ?? source.width;
  const height = profile.video.height ?? source.height;
  if (!frameSizeAccepted(width, height)) {
    throw BodycamError.badInput({ file: profileFile ?? source.path, place: 'video.width, video.height' },
      `a device frame size ${FRAME_SIZE_LIMIT_TEXT}`, `${width}x${height} (the source's frames are ${source.width}x${source.height})`);
  }
}

/** Runs a job to the end. */
export async function runJob(options: RunJobOptions): Promise<RunJobResult> {
  const job = await prepareJob(options);
  options.onPrepared?.(job.profile);
  const protection = deviceProtection(job.profile, options.evidence);
  const outDir = resolve(options.outDir);
  checkOutDir(outDir);
  prepareOutDir(outDir);
  const withTimeline = options.timeline ?? true;
  const events: DeviceEvent[] = [];
  const bufferSamples: BufferSample[] = [];
  const onEvent = !withTimeline ? options.onEvent : (event: DeviceEvent): void => {
    events.push(event);
    options.onEvent?.(event);
  };
  const result = await runReplay({
    source: job.source,
    profile: job.profile,
    origin: parseWallClock(job.scenario.clockStart, { file: job.scenario.file ?? undefined, place: 'clock.start' }),
    initialState: job.scenario.initialState,
    inputs: job.scenario.inputs,
    outDir,
    protection,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(withTimeline ? { onBufferSample: (sample: BufferSample) => bufferSamples.push(sample) } : {}),
    ...(options.encodeConcurrency === undefined ? {} : { encodeConcurrency: options.encodeConcurrency }),
  });
  if (withTimeline) {
    await writeTimeline(outDir, {
      title: job.scenario.file === null ? job.source.name : `${job.source.name} - ${basename(job.scenario.file)}`,
      events,
      recordings: result.recordings,
      bufferSamples,
      preRecordUs: exactSecondsToUs(job.profile.preRecordSeconds),
      bufferBytes: job.profile.bufferBytes,
      endUs: result.endUs,
    });
  }
  const summary = {
    format: 'bodycam-run/1',
    source: job.source.path,
    scenario: job.scenario.file,
    files: [
      'events.jsonl',
      ...(withTimeline ? TIMELINE_FILES : []),
      ...result.recordings.flatMap((m) => [`recordings/${m.file}`, `recordings/${m.id}.json`]),
    ],
  };
  writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { ...result, sourceName: job.source.name, sourcePath: job.source.path, scenarioFile: job.scenario.file, profile: job.profile, outDir };
}

/**
 * Checks the output folder before anything is written (contract §8: a bad input leaves nothing
 * behind). It must be a folder or not exist, and its `recordings/` must be empty or absent: a run
 * never deletes or overwrites a recording already on disk (contract §12), whoever wrote it (a
 * finished run, a killed run's cut-off file, a copy put there by hand). The other outputs
 * (events.jsonl, the timeline, run.json) describe the run that wrote them and are replaced.
 */
export function checkOutDir(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw BodycamError.badInput({ file: outDir }, 'a folder for the outputs (--out)', 'a file');
  const recordings = join(outDir, 'recordings');
  if (!existsSync(recordings)) return;
  const present = readdirSync(recordings).sort();
  if (present.length > 0) {
    throw BodycamError.badInput({ file: join(recordings, present[0] ?? '') },
      'an output folder with no recordings in it (a run never deletes or overwrites a recording: offload them with '
      + '`bodycam evidence offload`, repair a cut-off one with `bodycam repair`, or choose another --out)',
      `${present.length} file(s) already in ${recordings}`);
  }
}

/** Replaces the previous run's summary (its recordings are gone, see {@link checkOutDir}) and makes the folders. */
function prepareOutDir(outDir: string): void {
  rmSync(join(outDir, 'run.json'), { force: true });
  mkdirSync(join(outDir, 'recordings'), { recursive: true });
}
