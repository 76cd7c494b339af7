/**
 * Parses the `expect` list of a team scenario (contract §10): every assertion either names its
 * camera (`"device": ID`, then it is an ordinary assertion about that camera) or is a
 * cross-device assertion (`"devices": "all" | {"group": G} | [ID, ...]`). Unknown cameras and
 * groups are bad input naming the place, before anything runs.
 */
import { z } from 'zod';
import { BodycamError, describeValue } from '../errors/index.js';
import { isJsonObject } from '../fixture/tagged-object.js';
import { parseWithSchema } from '../fixture/zod-issue.js';
import { SIGNALS } from '../events/index.js';
import { exactSecondsToUs } from '../time/index.js';
import { secondsSchema, usSchema } from './expectation-schema.js';
import type {
  CrossDeviceExpectation, CrossDeviceSpec, DeviceSelector, SignalAnchor, TeamExpectation, TeamRoster,
} from './team-expectation-types.js';
import { parseExpectation } from './parse-expectations.js';

const countText = 'a whole number (0 or more)';
const idText = 'a camera id of the scenario\'s "devices"';
const occurrenceText = 'an occurrence number from 1 (in time order)';

/** `{ "devices": {"group": "team-1"}, "after": {"signal": "holster"}, "startedWithin": 0.5, "preRollAtLeastSeconds": 30 }` */
export const devicesSchema = z.strictObject({
  devices: z.union([
    z.literal('all'),
    z.strictObject({ group: z.string({ error: 'a group name' }).min(1, { error: 'a group name' }) }),
    z.array(z.string({ error: idText }).min(1, { error: idText })).min(1, { error: 'at least one camera id' }).max(100_000),
  ], { error: '"all", {"group": NAME} or a list of camera ids' }),
  after: z.strictObject({
    signal: z.enum(SIGNALS),
    device: z.string({ error: idText }).optional(),
    occurrence: z.number({ error: occurrenceText }).int({ error: occurrenceText }).min(1, { error: occurrenceText }).max(1_000_000).optional(),
  }).optional(),
  startedWithin: secondsSchema.optional(),
  preRollAtLeastSeconds: secondsSchema.optional(),
  preRollAtLeastUs: usSchema.optional(),
  tolerance: secondsSchema.optional(),
  recordings: z.number({ error: countText }).int({ error: countText }).min(0, { error: countText }).max(1_000_000_000, { error: countText }).optional(),
});

/**
 * Parses a team scenario's `expect` list against its cameras.
 * @param file the scenario file, for messages
 * @throws BodycamError `bad-input` naming `expect[i]` or `expect[i].key` and what was expected
 */
export function parseTeamExpectations(list: readonly unknown[], file: string, roster: TeamRoster): TeamExpectation[] {
  return list.flatMap((raw, index) => parseTeamExpectation(raw, index, file, roster));
}

function parseTeamExpectation(raw: unknown, index: number, file: string, roster: TeamRoster): TeamExpectation[] {
  const place = `expect[${index}]`;
  const ids = roster.devices.map((device) => device.id);
  if (isJsonObject(raw) && Object.hasOwn(raw, 'devices')) return parseCrossDevice(raw, index, file, roster);
  if (!isJsonObject(raw) || !Object.hasOwn(raw, 'device')) {
    throw BodycamError.badInput(
      { file, place },
      `"device": one of ${ids.join(', ')} (the scenario has several cameras), or a "devices" assertion across them`,
      isJsonObject(raw) ? 'no "device"' : describeValue(raw),
    );
  }
  const { device, ...rest } = raw;
  if (typeof device !== 'string' || !ids.includes(device)) {
    throw BodycamError.badInput({ file, place: `${place}.device` }, `one of the scenario's cameras (${ids.join(', ')})`, describeValue(device));
  }
  return parseExpectation(rest, index, file).map((expectation) => ({ ...expectation, device }));
}

function parseSelector(value: z.output<typeof devicesSchema>['devices'], file: string, place: string, roster: TeamRoster): DeviceSelector {
  const ids = roster.devices.map((device) => device.id);
  if (value === 'all') return { kind: 'all' };
  if (Array.isArray(value)) {
    value.forEach((id, i) => {
      if (!ids.includes(id)) throw BodycamError.badInput({ file, place: `${place}.devices[${i}]` }, `one of the scenario's cameras (${ids.join(', ')})`, describeValue(id));
    });
    return { kind: 'ids', ids: value };
  }
  const groups = [...new Set(roster.devices.flatMap((device) => (device.group === null ? [] : [device.group])))];
  if (!groups.includes(value.group)) {
    throw BodycamError.badInput({ file, place: `${place}.devices.group` }, `one of the scenario's groups (${groups.join(', ') || 'none'})`, describeValue(value.group));
  }
  return { kind: 'group', group: value.group };
}

function parseCrossDevice(raw: Record<string, unknown>, index: number, file: string, roster: TeamRoster): CrossDeviceExpectation[] {
  const place = `expect[${index}]`;
  const e = parseWithSchema(devicesSchema, raw, file, place);
  const selector = parseSelector(e.devices, file, place, roster);
  const bad = (key: string, expected: string, found: string): BodycamError => BodycamError.badInput({ file, place: `${place}.${key}` }, expected, found);
  if (e.after?.device !== undefined && !roster.devices.some((device) => device.id === e.after?.device)) {
    throw bad('after.device', `one of the scenario's cameras (${roster.devices.map((device) => device.id).join(', ')})`, describeValue(e.after.device));
  }
  if (e.preRollAtLeastSeconds !== undefined && e.preRollAtLeastUs !== undefined) throw bad('preRollAtLeastUs', 'either "preRollAtLeastSeconds" or "preRollAtLeastUs", not both', 'both');
  const minUs = e.preRollAtLeastUs ?? (e.preRollAtLeastSeconds === undefined ? undefined : exactSecondsToUs(e.preRollAtLeastSeconds));
  if (e.after !== undefined && e.startedWithin === undefined) throw bad('after', '"after" only with "startedWithin" (the window the cameras start in)', 'no "startedWithin"');
  if (e.startedWithin !== undefined && e.after === undefined) throw bad('startedWithin', 'an "after": {"signal": KIND} to measure from', 'no "after"');
  if (minUs !== undefined && e.startedWithin === undefined) {
    throw bad(e.preRollAtLeastUs === undefined ? 'preRollAtLeastSeconds' : 'preRollAtLeastUs', 'a pre-roll bound only with "startedWithin" (it is about the recording started in that window)', 'no "startedWithin"');
  }
  if (e.tolerance !== undefined && minUs === undefined) throw bad('tolerance', 'a tolerance only beside "preRollAtLeastSeconds"', 'no pre-roll bound');
  const out: CrossDeviceExpectation[] = [];
  const add = (key: string, spec: CrossDeviceSpec): void => {
    out.push({ place: `${place}.${key}`, index, spec });
  };
  if (e.recordings !== undefined) add('recordings', { kind: 'devices-recordings', selector, count: e.recordings });
  if (e.after !== undefined && e.startedWithin !== undefined) {
    const after: SignalAnchor = { signal: e.after.signal, device: e.after.device ?? null, occurrence: e.after.occurrence ?? 1 };
    const withinUs = exactSecondsToUs(e.startedWithin);
    add('startedWithin', { kind: 'devices-started', selector, after, withinUs });
    if (minUs !== undefined) {
      const key = e.preRollAtLeastUs === undefined ? 'preRollAtLeastSeconds' : 'preRollAtLeastUs';
      const toleranceUs = e.tolerance === undefined ? 0 : exactSecondsToUs(e.tolerance);
      add(key, { kind: 'devices-pre-roll', selector, after, withinUs, minUs, toleranceUs, unit: e.preRollAtLeastUs === undefined ? 'seconds' : 'us' });
    }
  }
  if (out.length === 0) throw BodycamError.badInput({ file, place }, 'a property to check besides "devices", like "recordings" or "startedWithin"', 'none');
  return out;
}
