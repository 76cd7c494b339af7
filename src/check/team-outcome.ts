/**
 * What a team run (contract §10) left behind, as the checks read it: each camera's own run
 * outcome (its `events.jsonl` and manifests, as for one camera) and the trigger bus's signals.
 */
import type { RunOutcome } from './run-outcome.js';

/** One camera of a team run. */
export interface TeamCameraOutcome extends RunOutcome {
  /** The camera's `id` in the scenario's `devices`. */
  readonly id: string;
  /** Its trigger-bus group, or null when it has none. */
  readonly group: string | null;
}

/** A signal sent on the trigger bus: where and when it happened (the sender's sensor, scenario time). */
export interface BusSignal {
  /** When it happened at the sender's sensor (µs of scenario time). */
  readonly atUs: number;
  /** Its kind: `holster`, `taser`, `lightbar`, `remote`, `gunshot`. */
  readonly signal: string;
  /** The camera whose sensor sent it. */
  readonly device: string;
}

/** A team run: every camera, in the scenario's order, and the bus's signals in time order. */
export interface TeamOutcome {
  readonly devices: readonly TeamCameraOutcome[];
  readonly signals: readonly BusSignal[];
}

/** A line of the team's bus log (`DIR/bus.jsonl`), as far as the checks read it. */
export interface BusLogLine {
  readonly t: number;
  readonly type: string;
  readonly message?: string;
  readonly sender?: string;
}

/** The signals a bus log sent (its `bus.send` lines other than cancels), in log order. */
export function signalsFromBus(bus: readonly BusLogLine[]): BusSignal[] {
  return bus.flatMap((line) => (line.type === 'bus.send' && line.message !== undefined && line.message !== 'cancel' && line.sender !== undefined
    ? [{ atUs: line.t, signal: line.message, device: line.sender }] : []));
}

/** True for a value shaped like a {@link TeamOutcome}. */
export function isTeamOutcome(value: unknown): value is TeamOutcome {
  const fleet = value as Partial<TeamOutcome> | null;
  return typeof fleet === 'object' && fleet !== null && Array.isArray(fleet.devices) && Array.isArray(fleet.signals);
}

/**
 * A team run as the checks read it, from a {@link TeamOutcome}, or a team simulation's result
 * (`{ devices: [{ id, group, events, recordings }], fleet: { busLog } }`, or `busLog` beside
 * `devices`); null for anything else (a one-camera run's result has `fleet: null`).
 */
export function toTeamOutcome(value: unknown): TeamOutcome | null {
  if (isTeamOutcome(value)) return value;
  const run = value as { devices?: unknown; busLog?: unknown; fleet?: { busLog?: unknown } | null } | null;
  if (typeof run !== 'object' || run === null || !Array.isArray(run.devices)) return null;
  const busLog = Array.isArray(run.busLog) ? run.busLog : run.fleet?.busLog;
  if (!Array.isArray(busLog)) return null;
  const cameras = run.devices as Partial<TeamCameraOutcome>[];
  if (!cameras.every((camera) => typeof camera.id === 'string' && Array.isArray(camera.events) && Array.isArray(camera.recordings))) return null;
  return { devices: cameras as TeamCameraOutcome[], signals: signalsFromBus(busLog as BusLogLine[]) };
}
