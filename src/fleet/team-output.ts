/**
 * The team-level files of a fleet run (contract §10): `DIR/bus.jsonl`, the team's timeline and
 * `DIR/run.json`, made from the parts that ran the cameras. A part is one slice of the cameras
 * run on one clock (the whole team, a `--shard`, or one worker of `--jobs`); every part plans the
 * same bus from the scenario, and each reports the cancels its own senders put on it, so the
 * team's files are the same bytes however the cameras were split.
 */
import { rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BusEvent, DeviceEvent } from '../events/index.js';
import { writeFileAtomic } from '../recorder/index.js';
import { TIMELINE_FILES, writeFleetTimeline } from '../report/index.js';
import { checkOutDir } from '../sim/index.js';
import type { FleetDeviceOutcome, FleetRunResult, FleetScenario } from './fleet-types.js';
import type { PreparedFleet } from './prepare-fleet.js';
import { type CancelDelivery, busLogOf, planTriggerBus } from './trigger-bus.js';

/** What one part of a team's run produced: its own cameras (not the senders it ran only for their cancels). */
export interface FleetPart {
  /** Its cameras' outcomes, in the scenario's order. */
  readonly devices: readonly FleetDeviceOutcome[];
  /** Each of its cameras' events, in the same order (for the team's timeline), or null with the timelines off. */
  readonly events: readonly (readonly DeviceEvent[])[] | null;
  /** The cancels its cameras sent on the bus. */
  readonly cancels: readonly CancelDelivery[];
  /** Scenario time at which its clock stopped (every camera it ran finalized). */
  readonly endUs: number;
  /** Source frames it read, by source path. */
  readonly frameReads: Readonly<Record<string, number>>;
}

/** The folder of one camera inside a fleet run's output. */
export function deviceOutDir(outDir: string, deviceId: string): string {
  return join(outDir, 'devices', deviceId);
}

/**
 * Before any camera runs: every output folder is usable (contract §12, no recording is ever
 * overwritten) and the previous run's `DIR/run.json` is gone, so a run cut short never looks complete.
 * @throws BodycamError `bad-input` for an output folder that already holds recordings
 */
export function beginTeamRun(outDir: string, deviceIds: readonly string[]): void {
  checkOutDir(outDir);
  for (const id of deviceIds) checkOutDir(deviceOutDir(outDir, id));
  rmSync(join(outDir, 'run.json'), { force: true });
}

/**
 * Writes the team's files from its parts and gives the run's result.
 * @param whole the whole team, prepared (every camera's input end: a delivery to a camera outside the parts is logged as the whole run logs it)
 * @param parts the parts, in the scenario's order of their cameras
 * @param cameras the cameras the run was asked for (a `--shard`): the bus log and the timeline cover only them; default every camera
 */
export async function finishTeamRun(
  whole: PreparedFleet, parts: readonly FleetPart[], options: { readonly outDir: string; readonly timeline: boolean; readonly cameras?: readonly string[] },
): Promise<FleetRunResult> {
  const { scenario } = whole;
  const outDir = resolve(options.outDir);
  const endUsOf = new Map(whole.cameras.map((camera) => [camera.spec.id, camera.source.endUs]));
  const rank = new Map(scenario.devices.map((device, i) => [device.id, i]));
  const plan = planTriggerBus(scenario, (id) => endUsOf.get(id) ?? 0);
  const busLog = busLogOf(plan, parts.flatMap((part) => part.cancels), (id) => rank.get(id) ?? 0, (id) => endUsOf.get(id) ?? 0);
  const devices = parts.flatMap((part) => part.devices);
  const mine = new Set(devices.map((device) => device.id));
  const concerns = (event: BusEvent): boolean => options.cameras === undefined
    || mine.has(event.sender) || (event.type === 'bus.deliver' ? mine.has(event.receiver) : event.receivers.some((id) => mine.has(id)));
  const bus = busLog.filter(concerns);
  const busLogFile = join(outDir, 'bus.jsonl');
  writeFileAtomic(busLogFile, bus.map((event) => `${JSON.stringify(event)}\n`).join(''));
  const endUs = Math.max(0, ...parts.map((part) => part.endUs));
  const title = scenario.file === null ? 'team' : basename(scenario.file);
  if (options.timeline) {
    const events = parts.flatMap((part) => part.events ?? part.devices.map(() => []));
    await writeFleetTimeline(outDir, {
      title, endUs, bus,
      devices: devices.map((device, i) => ({ id: device.id, group: device.group, events: events[i] ?? [], recordings: device.recordings })),
    });
  }
  writeTeamRunJson(outDir, scenario, devices, options.timeline);
  const sourceFrameReads: Record<string, number> = {};
  for (const part of parts) for (const [path, reads] of Object.entries(part.frameReads)) sourceFrameReads[path] = (sourceFrameReads[path] ?? 0) + reads;
  return { scenarioFile: scenario.file, outDir, devices, busLog: bus, busLogFile, endUs, sourceFrameReads };
}

/** `DIR/run.json`, written last: the team's files are complete. */
function writeTeamRunJson(outDir: string, scenario: FleetScenario, devices: readonly FleetDeviceOutcome[], timeline: boolean): void {
  writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify({
    format: 'bodycam-fleet-run/1',
    scenario: scenario.file,
    files: ['bus.jsonl', ...(timeline ? TIMELINE_FILES : []), ...devices.map((device) => `devices/${device.id}/`)],
  }, null, 2)}\n`);
}
