/**
 * Named guards of the transition table. A row with a guard applies only when it holds; rows are
 * tried in table order, and the last row for every (mode, event) pair has no guard, so nothing
 * falls through.
 */
import type { MachineState } from './machine-types.js';

/** A guard: a predicate over the state (guards never read event payloads). */
export interface Guard {
  /** Short label for the diagram. */
  readonly label: string;
  readonly holds: (state: MachineState) => boolean;
}

const has = (state: MachineState, overlay: MachineState['overlays'][number]): boolean => state.overlays.includes(overlay);

/** The guards by name. */
export const GUARDS = {
  storageUnavailable: { label: 'storage full or failed', holds: (s) => has(s, 'storageFull') || has(s, 'storageFail') },
  storageFailed: { label: 'storage failed', holds: (s) => has(s, 'storageFail') },
  batteryEmpty: { label: 'battery empty', holds: (s) => has(s, 'batteryEmpty') },
  streaming: { label: 'streaming', holds: (s) => has(s, 'streaming') },
  muted: { label: 'muted', holds: (s) => has(s, 'muted') },
  stealthOn: { label: 'stealth on', holds: (s) => has(s, 'stealth') },
  stealthNotAllowed: { label: '!allowStealth', holds: (s) => !s.policy.allowStealth },
  streamDoesNotRecord: { label: '!streamStartsRecording', holds: (s) => !s.policy.streamStartsRecording },
  afterStoppingOff: { label: 'then off', holds: (s) => s.afterStopping === 'off' },
  afterStoppingDocked: { label: 'then docked', holds: (s) => s.afterStopping === 'docked' },
  cancelWindow: { label: 'in the cancel window', holds: (s) => has(s, 'cancelWindow') },
} as const satisfies Record<string, Guard>;

/** A guard name. */
export type GuardName = keyof typeof GUARDS;

/** All guard names, for tests that enumerate states. */
export const GUARD_NAMES = Object.keys(GUARDS) as GuardName[];
