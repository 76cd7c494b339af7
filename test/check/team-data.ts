/** A small team run built from the bundled run's manifest: cameras, recordings and bus signals chosen per test. */
import type { BusSignal, TeamCameraOutcome, TeamOutcome } from '../../src/check/team-outcome.js';
import { deviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { BUNDLED_RUN } from './run-data.js';

const BASE = BUNDLED_RUN.recordings[0] as RecordingManifest;

/** One recording of a made-up camera. */
export interface TestRecording {
  readonly triggerUs: number;
  readonly preRollUs?: number;
  readonly limitedBy?: RecordingManifest['preRoll']['limitedBy'];
  readonly stopUs?: number;
}

/** A camera with these recordings (manifest fields from the bundled run, times replaced). */
export function camera(id: string, group: string | null, recordings: readonly TestRecording[]): TeamCameraOutcome {
  const manifests = recordings.map((r, i): RecordingManifest => ({
    ...BASE,
    id: `${id}-${i + 1}`,
    deviceId: id,
    trigger: { ...BASE.trigger, atUs: r.triggerUs },
    preRoll: { ...BASE.preRoll, actualUs: r.preRollUs ?? 29_984_008, limitedBy: r.limitedBy ?? null },
    stop: { ...BASE.stop, atUs: r.stopUs ?? r.triggerUs + 20_000_000 },
  }));
  const events = manifests.map((m) => deviceEvent(m.trigger.atUs, 'recording.start', { id: m.id, firstFrameUs: m.trigger.atUs - m.preRoll.actualUs, triggerUs: m.trigger.atUs, source: 'holster' }));
  return { id, group, events, recordings: manifests };
}

/** The holster signal of DRD-A at 20 s. */
export const HOLSTER: BusSignal = { atUs: 20_000_000, signal: 'holster', device: 'DRD-A' };

/**
 * Team-1 (A sends at 20 s and starts at once, B and C 300 ms later), team-2's D untouched;
 * `change` replaces cameras by id.
 */
export function team(change: Readonly<Record<string, TeamCameraOutcome>> = {}, signals: readonly BusSignal[] = [HOLSTER]): TeamOutcome {
  const devices = [
    camera('DRD-A', 'team-1', [{ triggerUs: 20_000_000 }]),
    camera('DRD-B', 'team-1', [{ triggerUs: 20_300_000 }]),
    camera('DRD-C', 'team-1', [{ triggerUs: 20_300_000, preRollUs: 29_990_000 }]),
    camera('DRD-D', 'team-2', []),
  ].map((device) => change[device.id] ?? device);
  return { devices, signals };
}

/** The cameras of {@link team}, as the parser needs them. */
export const ROSTER = { devices: team().devices.map(({ id, group }) => ({ id, group })) };
