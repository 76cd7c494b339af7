import { describe, expect, it } from 'vitest';
import {
  type AfterStopping, DEVICE_MODES, type DeviceMode, type Effect, GUARDS, isIgnoreRow, MACHINE_EVENT_TYPES, type MachineEvent,
  type MachineEventType, type MachinePolicy, type MachineState, machineState, OVERLAYS, type Overlay, type TableRow,
  TRANSITION_TABLE, transition,
} from '../../src/device/index.js';

const eventOf = (type: MachineEventType): MachineEvent => (type === 'record-start'
  ? { type, source: 'button' }
  : type === 'signal' ? { type, trigger: { signal: 'holster', sender: 'DRD-BC-0002' } } : { type });

/** Every subset of the overlays the guards and rules look at. */
function overlaySets(): Overlay[][] {
  const relevant: Overlay[] = ['storageFull', 'storageFail', 'batteryEmpty', 'streaming', 'muted', 'stealth', 'cancelWindow'];
  const sets: Overlay[][] = [];
  for (let mask = 0; mask < 1 << relevant.length; mask += 1) sets.push(relevant.filter((_, bit) => (mask & (1 << bit)) !== 0));
  return sets;
}
const POLICIES: MachinePolicy[] = [
  { allowStealth: false, streamStartsRecording: true }, { allowStealth: true, streamStartsRecording: true },
  { allowStealth: false, streamStartsRecording: false }, { allowStealth: true, streamStartsRecording: false },
];
const AFTER: AfterStopping[] = ['standby', 'off', 'docked'];

function allStates(mode: DeviceMode): MachineState[] {
  const states: MachineState[] = [];
  for (const overlays of overlaySets()) for (const policy of POLICIES) for (const after of AFTER) states.push(machineState(mode, overlays, policy, after));
  return states;
}

/** States the device can be in: streaming and the cancel window only while recording, stealth only where allowed. */
const isValid = (state: MachineState): boolean =>
  (state.mode === 'recording' || (!state.overlays.includes('streaming') && !state.overlays.includes('cancelWindow')))
  && (state.policy.allowStealth || !state.overlays.includes('stealth'));

/** The outcome a row declares, derived here from the row's data alone. */
function declaredOutcome(row: TableRow, state: MachineState, event: MachineEvent): { state: MachineState; effects: Effect[] } {
  const specs = row.effects ?? [];
  const effects: Effect[] = specs.map((spec) => {
    if (spec.kind !== 'start-recording') return spec;
    if (spec.source === undefined && event.type === 'signal') return { kind: 'start-recording', source: 'signal', signal: event.trigger };
    return { kind: 'start-recording', source: spec.source ?? (event as { source: 'button' }).source };
  });
  if (isIgnoreRow(row)) return { state, effects };
  const mode = row.to === 'same' ? state.mode : row.to;
  const overlays = OVERLAYS.filter((o) => ((state.overlays.includes(o) && !(row.clear ?? []).includes(o)) || (row.set ?? []).includes(o))
    && (o !== 'cancelWindow' || mode === 'recording'));
  for (const o of ['streaming', 'muted'] as const) {
    if (state.overlays.includes(o) !== overlays.includes(o)) effects.push({ kind: o, on: overlays.includes(o) });
  }
  return {
    state: { mode, overlays, afterStopping: row.afterStopping ?? state.afterStopping, policy: state.policy },
    effects,
  };
}

describe('transition table', () => {
  it('ends every (mode, event) pair with an unguarded row, so nothing falls through', () => {
    for (const mode of DEVICE_MODES) {
      for (const type of MACHINE_EVENT_TYPES) {
        const rows = TRANSITION_TABLE.filter((row) => row.event === type && row.from.includes(mode));
        expect(rows.length, `${mode} × ${type}`).toBeGreaterThan(0);
        expect(rows.at(-1)?.guard, `${mode} × ${type}: last row must be unguarded`).toBeUndefined();
        // nothing after an unguarded row can ever apply
        expect(rows.filter((row) => row.guard === undefined)).toHaveLength(1);
      }
    }
  });

  it('walks every (mode, event) pair in every guard-relevant state and matches the declared row', () => {
    let walked = 0;
    const decided = new Set<TableRow>();
    const mismatches: string[] = [];
    for (const mode of DEVICE_MODES) {
      for (const state of allStates(mode)) {
        for (const type of MACHINE_EVENT_TYPES) {
          const event = eventOf(type);
          const candidates = TRANSITION_TABLE.filter((row) => row.event === type && row.from.includes(mode));
          const expectedRow = candidates.find((row) => row.guard === undefined || GUARDS[row.guard].holds(state));
          const result = transition(state, event);
          const declared = declaredOutcome(result.row, state, event);
          const ok = result.row === expectedRow &&
            JSON.stringify(result.state) === JSON.stringify(declared.state) &&
            JSON.stringify(result.effects) === JSON.stringify(declared.effects) &&
            result.ignored === (isIgnoreRow(result.row) ? result.row.ignore : null);
          if (!ok) mismatches.push(`${JSON.stringify(state)} × ${type}`);
          decided.add(result.row);
          walked += 1;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(walked).toBe(DEVICE_MODES.length * 128 * POLICIES.length * AFTER.length * MACHINE_EVENT_TYPES.length);
    // no dead rows: every row decides for some state
    const dead = TRANSITION_TABLE.filter((row) => !decided.has(row));
    expect(dead).toEqual([]);
  });

  it('keeps the safety rules on every step from every valid state', () => {
    const broken: string[] = [];
    const rule = (holds: boolean, name: string, state: MachineState, type: MachineEventType): void => {
      if (!holds) broken.push(`${name}: ${JSON.stringify(state)} × ${type}`);
    };
    let checked = 0;
    for (const mode of DEVICE_MODES) {
      for (const state of allStates(mode).filter(isValid)) {
        for (const type of MACHINE_EVENT_TYPES) {
          const { state: next, effects, ignored } = transition(state, eventOf(type));
          const kinds = effects.map((e) => e.kind);
          checked += 1;
          rule(ignored === null || ignored.length > 3, 'ignores say why', state, type);
          rule(isValid(next), 'valid states stay valid (stream only while recording, stealth only if allowed)', state, type);
          rule(!(mode === 'recording' && next.mode !== 'recording') || kinds.includes('stop-recording') || kinds.includes('power-cut'), 'leaving recording stops it', state, type);
          rule(!(mode !== 'recording' && next.mode === 'recording') || kinds.includes('start-recording'), 'entering recording starts one', state, type);
          rule(!kinds.includes('start-recording') || next.mode === 'recording', 'a start enters recording', state, type);
          rule(!kinds.includes('stop-recording') || next.mode === 'stopping' || next.mode === 'fault', 'a stop leads to stopping or fault', state, type);
          // power off and the dock drop what the buffer holds (a storage fault does not: RAM survives it)
          const dropsBuffer = (next.mode === 'off' || next.mode === 'docked') && mode !== next.mode && mode !== 'docked' && mode !== 'off';
          rule(!dropsBuffer || kinds.includes('clear-buffer'), 'off and dock clear the buffer', state, type);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('reaches every mode from the initial states', () => {
    const seen = new Set<string>();
    const reached = new Set<DeviceMode>();
    const queue: MachineState[] = [machineState('standby'), machineState('off'), machineState('standby', [], POLICIES[1])];
    while (queue.length > 0) {
      const state = queue.shift() as MachineState;
      const key = JSON.stringify(state);
      if (seen.has(key)) continue;
      seen.add(key);
      reached.add(state.mode);
      for (const type of MACHINE_EVENT_TYPES) queue.push(transition(state, eventOf(type)).state);
    }
    expect([...reached].sort()).toEqual([...DEVICE_MODES].sort());
  });

  it('decides the key pairs as documented', () => {
    const standby = machineState('standby');
    const start = transition(standby, { type: 'record-start', source: 'holster' });
    expect(start.state.mode).toBe('recording');
    expect(start.effects).toEqual([{ kind: 'start-recording', source: 'holster' }, { kind: 'feedback', cue: 'recording-start' }]);

    const full = transition(machineState('standby', ['storageFull']), { type: 'record-start', source: 'button' });
    expect(full.state.mode).toBe('standby');
    expect(full.ignored).toMatch(/storage full/);
    expect(full.effects).toEqual([{ kind: 'feedback', cue: 'storage-full' }]);

    const streaming = machineState('recording', ['streaming']);
    const stop = transition(streaming, { type: 'record-hold' });
    expect(stop.state).toMatchObject({ mode: 'stopping', afterStopping: 'standby', overlays: [] });
    expect(stop.effects).toEqual([{ kind: 'stop-recording', reason: 'button' }, { kind: 'feedback', cue: 'recording-stop' }, { kind: 'streaming', on: false }]);

    const empty = transition(machineState('recording'), { type: 'battery-empty' });
    expect(empty.state).toMatchObject({ mode: 'stopping', afterStopping: 'off' });
    expect(empty.effects[0]).toEqual({ kind: 'stop-recording', reason: 'battery' });
    expect(transition(empty.state, { type: 'recording-finalized' }).state.mode).toBe('off');

    const stealth = transition(machineState('recording'), { type: 'stealth-toggle' });
    expect(stealth.ignored).toMatch(/allowStealth is false/);
    const allowed = transition(machineState('recording', [], POLICIES[1]), { type: 'stealth-toggle' });
    expect(allowed.state.overlays).toEqual(['stealth']);

    const cut = transition(machineState('recording', ['muted']), { type: 'power-cut' });
    expect(cut.state.mode).toBe('off');
    expect(cut.effects.map((e) => e.kind)).toEqual(['power-cut', 'clear-buffer', 'muted']);
    expect(cut.effects.map((e) => e.kind)).not.toContain('stop-recording');
  });
});
