/**
 * A fleet of live devices in one process: one device per fixture folder, or N devices over the
 * bundled fixture, each with its own state, buffer, storage and output folder (`DIR/<deviceId>/`),
 * all started at the same instant. Inputs are loaded and validated before anything is written.
 */
import { resolve } from 'node:path';
import { type Observable, type Subscription, map, merge } from 'rxjs';
import { type DeviceProfileOverrides, resolveProfile } from '../device/index.js';
import { FrameEncoder } from '../encoder/index.js';
import { type BodycamError, assertArgument } from '../errors/index.js';
import type { DeviceEvent } from '../events/index.js';
import { type DeviceEvidenceOptions, deviceProtection } from '../evidence/index.js';
import { type Scenario, loadDeviceConfig, loadScenario, validateScenarioAgainstFixture } from '../fixture/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { BUNDLED_FIXTURE_DIR, type FrameSource, openSource } from '../source/index.js';
import { assertBufferBudget } from '../camera/index.js';
import { type HostTimers, SYSTEM_TIMERS, type WallClockOrigin } from '../time/index.js';
import { withFrameCache } from './frame-cache.js';
import { LiveDevice, type LiveDeviceStatus } from './live-device.js';

/** The most devices one process runs. */
export const MAX_LIVE_DEVICES = 64;

/** What every live run takes, one camera per source or a team (live-team.ts). */
export interface LiveRunOptions {
  /** A device profile (contract §5 keys) for every camera; ids are numbered per device, or the team's. */
  readonly configFile?: string;
  /** Each device writes `outDir/<deviceId>/`. */
  readonly outDir: string;
  /** The devices' wall clock at fixture time 0; default: the host's clock, in its UTC offset. */
  readonly origin?: WallClockOrigin;
  readonly timers?: HostTimers;
  readonly encodeAhead?: number;
  readonly maxLagUs?: number;
  readonly onError?: (deviceId: string, error: unknown) => void;
  /** The devices' keys, as a replay takes them (`--device-key`: every device signs with it). */
  readonly evidence?: DeviceEvidenceOptions;
  /** Read fixture paths and symlinks that resolve outside a fixture's folder (`--allow-outside-fixture`), as `run` does. */
  readonly allowOutsideFixture?: boolean;
}

/** What to run: devices over fixture folders. */
export interface LiveFleetOptions extends LiveRunOptions {
  /** Fixture folders: one device per source; empty or absent: the bundled fixture. */
  readonly sources?: readonly string[];
  /** Number of devices (default: one per source, else 6); with sources, devices take them in turn. */
  readonly devices?: number;
  /** A scenario whose events every device replays on every loop of its fixture. */
  readonly scenarioFile?: string;
}

/** An event of one device of the fleet. */
export type LiveEvent = DeviceEvent & { readonly deviceId: string };

/** Device `n` (1-based) of a fleet: `DRD-BC-0001`, officer `H-0001`. */
export function fleetDeviceIds(n: number): { readonly deviceId: string; readonly officerId: string } {
  const number = String(n).padStart(4, '0');
  return { deviceId: `DRD-BC-${number}`, officerId: `H-${number}` };
}

/** The host's wall clock now, in its own UTC offset (live mode only; replays never read it). */
export function hostWallClock(): WallClockOrigin {
  const now = new Date();
  return { epochMs: now.getTime(), offsetMinutes: -now.getTimezoneOffset() };
}

/** Running devices; see the module comment. */
export class LiveFleet {
  /** Every device's events, each with its device id. */
  readonly events$: Observable<LiveEvent>;
  private readonly byId: ReadonlyMap<string, LiveDevice>;
  private stopping: Promise<readonly RecordingManifest[]> | null = null;
  private bus: Subscription | null = null;
  private fault: BodycamError | null = null;
  private readonly faults: Subscription;

  /** @internal (src/live/live-team.ts builds a team's fleet and carries its bus) */
  constructor(readonly devices: readonly LiveDevice[]) {
    this.byId = new Map(devices.map((device) => [device.id, device]));
    this.events$ = merge(...devices.map((device) => device.events$.pipe(map((event) => ({ ...event, deviceId: device.id }) as LiveEvent))));
    // The first camera fault in time is the run's (a `fault` event follows every failed write).
    this.faults = this.events$.subscribe((event) => {
      if (event.type === 'fault') this.fault ??= this.byId.get(event.deviceId)?.fault ?? null;
    });
  }

  /**
   * The fleet's first storage fault (a camera's recording or log write that failed), or null. The
   * other cameras run on; `bodycam live` ends with it (exit 3) once every recording is finalized,
   * as a replay of a team does.
   */
  get firstFault(): BodycamError | null {
    return this.fault ?? this.devices.map((device) => device.fault).find((fault) => fault !== null) ?? null;
  }

  /**
   * Carries the team's trigger bus in real time: every `bus.send` a camera logs (its sensor's
   * signal, or the cancel of a false one) reaches each of its receivers `latencyUs` later, on the
   * receiver's own clock (every device of the fleet has the same fixture-time origin).
   */
  carryBus(): void {
    this.bus ??= this.events$.subscribe((event) => {
      if (event.type !== 'bus.send') return;
      for (const id of event.receivers) {
        const receiver = this.byId.get(id);
        const atUs = event.t + event.latencyUs;
        if (event.message === 'cancel') {
          receiver?.deliverAt({ kind: 'bus-cancel', sender: event.sender, signalSentUs: event.signalSentUs ?? -1, sentUs: event.t, atUs });
        } else {
          receiver?.deliverAt({ kind: 'bus-signal', signal: event.message, sender: event.sender, sentUs: event.t, atUs });
        }
      }
    });
  }

  /** Loads and checks every input, builds the devices and starts them together. */
  static async start(options: LiveFleetOptions): Promise<LiveFleet> {
    const paths = (options.sources ?? []).length > 0 ? (options.sources ?? []).map((path) => resolve(path)) : [BUNDLED_FIXTURE_DIR];
    const count = options.devices ?? ((options.sources ?? []).length > 0 ? paths.length : 6);
    assertArgument(Number.isInteger(count) && count >= 1 && count <= MAX_LIVE_DEVICES, '--devices', `a number of devices from 1 to ${MAX_LIVE_DEVICES}`, count);
    const sources = new Map<string, FrameSource>();
    const allow = { allowOutsideFixture: options.allowOutsideFixture === true };
    for (const path of paths) if (!sources.has(path)) sources.set(path, withFrameCache(await openSource(path, allow)));
    const scenario: Scenario | null = options.scenarioFile === undefined ? null : await loadScenario(resolve(options.scenarioFile));
    if (scenario !== null) for (const source of sources.values()) validateScenarioAgainstFixture(scenario, { name: source.name, endUs: source.endUs });
    const config: DeviceProfileOverrides | undefined = options.configFile === undefined ? undefined : await loadDeviceConfig(resolve(options.configFile));
    const outDir = resolve(options.outDir);
    const origin = options.origin ?? hostWallClock();

    for (const source of sources.values()) {
      assertBufferBudget(resolveProfile(scenario?.device, config), source, {
        configFile: options.configFile, configSetsBudget: config?.bufferBytes !== undefined, scenarioFile: scenario?.file,
      });
    }
    const devices = Array.from({ length: count }, (_, i) => {
      const source = sources.get(paths[i % paths.length] as string) as FrameSource;
      const ids = fleetDeviceIds(i + 1);
      const profile = resolveProfile(scenario?.device, config, ids);
      return new LiveDevice({
        source,
        profile,
        protection: deviceProtection(profile, options.evidence),
        origin,
        initialState: scenario?.initialState ?? 'standby',
        loopInputs: scenario?.inputs ?? [],
        outDir: resolve(outDir, ids.deviceId),
        ...runtimeOptionsOf(options),
      });
    });
    await warmUp([...sources.values()]);
    const fleet = new LiveFleet(devices);
    const originMs = (options.timers ?? SYSTEM_TIMERS).nowMs();
    for (const device of devices) device.start(originMs);
    return fleet;
  }

  /** The device with this id. */
  device(id: string): LiveDevice | undefined {
    return this.byId.get(id);
  }

  /** The coordinator's view of every device. */
  status(): LiveDeviceStatus[] {
    return this.devices.map((device) => device.status());
  }

  /** Stops every device cleanly (recordings finalized); resolves with every recording's manifest. */
  stop(): Promise<readonly RecordingManifest[]> {
    this.bus?.unsubscribe();
    this.stopping ??= Promise.all(this.devices.map((device) => device.stop())).then((lists) => {
      this.faults.unsubscribe();
      return lists.flat();
    });
    return this.stopping;
  }
}

/** The options of a live run that each of its devices takes as they are. */
export function runtimeOptionsOf(options: LiveRunOptions): Pick<LiveRunOptions, 'timers' | 'encodeAhead' | 'maxLagUs' | 'onError'> {
  return {
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    ...(options.encodeAhead === undefined ? {} : { encodeAhead: options.encodeAhead }),
    ...(options.maxLagUs === undefined ? {} : { maxLagUs: options.maxLagUs }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  };
}

/**
 * Encodes a frame of each source a few times before the clocks start, so that loading libvips and
 * spinning up its threads does not make the first live frames late.
 */
export async function warmUp(sources: readonly FrameSource[]): Promise<void> {
  await Promise.all(sources.map(async (source) => {
    const encoder = new FrameEncoder({
      sourceWidth: source.width, sourceHeight: source.height, outputWidth: source.width, outputHeight: source.height,
      jpegQuality: 80, burnIn: { origin: hostWallClock(), deviceId: 'WARM-UP', officerId: 'WARM-UP' },
      // As the devices' encoders (src/sim/device-rig.ts): frames that keep their coefficients go to
      // the worker threads, which start here rather than under the first live frames.
      passthrough: true, blockWorkers: true,
    });
    const frame = await source.readFrame(0);
    await Promise.all([0, 1, 2, 3].map((i) => encoder.encode(frame, i)));
  }));
}
