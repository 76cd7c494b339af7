/**
 * Loads and validates everything a fleet run needs before anything is written (contract §8): the
 * scenario, each distinct fixture once, each camera's profile, wall clock and events against its
 * own fixture, frame sizes and buffer budgets.
 */
import { resolve } from 'node:path';
import { assertBufferBudget, assertRecordingContainer } from '../camera/index.js';
import { type DeviceProfile, type DeviceProfileOverrides, resolveProfile } from '../device/index.js';
import { BodycamError } from '../errors/index.js';
import { loadDeviceConfig } from '../fixture/index.js';
import { checkFrameSizes } from '../sim/index.js';
import { BUNDLED_FIXTURE_DIR, type FrameSource, openSource, resampleFrameRate } from '../source/index.js';
import { type WallClockOrigin, assertWallClockInRange, formatUs, parseWallClock } from '../time/index.js';
import type { FleetDeviceSpec, FleetScenario } from './fleet-types.js';
import { loadFleetScenario } from './load-fleet-scenario.js';

/** What to prepare: the scenario (parsed or a file), a `--config` for every camera, and the fixture rules. */
export interface PrepareFleetOptions {
  /** An already parsed fleet scenario; wins over `scenarioFile`. */
  readonly scenario?: FleetScenario;
  readonly scenarioFile?: string;
  /** A device profile JSON applied to every camera over the scenario's blocks (no `deviceId`: each camera has its own). */
  readonly configFile?: string;
  /** Read fixture paths and symlinks that resolve outside the fixture's folder (`--allow-outside-fixture`). */
  readonly allowOutsideFixture?: boolean;
}

/** One camera, ready to run. */
export interface PreparedFleetCamera {
  readonly spec: FleetDeviceSpec;
  readonly profile: DeviceProfile;
  /** Its sensor: cameras with the same fixture and frame rate get the very same object (shared frames). */
  readonly source: FrameSource;
  /** Its wall clock: the scenario's `clock.start` plus its `clockOffsetMs`. */
  readonly origin: WallClockOrigin;
}

/** A fleet whose inputs are all loaded and validated. */
export interface PreparedFleet {
  readonly scenario: FleetScenario;
  readonly cameras: readonly PreparedFleetCamera[];
  /** How many times each source's frames were read, by source path (filled in as the run reads them). */
  readonly frameReads: Map<string, number>;
}

/** A source whose reads are counted into `reads` under its path. */
function countedSource(source: FrameSource, reads: Map<string, number>): FrameSource {
  reads.set(source.path, 0);
  return {
    name: source.name, path: source.path, width: source.width, height: source.height, frameCount: source.frameCount,
    captureUs: source.captureUs, frameIntervalUs: source.frameIntervalUs, audio: source.audio, endUs: source.endUs,
    defaultScenarioPath: source.defaultScenarioPath,
    ...(source.frameFormat === undefined ? {} : { frameFormat: source.frameFormat }),
    readFrame: (index: number): Promise<Uint8Array> => {
      reads.set(source.path, (reads.get(source.path) ?? 0) + 1);
      return source.readFrame(index);
    },
  };
}

/**
 * Loads and validates every input of a fleet run; throws `bad-input` before anything is written.
 * @throws BodycamError `bad-input` naming the file, the place and what was expected
 */
export async function prepareFleet(options: PrepareFleetOptions): Promise<PreparedFleet> {
  if (options.scenario === undefined && options.scenarioFile === undefined) throw BodycamError.usage('prepareFleet needs a scenario or a scenarioFile');
  const scenario = options.scenario ?? await loadFleetScenario(resolve(options.scenarioFile ?? ''));
  const shown = scenario.file ?? '(scenario)';
  const config: DeviceProfileOverrides | undefined = options.configFile === undefined ? undefined : await loadDeviceConfig(resolve(options.configFile));
  if (config?.deviceId !== undefined && options.configFile !== undefined) {
    throw BodycamError.badInput({ file: options.configFile, place: 'deviceId' }, 'no deviceId in a --config for a team scenario (each camera\'s id is its devices[i].id)', JSON.stringify(config.deviceId));
  }
  const base = parseWallClock(scenario.clockStart, { file: shown, place: 'clock.start' });
  const frameReads = new Map<string, number>();
  const opened = new Map<string, FrameSource>();
  const resampled = new Map<string, FrameSource>();
  const cameras: PreparedFleetCamera[] = [];
  for (const [i, spec] of scenario.devices.entries()) {
    const path = spec.fixture ?? BUNDLED_FIXTURE_DIR;
    let raw = opened.get(path);
    if (raw === undefined) {
      raw = countedSource(await openSource(path, { allowOutsideFixture: options.allowOutsideFixture === true }), frameReads);
      opened.set(path, raw);
    }
    const profile = resolveProfile(spec.device, config, { deviceId: spec.id, ...(spec.officerId === null ? {} : { officerId: spec.officerId }) });
    const fps = profile.video.fps;
    const key = `${path}\u0000${fps ?? ''}`;
    let source = resampled.get(key);
    if (source === undefined) {
      source = fps === null ? raw : resampleFrameRate(raw, fps);
      resampled.set(key, source);
    }
    checkInputsAgainstFixture(spec, raw, shown);
    const origin: WallClockOrigin = { epochMs: base.epochMs + spec.clockOffsetUs / 1000, offsetMinutes: base.offsetMinutes };
    assertWallClockInRange(origin, raw.endUs, { file: shown, place: `devices[${i}].clockOffsetMs` });
    checkFrameSizes(source, profile, options.configFile ?? scenario.file);
    assertRecordingContainer(profile, options.configFile ?? scenario.file);
    assertBufferBudget(profile, source, { configFile: options.configFile, configSetsBudget: config?.bufferBytes !== undefined, scenarioFile: scenario.file });
    cameras.push({ spec, profile, source, origin });
  }
  return { scenario, cameras, frameReads };
}

/** Every event of a camera happens before the end of its own fixture; a press is released by then. */
function checkInputsAgainstFixture(spec: FleetDeviceSpec, source: FrameSource, file: string): void {
  const end = `the end of fixture "${source.name}" of ${spec.id} at ${formatUs(source.endUs)}`;
  spec.inputs.forEach((input, k) => {
    const index = spec.eventIndices[k] ?? k;
    if (input.atUs >= source.endUs) throw BodycamError.badInput({ file, place: `events[${index}].at` }, `a time before ${end}`, formatUs(input.atUs));
    if (input.kind === 'press' && input.atUs + input.holdUs > source.endUs) {
      throw BodycamError.badInput({ file, place: `events[${index}].hold` }, `a release by ${end}`, `a release at ${formatUs(input.atUs + input.holdUs)}`);
    }
  });
}
