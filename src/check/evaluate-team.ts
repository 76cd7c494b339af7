/**
 * Evaluates a team scenario's assertions (contract §10) against a team run: those scoped to one
 * camera against that camera's events and manifests, as for one camera; the cross-device ones
 * against every camera they select and the trigger bus's signals. Pure: no I/O.
 */
import { formatUs } from '../time/index.js';
import { evaluateExpectations } from './evaluate.js';
import type { Verdict } from './evaluate-recording.js';
import type { AssertionResult } from './expectation-types.js';
import type { BusSignal, TeamCameraOutcome, TeamOutcome } from './team-outcome.js';
import {
  type CrossDeviceSpec, type DeviceSelector, type SignalAnchor, type TeamExpectation, isDeviceExpectation,
} from './team-expectation-types.js';
import { type RecordingEntry, recordingsInTriggerOrder } from './run-outcome.js';
import { formatDelta, formatTime, plural } from './wording.js';

/** The cameras a selector picks, in the scenario's order. */
export function selectDevices(fleet: TeamOutcome, selector: DeviceSelector): TeamCameraOutcome[] {
  switch (selector.kind) {
    case 'all': return [...fleet.devices];
    case 'group': return fleet.devices.filter((device) => device.group === selector.group);
    case 'ids': return fleet.devices.filter((device) => selector.ids.includes(device.id));
  }
}

function describeSelector(selector: DeviceSelector, count: number): string {
  switch (selector.kind) {
    case 'all': return `every camera (${count})`;
    case 'group': return `every camera of group ${selector.group} (${count})`;
    case 'ids': return count === 1 ? `camera ${selector.ids[0] ?? ''}` : `cameras ${selector.ids.join(', ')}`;
  }
}

function describeAnchor(anchor: SignalAnchor): string {
  const from = anchor.device === null ? '' : ` from ${anchor.device}`;
  return `${anchor.signal} signal #${anchor.occurrence}${from}`;
}

/** The signal an anchor designates on the bus, or undefined. */
export function findSignal(signals: readonly BusSignal[], anchor: SignalAnchor): BusSignal | undefined {
  return signals.filter((signal) => signal.signal === anchor.signal && (anchor.device === null || signal.device === anchor.device))[anchor.occurrence - 1];
}

/** The recording a camera started in [atUs, atUs + withinUs], or why there is none. */
function startedIn(recordings: readonly RecordingEntry[], atUs: number, withinUs: number): RecordingEntry | string {
  const started = recordings.find((entry) => entry.triggerUs >= atUs);
  if (started !== undefined && started.triggerUs <= atUs + withinUs) return started;
  const running = recordings.findLast((entry) => entry.triggerUs < atUs && (entry.manifest === null || entry.manifest.stop.atUs > atUs));
  if (running !== undefined) return `was already recording since ${formatUs(running.triggerUs)} and started none in the window`;
  if (started !== undefined) return `started ${formatDelta(started.triggerUs - atUs)} after (at ${formatUs(started.triggerUs)})`;
  return `started no recording at or after it (${plural(recordings.length, 'recording')} in all)`;
}

function crossDeviceVerdict(spec: CrossDeviceSpec, fleet: TeamOutcome): Verdict & { devices: string[] } {
  const cameras = selectDevices(fleet, spec.selector);
  const devices = cameras.map((camera) => camera.id);
  const who = describeSelector(spec.selector, cameras.length);
  if (spec.kind === 'devices-recordings') {
    const counts = cameras.map((camera) => recordingsInTriggerOrder(camera).length);
    const off = cameras.flatMap((camera, i) => (counts[i] === spec.count ? [] : [`${camera.id} made ${plural(counts[i] ?? 0, 'recording')}`]));
    const expected = `${plural(spec.count, 'recording')} each`;
    const measured = off.length === 0 ? `${plural(spec.count, 'recording')} on each of ${plural(cameras.length, 'camera')}` : off.join('; ');
    return { description: `${who} made ${expected}`, passed: off.length === 0, expected, measured, measuredValue: counts, devices };
  }
  const window = `within ${formatUs(spec.withinUs)} of the ${describeAnchor(spec.after)}`;
  const expected = spec.kind === 'devices-started'
    ? `a recording started ${window}`
    : `a pre-roll of at least ${formatTime(spec.minUs, spec.unit)}${spec.toleranceUs === 0 ? '' : ` (tolerance ${formatTime(spec.toleranceUs, spec.unit)})`}`;
  const description = spec.kind === 'devices-started' ? `${who} started recording ${window}` : `${who} started recording ${window} with ${expected}`;
  const signal = findSignal(fleet.signals, spec.after);
  if (signal === undefined) {
    const sent = fleet.signals.filter((s) => s.signal === spec.after.signal).length;
    return { description, passed: false, expected, measured: `no ${describeAnchor(spec.after)} on the bus (${plural(sent, `${spec.after.signal} signal`)} in all)`, measuredValue: null, devices };
  }
  const at = ` (the signal at ${formatUs(signal.atUs)} from ${signal.device})`;
  const problems: string[] = [];
  let worstUs = spec.kind === 'devices-started' ? 0 : Number.MAX_SAFE_INTEGER;
  let worstId = '';
  for (const camera of cameras) {
    const entry = startedIn(recordingsInTriggerOrder(camera), signal.atUs, spec.withinUs);
    if (typeof entry === 'string') {
      problems.push(`${camera.id} ${entry}`);
      continue;
    }
    if (spec.kind === 'devices-started') {
      if (entry.triggerUs - signal.atUs >= worstUs) [worstUs, worstId] = [entry.triggerUs - signal.atUs, camera.id];
      continue;
    }
    if (entry.manifest === null) {
      problems.push(`${camera.id} recording at ${formatUs(entry.triggerUs)} has no manifest`);
      continue;
    }
    const preRollUs = entry.manifest.preRoll.actualUs;
    const limit = entry.manifest.preRoll.limitedBy === null ? '' : `, limited by ${entry.manifest.preRoll.limitedBy}`;
    if (preRollUs < spec.minUs - spec.toleranceUs) problems.push(`${camera.id} pre-roll ${formatTime(preRollUs, spec.unit)} (${formatDelta(preRollUs - spec.minUs, spec.unit)}${limit})`);
    else if (preRollUs <= worstUs) [worstUs, worstId] = [preRollUs, camera.id];
  }
  if (problems.length > 0) return { description, passed: false, expected, measured: `${problems.join('; ')}${at}`, measuredValue: null, devices };
  const measured = cameras.length === 0 ? 'no cameras' : spec.kind === 'devices-started'
    ? `all ${cameras.length} started, the last ${formatTime(worstUs, 'seconds')} after (${worstId})${at}`
    : `all ${cameras.length} at least ${formatTime(spec.minUs - spec.toleranceUs, spec.unit)}, the shortest ${formatTime(worstUs, spec.unit)} (${worstId})`;
  return { description, passed: true, expected, measured, measuredValue: cameras.length === 0 ? null : worstUs, devices };
}

/**
 * Evaluates a team scenario's assertions, in order. A camera-scoped result's description starts
 * with the camera's id (`DRD-BC-0002: recording 1 pre-roll is ...`).
 */
export function evaluateTeamExpectations(expectations: readonly TeamExpectation[], fleet: TeamOutcome): AssertionResult[] {
  const byId = new Map(fleet.devices.map((device) => [device.id, device]));
  return expectations.map((expectation): AssertionResult => {
    if (isDeviceExpectation(expectation)) {
      const camera = byId.get(expectation.device);
      const run = camera ?? { events: [], recordings: [] };
      const [result] = evaluateExpectations([expectation], run) as [AssertionResult];
      const missing = camera === undefined ? { passed: false, measured: `no camera ${expectation.device} in the run` } : {};
      return { ...result, ...missing, description: `${expectation.device}: ${result.description}`, device: expectation.device };
    }
    return { place: expectation.place, ...crossDeviceVerdict(expectation.spec, fleet) };
  });
}
