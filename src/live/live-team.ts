/**
 * A team live (`bodycam live --scenario TEAM.json`, contract §10 in real time): the cameras of a
 * fleet scenario, each a live device as `bodycam live` runs one (its fixture looping, its own
 * events on every loop), started at one instant, with the trigger bus between them carried in
 * real time: a signal at a camera's sensor reaches the rest of its group `latencyMs` later on
 * their clocks, and a cancel likewise. Inputs are loaded and validated as a replay of the team
 * validates them, before anything is written.
 */
import { resolve } from 'node:path';
import type { DeviceInput } from '../device/index.js';
import { deviceProtection } from '../evidence/index.js';
import { planTriggerBus, prepareFleet } from '../fleet/index.js';
import type { RecordingProtection } from '../recorder/index.js';
import type { FrameSource } from '../source/index.js';
import { SYSTEM_TIMERS } from '../time/index.js';
import { assertArgument } from '../errors/index.js';
import { withFrameCache } from './frame-cache.js';
import { LiveDevice } from './live-device.js';
import { LiveFleet, type LiveRunOptions, MAX_LIVE_DEVICES, hostWallClock, runtimeOptionsOf, warmUp } from './live-fleet.js';

/** What to run: a team scenario. */
export interface LiveTeamOptions extends LiveRunOptions {
  /** A team scenario (with `devices`). */
  readonly scenarioFile: string;
  /** Fault injection (tests): a camera's recording files (default, or undefined: the device's own protection), as `runFleet` takes it. */
  readonly recordingProtection?: (deviceId: string) => RecordingProtection | undefined;
}

/** A delivery from another camera (the bus brings those at run time, on every loop). */
const isDelivery = (input: DeviceInput): boolean => input.kind === 'bus-signal' && input.send === undefined;

/** Loads and checks the team, builds its live devices, starts them together and carries the bus. */
export async function startLiveTeam(options: LiveTeamOptions): Promise<LiveFleet> {
  const fleet = await prepareFleet({
    scenarioFile: resolve(options.scenarioFile),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
  });
  const count = fleet.cameras.length;
  assertArgument(count <= MAX_LIVE_DEVICES, 'devices', `a team of at most ${MAX_LIVE_DEVICES} cameras in one live process`, count);
  // Own events only: each camera's own sends go out on the bus as they happen, loop after loop.
  const plan = planTriggerBus(fleet.scenario, () => Number.MAX_SAFE_INTEGER);
  const origin = options.origin ?? hostWallClock();
  const cached = new Map<FrameSource, FrameSource>();
  const outDir = resolve(options.outDir);
  const devices = fleet.cameras.map((camera) => {
    let source = cached.get(camera.source);
    if (source === undefined) {
      source = withFrameCache(camera.source);
      cached.set(camera.source, source);
    }
    return new LiveDevice({
      source,
      profile: camera.profile,
      protection: options.recordingProtection?.(camera.spec.id) ?? deviceProtection(camera.profile, options.evidence),
      origin: { epochMs: origin.epochMs + camera.spec.clockOffsetUs / 1000, offsetMinutes: origin.offsetMinutes },
      initialState: camera.spec.initialState,
      loopInputs: (plan.inputs.get(camera.spec.id) ?? []).filter((input) => !isDelivery(input)),
      outDir: resolve(outDir, camera.spec.id),
      ...runtimeOptionsOf(options),
    });
  });
  await warmUp([...cached.values()]);
  const team = new LiveFleet(devices);
  team.carryBus();
  const originMs = (options.timers ?? SYSTEM_TIMERS).nowMs();
  for (const device of devices) device.start(originMs);
  return team;
}
