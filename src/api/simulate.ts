/**
 * The library API: `simulate()` runs one replay, or a team of cameras on one clock (a scenario
 * with `devices`, contract §10), and gives its events both as rxjs Observables, while it runs, and
 * as arrays once it is done. Every stream replays from the first event, so a subscriber that comes
 * late misses nothing; each completes when the run ends, or errors with the run's error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Observable, ReplaySubject, filter } from 'rxjs';
import { type RecordingEntry, recordingsInTriggerOrder } from '../check/index.js';
import { assertArgument } from '../errors/index.js';
import type { DeviceEvent, DeviceEventOf, DeviceEventType } from '../events/index.js';
import { BodycamError } from '../errors/index.js';
import { type AnyScenario, type FleetRunResult, type FleetScenario, isFleetScenario, loadAnyScenario, parseAnyScenario, runFleet } from '../fleet/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { type RunJobResult, runJob } from '../sim/index.js';

/** What to simulate. Everything is optional: the default is the bundled fixture with its own scenario. */
export interface SimulateOptions {
  /** Fixture folder (or its fixture.json); default: the scenario's `fixture`, else the bundled fixture. */
  readonly fixture?: string;
  /**
   * The scenario: a file path, or a scenario document (`{ format: 'bodycam-scenario/1', events: [...] }`)
   * whose `fixture` paths are relative to the current folder. A scenario with `devices` runs a team
   * (each camera names its fixture; `fixture` is then not allowed).
   */
  readonly scenario?: string | Readonly<Record<string, unknown>>;
  /** A device profile JSON file (contract §5 keys), like `bodycam run --config`. */
  readonly config?: string;
  /**
   * Output folder, kept after the run. Default: a new temporary folder, removed once the run is
   * done (or has failed), since the result already holds every event and manifest.
   */
  readonly outDir?: string;
  /** Keep the temporary folder (recordings, events.jsonl, timeline) instead of removing it. */
  readonly keepOutput?: boolean;
  /** Write timeline.svg and timeline.png (default true). */
  readonly timeline?: boolean;
}

/** One camera's part of a finished simulation: its events and recordings (a `{ events, recordings }` the matchers take). */
export interface DeviceSimulationResult {
  readonly id: string;
  readonly officerId: string;
  /** Its group on the trigger bus (a team), or null. */
  readonly group: string | null;
  /** Its events, in order (the lines of its events.jsonl). */
  readonly events: readonly DeviceEvent[];
  /** Its recordings' manifests, in trigger order (recording 1 first). */
  readonly recordings: readonly RecordingManifest[];
  /** Its output folder (`DIR/devices/<id>` in a team); gone unless the output is kept. */
  readonly outDir: string;
}

/** A finished simulation: the run's events and recordings as arrays. */
export interface SimulationResult {
  /**
   * Every event, in order (the lines of events.jsonl). In a team: every camera's events in the
   * order they happened on the one clock; assert on one camera with {@link SimulationResult.device}.
   */
  readonly events: readonly DeviceEvent[];
  /** The recordings' manifests, in trigger order (recording 1 first); in a team, every camera's, by trigger time. */
  readonly recordings: readonly RecordingManifest[];
  /** Each camera's events and recordings, in the scenario's order (one entry for a single camera). */
  readonly devices: readonly DeviceSimulationResult[];
  /** One camera's events and recordings, by device id. @throws BodycamError (usage) for an id the run has not */
  device(id: string): DeviceSimulationResult;
  readonly leds: readonly DeviceEventOf<'led'>[];
  readonly states: readonly DeviceEventOf<'state'>[];
  readonly gestures: readonly DeviceEventOf<'gesture'>[];
  readonly frameDrops: readonly DeviceEventOf<'frame.drop'>[];
  readonly faults: readonly DeviceEventOf<'fault'>[];
  /** Where the run wrote; it no longer exists unless `outputKept`. */
  readonly outDir: string;
  /** The run's events.jsonl (in a team: its bus log, bus.jsonl; each camera's log is in its folder). */
  readonly eventsFile: string;
  /** False when `outDir` was a temporary folder and has been removed (no `outDir`, no `keepOutput`). */
  readonly outputKept: boolean;
  /** Fixture time at which the run ended. */
  readonly endUs: number;
  readonly framesReplayed: number;
  /** What ran: source, scenario, resolved device profile (null for a team: see `fleet`). */
  readonly run: RunJobResult | null;
  /** What a team's run produced (each camera's outcome, the bus log), or null for a single camera. */
  readonly fleet: FleetRunResult | null;
}

/** A simulation in progress. */
export interface Simulation {
  /** Every event as it happens (in a team, every camera's). */
  readonly events$: Observable<DeviceEvent>;
  /** Every event as it happens with the id of the camera it happened on (in a team; for one camera, its profile's id). */
  readonly deviceEvents$: Observable<{ readonly deviceId: string; readonly event: DeviceEvent }>;
  readonly leds$: Observable<DeviceEventOf<'led'>>;
  readonly states$: Observable<DeviceEventOf<'state'>>;
  readonly gestures$: Observable<DeviceEventOf<'gesture'>>;
  readonly inputs$: Observable<DeviceEventOf<'input'>>;
  readonly frameDrops$: Observable<DeviceEventOf<'frame.drop'>>;
  readonly faults$: Observable<DeviceEventOf<'fault'>>;
  /** Each recording's manifest, in trigger order, once the run has written them all. */
  readonly recordings$: Observable<RecordingManifest>;
  /** The events of one type. */
  ofType<K extends DeviceEventType>(type: K): Observable<DeviceEventOf<K>>;
  /** Resolves when the run is done; rejects with its error (a BodycamError for bad input). */
  readonly done: Promise<SimulationResult>;
}

function ofTypeOf(events$: Observable<DeviceEvent>) {
  return <K extends DeviceEventType>(type: K): Observable<DeviceEventOf<K>> =>
    events$.pipe(filter((event): event is DeviceEventOf<K> => event.type === type));
}

/**
 * Starts a simulation. It begins at once; subscribe to the streams or await `done`.
 * @example
 * const run = simulate({ scenario: BUNDLED_SCENARIO_FILE });
 * run.leds$.subscribe((led) => console.log(led.t, led.led, led.color));
 * const { recordings } = await run.done;
 */
export function simulate(options: SimulateOptions = {}): Simulation {
  assertArgument(typeof options === 'object' && options !== null, 'simulate(options)', 'an options object');
  const events = new ReplaySubject<DeviceEvent>();
  const deviceEvents = new ReplaySubject<{ readonly deviceId: string; readonly event: DeviceEvent }>();
  const recordings = new ReplaySubject<RecordingManifest>();
  const collected: DeviceEvent[] = [];
  const byDevice = new Map<string, DeviceEvent[]>();
  const temporary = options.outDir === undefined && options.keepOutput !== true;
  const outDir = resolve(options.outDir ?? mkdtempSync(join(tmpdir(), 'bodycam-simulate-')));
  // removed before the streams complete, so that a caller who awaits them finds it gone
  const cleanUp = (): void => {
    if (temporary) rmSync(outDir, { recursive: true, force: true });
  };
  const done = start(options, outDir, (deviceId, event) => {
    collected.push(event);
    let own = byDevice.get(deviceId);
    if (own === undefined) byDevice.set(deviceId, own = []);
    own.push(event);
    events.next(event);
    deviceEvents.next({ deviceId, event });
  }).then(
    (run) => {
      cleanUp();
      const result = resultOf(run, collected, byDevice, !temporary);
      events.complete();
      deviceEvents.complete();
      for (const manifest of result.recordings) recordings.next(manifest);
      recordings.complete();
      return result;
    },
    (error: unknown) => {
      cleanUp();
      events.error(error);
      deviceEvents.error(error);
      recordings.error(error);
      throw error;
    },
  );
  // The caller may only subscribe to the streams; the rejection then reaches them, not the process.
  done.catch(() => undefined);
  const events$ = events.asObservable();
  const ofType = ofTypeOf(events$);
  return {
    events$,
    deviceEvents$: deviceEvents.asObservable(),
    leds$: ofType('led'),
    states$: ofType('state'),
    gestures$: ofType('gesture'),
    inputs$: ofType('input'),
    frameDrops$: ofType('frame.drop'),
    faults$: ofType('fault'),
    recordings$: recordings.asObservable(),
    ofType,
    done,
  };
}

/** A run of either kind. */
type AnyRun = { readonly kind: 'single'; readonly run: RunJobResult } | { readonly kind: 'fleet'; readonly fleet: FleetRunResult };

async function start(options: SimulateOptions, outDir: string, onEvent: (deviceId: string, event: DeviceEvent) => void): Promise<AnyRun> {
  const scenario: AnyScenario | undefined = options.scenario === undefined
    ? undefined
    : typeof options.scenario === 'string' ? await loadAnyScenario(resolve(options.scenario)) : parseAnyScenario(options.scenario, null, process.cwd());
  if (scenario !== undefined && isFleetScenario(scenario)) return { kind: 'fleet', fleet: await startFleet(options, scenario, outDir, onEvent) };
  // One camera: its events carry its profile's id, known once the job is prepared (the run's first event comes after).
  let deviceId = '';
  const run = await runJob({
    outDir,
    onEvent: (event) => onEvent(deviceId, event),
    onPrepared: (profile) => {
      deviceId = profile.deviceId;
    },
    ...(options.fixture === undefined ? {} : { source: options.fixture }),
    ...(scenario === undefined ? {} : { scenario }),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
  });
  return { kind: 'single', run };
}

function startFleet(options: SimulateOptions, scenario: FleetScenario, outDir: string, onEvent: (deviceId: string, event: DeviceEvent) => void): Promise<FleetRunResult> {
  if (options.fixture !== undefined) {
    throw BodycamError.badInput({ file: scenario.file ?? '(scenario)', place: 'devices' }, 'no fixture option with a team scenario (each camera names its fixture in devices[i].fixture)', options.fixture);
  }
  return runFleet({
    scenario,
    outDir,
    onEvent,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
  });
}

function orderedManifests(events: readonly DeviceEvent[], manifests: readonly RecordingManifest[]): RecordingManifest[] {
  return recordingsInTriggerOrder({ events, recordings: manifests })
    .flatMap((entry: RecordingEntry) => (entry.manifest === null ? [] : [entry.manifest]));
}

function resultOf(any: AnyRun, events: readonly DeviceEvent[], byDevice: ReadonlyMap<string, readonly DeviceEvent[]>, outputKept: boolean): SimulationResult {
  const only = ofTypeArray(events);
  const devices: DeviceSimulationResult[] = any.kind === 'single'
    ? [{
        id: any.run.profile.deviceId, officerId: any.run.profile.officerId, group: null, events,
        recordings: orderedManifests(events, any.run.recordings), outDir: any.run.outDir,
      }]
    : any.fleet.devices.map((device) => ({
        id: device.id, officerId: device.officerId, group: device.group, events: byDevice.get(device.id) ?? [],
        recordings: device.recordings, outDir: device.outDir,
      }));
  const recordings = any.kind === 'single'
    ? devices[0]?.recordings ?? []
    : devices.flatMap((device) => device.recordings).sort((a, b) => a.trigger.atUs - b.trigger.atUs);
  const device = (id: string): DeviceSimulationResult => {
    const found = devices.find((candidate) => candidate.id === id);
    if (found === undefined) throw BodycamError.usage(`no camera "${id}" in this run (cameras: ${devices.map((d) => d.id).join(', ')})`);
    return found;
  };
  return {
    events,
    recordings,
    devices,
    device,
    leds: only('led'),
    states: only('state'),
    gestures: only('gesture'),
    frameDrops: only('frame.drop'),
    faults: only('fault'),
    outDir: any.kind === 'single' ? any.run.outDir : any.fleet.outDir,
    eventsFile: any.kind === 'single' ? any.run.eventsFile : any.fleet.busLogFile,
    outputKept,
    endUs: any.kind === 'single' ? any.run.endUs : any.fleet.endUs,
    framesReplayed: any.kind === 'single' ? any.run.framesReplayed : any.fleet.devices.reduce((sum, d) => sum + d.framesReplayed, 0),
    run: any.kind === 'single' ? any.run : null,
    fleet: any.kind === 'fleet' ? any.fleet : null,
  };
}

function ofTypeArray(events: readonly DeviceEvent[]) {
  return <K extends DeviceEventType>(type: K): DeviceEventOf<K>[] => events.filter((event): event is DeviceEventOf<K> => event.type === type);
}
