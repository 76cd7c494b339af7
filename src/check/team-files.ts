/**
 * Reads a team run's outputs (contract §10) back as the checks see them: each camera's
 * `DIR/devices/<id>/events.jsonl` and the manifests its `run.json` lists, and the bus's signals
 * from `DIR/bus.jsonl`. The I/O edge of the team checks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceEvent } from '../events/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { type BusLogLine, type TeamCameraOutcome, type TeamOutcome, signalsFromBus } from './team-outcome.js';
import type { TeamRoster } from './team-expectation-types.js';

function jsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as T);
}

/** One camera's events and manifests, from its folder (`DIR/devices/<id>/`). */
export function readCameraOutputs(dir: string, id: string, group: string | null): TeamCameraOutcome {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { files?: unknown };
  const files = Array.isArray(run.files) ? run.files.filter((file): file is string => typeof file === 'string') : [];
  const recordings = files.filter((file) => file.startsWith('recordings/') && file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordingManifest);
  return { id, group, events: jsonLines<DeviceEvent>(join(dir, 'events.jsonl')), recordings };
}

/** A team run's outputs in `outDir`, for the cameras of `roster` (in its order). */
export function readTeamOutputs(outDir: string, roster: TeamRoster): TeamOutcome {
  return {
    devices: roster.devices.map((device) => readCameraOutputs(join(outDir, 'devices', device.id), device.id, device.group)),
    signals: signalsFromBus(jsonLines<BusLogLine>(join(outDir, 'bus.jsonl'))),
  };
}
