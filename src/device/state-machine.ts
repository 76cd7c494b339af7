/**
 * The pure transition function over {@link TRANSITION_TABLE}. No clock, no I/O: the `Device`
 * controller feeds it events and carries out the effects it returns.
 */
import { BodycamError } from '../errors/index.js';
import { GUARDS } from './guards.js';
import {
  type AfterStopping, type DeviceMode, type Effect, type EffectSpec, type MachineEvent, type MachinePolicy,
  type MachineState, OVERLAYS, type Overlay,
} from './machine-types.js';
import { isIgnoreRow, type TableRow, TRANSITION_TABLE } from './transition-table.js';

/** What one event did. */
export interface TransitionResult {
  readonly state: MachineState;
  /** Effects to carry out, in order. Empty for an ignored event unless it refused with feedback. */
  readonly effects: readonly Effect[];
  /** The table row that decided. */
  readonly row: TableRow;
  /** Set when the row is an ignore row: why the event changed nothing. */
  readonly ignored: string | null;
}

/** The policy of the contract's default profile. */
export const DEFAULT_POLICY: MachinePolicy = Object.freeze({ allowStealth: false, streamStartsRecording: true });

/** A machine state in `mode` with the given overlays (normalised to {@link OVERLAYS} order). */
export function machineState(
  mode: DeviceMode,
  overlays: readonly Overlay[] = [],
  policy: MachinePolicy = DEFAULT_POLICY,
  afterStopping: AfterStopping = 'standby',
): MachineState {
  return { mode, overlays: normaliseOverlays(overlays), afterStopping, policy };
}

function normaliseOverlays(overlays: readonly Overlay[]): Overlay[] {
  return OVERLAYS.filter((overlay) => overlays.includes(overlay));
}

/** The row that decides `event` in `state` (first match in table order). */
export function findRow(state: MachineState, event: MachineEvent, table: readonly TableRow[] = TRANSITION_TABLE): TableRow {
  for (const row of table) {
    if (row.event !== event.type || !row.from.includes(state.mode)) continue;
    if (row.guard !== undefined && !GUARDS[row.guard].holds(state)) continue;
    return row;
  }
  // The table test guarantees an unguarded final row for every pair; reaching here is a table bug.
  throw BodycamError.runtime(`device state table has no row for event "${event.type}" in mode "${state.mode}"`);
}

function materialise(spec: EffectSpec, event: MachineEvent): Effect {
  if (spec.kind !== 'start-recording') return spec;
  // A trigger-bus signal starts a recording whose source is "signal", with the kind and the sender.
  if (spec.source === undefined && event.type === 'signal') return { kind: 'start-recording', source: 'signal', signal: event.trigger };
  const source = spec.source ?? (event.type === 'record-start' ? event.source : undefined);
  if (source === undefined) throw BodycamError.runtime(`start-recording on "${event.type}" has no trigger source`);
  return { kind: 'start-recording', source };
}

/**
 * One step of the machine: `state` plus `event` gives the next state and the effects to carry out.
 * Overlay changes of `streaming` and `muted` add the matching host effect after the row's effects.
 */
export function transition(state: MachineState, event: MachineEvent): TransitionResult {
  const row = findRow(state, event);
  if (isIgnoreRow(row)) {
    return { state, effects: (row.effects ?? []).map((spec) => materialise(spec, event)), row, ignored: row.ignore };
  }
  const mode = row.to === 'same' ? state.mode : row.to;
  // The cancel window belongs to one recording: leaving `recording`, however, closes it.
  const cleared = state.overlays.filter((overlay) => !(row.clear ?? []).includes(overlay) && (overlay !== 'cancelWindow' || mode === 'recording'));
  const overlays = normaliseOverlays([...cleared, ...(row.set ?? [])]);
  const next: MachineState = {
    mode,
    overlays,
    afterStopping: row.afterStopping ?? state.afterStopping,
    policy: state.policy,
  };
  const effects = (row.effects ?? []).map((spec) => materialise(spec, event));
  for (const overlay of ['streaming', 'muted'] as const) {
    const before = state.overlays.includes(overlay);
    const after = overlays.includes(overlay);
    if (before !== after) effects.push({ kind: overlay, on: after });
  }
  return { state: next, effects, row, ignored: null };
}

/** A short label for logs: the event type, with the trigger source for a start. */
export function describeEvent(event: MachineEvent): string {
  if (event.type === 'signal') return `signal:${event.trigger.signal}:${event.trigger.sender}`;
  return event.type === 'record-start' ? `record-start:${event.source}` : event.type;
}
