/**
 * The library API: `simulate()` runs one replay and gives its events both as rxjs Observables,
 * while it runs, and as arrays once it is done. Every stream replays from the first event, so a
 * subscriber that comes late misses nothing; each completes when the run ends, or errors with the
 * run's error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Observable, ReplaySubject, filter } from 'rxjs';
import { type RecordingEntry, recordingsInTriggerOrder } from '../check/index.js';
import { assertArgument } from '../errors/index.js';
import type { DeviceEvent, DeviceEventOf, DeviceEventType } from '../events/index.js';
import { parseScenario } from '../fixture/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { type RunJobResult, runJob } from '../sim/index.js';

/** What to simulate. Everything is optional: the default is the bundled fixture with its own scenario. */
export interface SimulateOptions {
  /** Fixture folder (or its fixture.json); default: the scenario's `fixture`, else the bundled fixture. */
  readonly fixture?: string;
  /**
   * The scenario: a file path, or a scenario document (`{ format: 'bodycam-scenario/1', events: [...] }`)
   * whose `fixture` path is relative to the current folder.
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

/** A finished simulation: the run's events and recordings as arrays. */
export interface SimulationResult {
  /** Every event, in order (the lines of events.jsonl). */
  readonly events: readonly DeviceEvent[];
  /** The recordings' manifests, in trigger order (recording 1 first). */
  readonly recordings: readonly RecordingManifest[];
  readonly leds: readonly DeviceEventOf<'led'>[];
  readonly states: readonly DeviceEventOf<'state'>[];
  readonly gestures: readonly DeviceEventOf<'gesture'>[];
  readonly frameDrops: readonly DeviceEventOf<'frame.drop'>[];
  readonly faults: readonly DeviceEventOf<'fault'>[];
  /** Where the run wrote; it no longer exists unless `outputKept`. */
  readonly outDir: string;
  readonly eventsFile: string;
  /** False when `outDir` was a temporary folder and has been removed (no `outDir`, no `keepOutput`). */
  readonly outputKept: boolean;
  /** Fixture time at which the run ended. */
  readonly endUs: number;
  readonly framesReplayed: number;
  /** What ran: source, scenario, resolved device profile. */
  readonly run: RunJobResult;
}

/** A simulation in progress. */
export interface Simulation {
  /** Every event as it happens. */
  readonly events$: Observable<DeviceEvent>;
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
  const recordings = new ReplaySubject<RecordingManifest>();
  const collected: DeviceEvent[] = [];
  const temporary = options.outDir === undefined && options.keepOutput !== true;
  const outDir = resolve(options.outDir ?? mkdtempSync(join(tmpdir(), 'bodycam-simulate-')));
  // removed before the streams complete, so that a caller who awaits them finds it gone
  const cleanUp = (): void => {
    if (temporary) rmSync(outDir, { recursive: true, force: true });
  };
  const done = start(options, outDir, (event) => {
    collected.push(event);
    events.next(event);
  }).then(
    (run) => {
      cleanUp();
      const ordered = orderedManifests(collected, run.recordings);
      events.complete();
      for (const manifest of ordered) recordings.next(manifest);
      recordings.complete();
      return resultOf(run, collected, ordered, !temporary);
    },
    (error: unknown) => {
      cleanUp();
      events.error(error);
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

async function start(options: SimulateOptions, outDir: string, onEvent: (event: DeviceEvent) => void): Promise<RunJobResult> {
  const scenario = options.scenario === undefined || typeof options.scenario === 'string'
    ? undefined
    : parseScenario(options.scenario, null, process.cwd());
  return runJob({
    outDir,
    onEvent,
    ...(options.fixture === undefined ? {} : { source: options.fixture }),
    ...(typeof options.scenario === 'string' ? { scenarioFile: options.scenario } : {}),
    ...(scenario === undefined ? {} : { scenario }),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
  });
}

function orderedManifests(events: readonly DeviceEvent[], manifests: readonly RecordingManifest[]): RecordingManifest[] {
  return recordingsInTriggerOrder({ events, recordings: manifests })
    .flatMap((entry: RecordingEntry) => (entry.manifest === null ? [] : [entry.manifest]));
}

function resultOf(run: RunJobResult, events: readonly DeviceEvent[], recordings: readonly RecordingManifest[], outputKept: boolean): SimulationResult {
  const only = ofTypeArray(events);
  return {
    events,
    recordings,
    leds: only('led'),
    states: only('state'),
    gestures: only('gesture'),
    frameDrops: only('frame.drop'),
    faults: only('fault'),
    outDir: run.outDir,
    eventsFile: run.eventsFile,
    outputKept,
    endUs: run.endUs,
    framesReplayed: run.framesReplayed,
    run,
  };
}

function ofTypeArray(events: readonly DeviceEvent[]) {
  return <K extends DeviceEventType>(type: K): DeviceEventOf<K>[] => events.filter((event): event is DeviceEventOf<K> => event.type === type);
}
