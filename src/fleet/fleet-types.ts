/**
 * The public shapes of a team in one scenario (contract §10): the parsed fleet scenario, what
 * running it takes, and what each camera and the trigger bus produced. Pure types.
 */
import type { DeviceInput, DeviceProfile, DeviceProfileOverrides } from '../device/index.js';
import type { BusEvent, DeviceEvent } from '../events/index.js';
import type { EncoderPaths } from '../media/index.js';
import type { RecordingManifest } from '../recorder/index.js';

/** The trigger bus of a team: how long a message takes from a sender to the rest of its group. */
export interface TriggerBusSettings {
  /** Latency of every delivery, integer µs (`triggerBus.latencyMs` in the scenario; default 300 ms). */
  readonly latencyUs: number;
}

/** One camera of a fleet scenario (`devices[i]`), validated. */
export interface FleetDeviceSpec {
  /** The camera's device id (`devices[i].id`): its profile's `deviceId` and its folder's name. */
  readonly id: string;
  /** Its officer (`devices[i].officerId`, else the profile's). */
  readonly officerId: string | null;
  /** Its group on the trigger bus, or null: a camera without a group only hears its own sensor. */
  readonly group: string | null;
  /** Absolute path of its fixture (`devices[i].fixture`, else the scenario's `fixture`), or null for the bundled one. */
  readonly fixture: string | null;
  /** Where in the scenario its fixture was named (`devices[2].fixture` or `fixture`), for messages. */
  readonly fixturePlace: string | null;
  /** Profile overrides: the scenario's `device` block, then this camera's `device` block over it. */
  readonly device: DeviceProfileOverrides;
  /** How far this camera's wall clock runs ahead of the scenario's `clock.start`, integer µs (may be negative). */
  readonly clockOffsetUs: number;
  readonly initialState: 'standby' | 'off';
  /** This camera's own events in time order (`device` removed), with their index in the scenario's `events`. */
  readonly inputs: readonly DeviceInput[];
  readonly eventIndices: readonly number[];
}

/** A validated scenario with `devices` (contract §10). */
export interface FleetScenario {
  readonly kind: 'fleet';
  /** Absolute path of the scenario file, or null for one built in code. */
  readonly file: string | null;
  /** The scenario's wall clock at t = 0 (each camera adds its `clockOffsetMs`). */
  readonly clockStart: string;
  /** The cameras, in the scenario's order (ids unique). */
  readonly devices: readonly FleetDeviceSpec[];
  readonly triggerBus: TriggerBusSettings;
  /** The `expect` assertions as written (a `device` key scopes one to a camera), for `bodycam check`. */
  readonly expect: readonly Record<string, unknown>[];
}

/** What one camera of a fleet run produced: its folder laid out as contract §6. */
export interface FleetDeviceOutcome {
  readonly id: string;
  readonly officerId: string;
  readonly group: string | null;
  /** `DIR/devices/<id>/`. */
  readonly outDir: string;
  /** Its recordings' manifests, in trigger order. */
  readonly recordings: readonly RecordingManifest[];
  /** `DIR/devices/<id>/events.jsonl`. */
  readonly eventsFile: string;
  readonly eventCount: number;
  readonly profile: DeviceProfile;
  /** The fixture (or .mkv) it captured from. */
  readonly sourcePath: string;
  readonly framesReplayed: number;
  readonly framesEncoded: EncoderPaths;
}

/** What a fleet run produced. */
export interface FleetRunResult {
  readonly scenarioFile: string | null;
  readonly outDir: string;
  /** One per camera, in the scenario's order. */
  readonly devices: readonly FleetDeviceOutcome[];
  /** Every send and delivery on the trigger bus, in time order (also `DIR/bus.jsonl`). */
  readonly busLog: readonly BusEvent[];
  readonly busLogFile: string;
  /** Scenario time at which the run ended (after every camera's last recording was finalized). */
  readonly endUs: number;
  /**
   * How many times each source frame was read and decoded from its file, by source path: cameras
   * that share a fixture share each frame, so this is the source's frame count, not times cameras.
   */
  readonly sourceFrameReads: Readonly<Record<string, number>>;
}

/** Where a fleet run's event goes: the camera it happened on, and the event. */
export type FleetEventListener = (deviceId: string, event: DeviceEvent) => void;
