/**
 * Fleet scenarios (contract §10): a `bodycam-scenario/1` document with `devices`. Each camera has
 * its own fixture (or shares one), profile overrides, officer, group and wall-clock skew; every
 * event names its `device`. Validated into one {@link FleetDeviceSpec} per camera.
 */
import path from 'node:path';
import { z } from 'zod';
import type { DeviceInput, DeviceProfileOverrides } from '../device/index.js';
import { BodycamError, describeValue } from '../errors/index.js';
import { SCENARIO_COMMON_KEYS, parseDeviceOverrides, parseEvent, parseWithSchema } from '../fixture/index.js';
import { DEFAULT_CLOCK_START, formatUs, parseWallClock } from '../time/index.js';
import type { FleetDeviceSpec, FleetScenario } from './fleet-types.js';

/** The trigger bus's latency when the scenario gives none (Axon Signal reaches cameras within about this). */
export const DEFAULT_BUS_LATENCY_MS = 300;
/** The most cameras one scenario may hold. */
export const MAX_FLEET_DEVICES = 1000;
/** The largest wall-clock skew accepted, in ms (a day either way). */
export const MAX_CLOCK_OFFSET_MS = 86_400_000;
const NO_FILE = '(scenario)';

const idText = 'an id of 1 to 64 letters, digits, ".", "_" or "-"';
const idSchema = z.string({ error: idText }).regex(/^[A-Za-z0-9._-]{1,64}$/, { error: idText });
const offsetText = `an integer number of milliseconds from -${MAX_CLOCK_OFFSET_MS} to ${MAX_CLOCK_OFFSET_MS}`;
const latencyText = 'an integer number of milliseconds from 0 to 60000';

// A camera's id is also its folder's name (DIR/devices/<id>/): it starts with a letter or digit, so
// "." and ".." (DIR/devices itself, DIR) and hidden folders are refused.
const deviceIdText = 'an id of 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';
const deviceIdSchema = z.string({ error: deviceIdText }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: deviceIdText });

const deviceEntrySchema = z.strictObject({
  id: deviceIdSchema,
  officerId: idSchema.optional(),
  fixture: z.string().min(1, { error: 'a fixture folder, relative to the scenario file' }).max(4096).optional(),
  group: idSchema.optional(),
  device: z.unknown().optional(),
  clockOffsetMs: z.number({ error: offsetText }).int({ error: offsetText }).min(-MAX_CLOCK_OFFSET_MS, { error: offsetText }).max(MAX_CLOCK_OFFSET_MS, { error: offsetText }).optional(),
  initialState: z.enum(['standby', 'off']).optional(),
});

const fleetSchema = z.strictObject({
  ...SCENARIO_COMMON_KEYS,
  devices: z.array(z.unknown()).min(1, { error: 'at least one camera' }).max(MAX_FLEET_DEVICES),
  triggerBus: z.strictObject({ latencyMs: z.number({ error: latencyText }).int({ error: latencyText }).min(0, { error: latencyText }).max(60_000, { error: latencyText }) }).optional(),
  events: z.array(z.unknown()).max(1_000_000).default([]),
  expect: z.array(z.looseObject({ device: idSchema.optional() })).max(10_000).default([]),
});

/** True when a scenario document is a fleet (it has `devices`); such a document is parsed by {@link parseFleetScenario}. */
export function isFleetScenarioDocument(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, 'devices');
}

/** Profile overrides of one camera: the common block, then its own, with its id and officer. */
function cameraOverrides(common: DeviceProfileOverrides, own: DeviceProfileOverrides, entry: z.output<typeof deviceEntrySchema>, file: string, place: string): DeviceProfileOverrides {
  if (own.deviceId !== undefined && own.deviceId !== entry.id) {
    throw BodycamError.badInput({ file, place: `${place}.device.deviceId` }, `no deviceId, or the camera's id "${entry.id}"`, describeValue(own.deviceId));
  }
  const officerId = entry.officerId ?? own.officerId ?? common.officerId;
  return Object.freeze({
    ...common, ...own,
    ...(common.video === undefined && own.video === undefined ? {} : { video: Object.freeze({ ...common.video, ...own.video }) }),
    ...(common.battery === undefined && own.battery === undefined ? {} : { battery: Object.freeze({ ...common.battery, ...own.battery }) }),
    deviceId: entry.id,
    ...(officerId === undefined ? {} : { officerId }),
  });
}

/**
 * Validates a fleet scenario document.
 * @param file the scenario's path (messages, `FleetScenario.file`), or null for one built in code
 * @param baseDir the folder `fixture` paths are relative to
 * @throws BodycamError `bad-input` naming the file, the JSON path and what was expected
 */
export function parseFleetScenario(json: unknown, file: string | null, baseDir: string): FleetScenario {
  const shown = file ?? NO_FILE;
  const parsed = parseWithSchema(fleetSchema, json, shown);
  const clockStart = parsed.clock?.start ?? DEFAULT_CLOCK_START;
  parseWallClock(clockStart, { file: shown, place: 'clock.start' });
  const common: DeviceProfileOverrides = parsed.device === undefined ? Object.freeze({}) : parseDeviceOverrides(parsed.device, shown, 'device');
  if (common.deviceId !== undefined) {
    throw BodycamError.badInput({ file: shown, place: 'device.deviceId' }, 'no deviceId in the common device block (each camera\'s id is devices[i].id)', describeValue(common.deviceId));
  }
  const entries = parsed.devices.map((raw, i) => parseWithSchema(deviceEntrySchema, raw, shown, `devices[${i}]`));
  const indexOf = new Map<string, number>();
  const folded = new Map<string, number>();
  entries.forEach((entry, i) => {
    const first = indexOf.get(entry.id);
    if (first !== undefined) throw BodycamError.badInput({ file: shown, place: `devices[${i}].id` }, `an id no other camera has (devices[${first}] is "${entry.id}")`, describeValue(entry.id));
    // Two ids differing only in case would share one folder on a case-insensitive file system.
    const twin = folded.get(entry.id.toLowerCase());
    if (twin !== undefined) {
      throw BodycamError.badInput({ file: shown, place: `devices[${i}].id` }, `an id no other camera has, ignoring case (devices[${twin}] is "${entries[twin]?.id ?? ''}": one folder on a case-insensitive file system)`, describeValue(entry.id));
    }
    indexOf.set(entry.id, i);
    folded.set(entry.id.toLowerCase(), i);
  });
  // The cameras are checked before the events that name them.
  const overrides = entries.map((entry, i) => {
    const place = `devices[${i}]`;
    const own: DeviceProfileOverrides = entry.device === undefined ? Object.freeze({}) : parseDeviceOverrides(entry.device, shown, `${place}.device`);
    return cameraOverrides(common, own, entry, shown, place);
  });
  const inputs = entries.map((): { inputs: DeviceInput[]; indices: number[] } => ({ inputs: [], indices: [] }));
  parseFleetEvents(parsed.events, shown, indexOf, (deviceIndex, input, eventIndex) => {
    const own = inputs[deviceIndex];
    own?.inputs.push(Object.freeze(input));
    own?.indices.push(eventIndex);
  });
  const devices = entries.map((entry, i): FleetDeviceSpec => {
    const place = `devices[${i}]`;
    const fixture = entry.fixture ?? parsed.fixture;
    return Object.freeze({
      id: entry.id,
      officerId: entry.officerId ?? null,
      group: entry.group ?? null,
      fixture: fixture === undefined ? null : path.resolve(baseDir, fixture),
      fixturePlace: entry.fixture !== undefined ? `${place}.fixture` : parsed.fixture !== undefined ? 'fixture' : null,
      device: overrides[i] ?? Object.freeze({}),
      clockOffsetUs: (entry.clockOffsetMs ?? 0) * 1000,
      initialState: entry.initialState ?? parsed.initialState,
      inputs: Object.freeze(inputs[i]?.inputs ?? []),
      eventIndices: Object.freeze(inputs[i]?.indices ?? []),
    });
  });
  return Object.freeze({
    kind: 'fleet',
    file: file === null ? null : path.resolve(file),
    clockStart,
    devices: Object.freeze(devices),
    triggerBus: Object.freeze({ latencyUs: (parsed.triggerBus?.latencyMs ?? DEFAULT_BUS_LATENCY_MS) * 1000 }),
    expect: Object.freeze(parsed.expect.map((assertion) => Object.freeze({ ...assertion }))),
  });
}

/**
 * Parses the events of a fleet: each names its `device`, the list is in time order, and a
 * camera's button cannot go down again before it has come up.
 */
function parseFleetEvents(
  events: readonly unknown[], file: string, indexOf: ReadonlyMap<string, number>,
  add: (deviceIndex: number, input: DeviceInput, eventIndex: number) => void,
): void {
  const ids = [...indexOf.keys()];
  const known = ids.length <= 8 ? ids.map((id) => `"${id}"`).join(', ') : `${ids.slice(0, 8).map((id) => `"${id}"`).join(', ')}, ...`;
  const releasedAt = new Map<string, { atUs: number; index: number }>();
  let previousUs = -1;
  for (let i = 0; i < events.length; i += 1) {
    const raw = events[i];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw BodycamError.badInput({ file, place: `events[${i}]` }, 'an event object naming its camera, like {"at": 20, "device": "DRD-BC-0001", "signal": "holster"}', describeValue(raw));
    }
    const { device, ...rest } = raw as Record<string, unknown>;
    if (device === undefined) {
      throw BodycamError.badInput({ file, place: `events[${i}].device` }, `the id of the camera it happens on (one of ${known}); with "devices" every event names its device`, 'no device');
    }
    const deviceIndex = typeof device === 'string' ? indexOf.get(device) : undefined;
    if (deviceIndex === undefined) throw BodycamError.badInput({ file, place: `events[${i}].device` }, `one of the scenario's cameras (${known})`, describeValue(device));
    const input = parseEvent(rest, i, file);
    if (input.atUs < previousUs) {
      throw BodycamError.badInput({ file, place: `events[${i}].at` }, `a time at or after ${formatUs(previousUs)} (events in time order; events[${i - 1}] is at that time)`, formatUs(input.atUs));
    }
    previousUs = input.atUs;
    if (input.kind === 'press') {
      const key = `${String(device)}\u0000${input.button}`;
      const held = releasedAt.get(key);
      if (held !== undefined && input.atUs < held.atUs) {
        throw BodycamError.badInput({ file, place: `events[${i}].at` },
          `a press of ${input.button} on ${String(device)} at or after ${formatUs(held.atUs)}, when the press of events[${held.index}] is released`, formatUs(input.atUs));
      }
      releasedAt.set(key, { atUs: input.atUs + input.holdUs, index: i });
    }
    add(deviceIndex, input, i);
  }
}
