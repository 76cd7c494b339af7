/**
 * What each recognised gesture asks of the state machine. Pure: the start gesture and whether a
 * stream runs are passed in.
 */
import type { GestureName } from './gestures.js';
import type { MachineEvent } from './machine-types.js';

/** A machine event to dispatch, a reason the gesture does nothing, or nothing to say (bounce). */
export type GestureOutcome = { readonly event: MachineEvent } | { readonly ignored: string } | null;

/**
 * The machine event for a gesture. With `startGesture: "double-press"` a single `record-press`
 * starts nothing (it is the first half of a pair). The stream button asks for a stream when none
 * runs and ends the running one otherwise.
 */
export function machineEventForGesture(
  gesture: GestureName,
  context: { readonly startGesture: 'press' | 'double-press'; readonly doublePressWindowMs: number; readonly streaming: boolean },
): GestureOutcome {
  switch (gesture) {
    case 'record-press':
      return context.startGesture === 'press'
        ? { event: { type: 'record-start', source: 'button' } }
        : { ignored: `startGesture is "double-press": a start needs a second press within ${context.doublePressWindowMs} ms` };
    case 'record-double-press':
      return { event: { type: 'record-start', source: 'double-press' } };
    case 'record-hold':
      return { event: { type: 'record-hold' } };
    case 'marker':
      return { event: { type: 'marker' } };
    case 'power-hold':
      return { event: { type: 'power-hold' } };
    case 'mute-toggle':
      return { event: { type: 'mute-toggle' } };
    case 'stealth-hold':
      return { event: { type: 'stealth-toggle' } };
    case 'stream-press':
      return { event: { type: context.streaming ? 'stream-stop' : 'stream-start' } };
    case 'bounce':
      return null;
  }
}
