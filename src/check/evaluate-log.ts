/**
 * Assertions measured from the event log: LED state at an instant, within a window after an event
 * or throughout a recording; the device mode at an instant; gesture latency and counts; frame
 * drops and faults.
 */
import type { DeviceEvent } from '../events/index.js';
import { formatUs } from '../time/index.js';
import type { Verdict } from './evaluate-recording.js';
import type { Anchor, AssertionSpec, LedLook } from './expectation-types.js';
import { type RecordingEntry, eventsOfType, ledChanges, ledStateAt, modeAt } from './run-outcome.js';
import { formatDelta, formatLedState, formatLook, formatTime, plural, showsLook } from './wording.js';

type LogSpec = Extract<AssertionSpec, { kind: 'led-at' | 'led-window' | 'led-during' | 'state-at' | 'gesture-latency' | 'gesture-count' | 'frame-drops' | 'faults' }>;

function describeAnchor(anchor: Anchor | { kind: 'time'; atUs: number }): string {
  const which = 'occurrence' in anchor && anchor.occurrence !== 'every' ? ` #${anchor.occurrence}` : '';
  const every = 'occurrence' in anchor && anchor.occurrence === 'every' ? 'each ' : 'the ';
  switch (anchor.kind) {
    case 'time': return formatUs(anchor.atUs);
    case 'gesture': return `${every}${anchor.gesture} gesture${which}`;
    case 'press': return `${every}${anchor.button} press${which}`;
    case 'release': return `${every}${anchor.button} release${which}`;
    case 'signal': return `${every}${anchor.signal} signal${which}`;
    case 'state': return `${every}entry into ${anchor.state}${which}`;
    case 'event': return `${every}${anchor.type} event${which}`;
  }
}

/** The instants an anchor designates, in log order (several for `every`). */
export function anchorTimes(events: readonly DeviceEvent[], anchor: Anchor): number[] {
  const matches = events.filter((event) => {
    switch (anchor.kind) {
      case 'gesture': return event.type === 'gesture' && event.gesture === anchor.gesture;
      case 'press': return event.type === 'input' && event.kind === 'press' && event.button === anchor.button;
      case 'release': return event.type === 'input' && event.kind === 'release' && event.button === anchor.button;
      case 'signal': return event.type === 'input' && event.kind === 'signal' && event.signal === anchor.signal;
      case 'state': return event.type === 'state' && event.to === anchor.state;
      case 'event': return event.type === anchor.type;
    }
  }).map((event) => event.t);
  if (anchor.occurrence === 'every') return matches;
  const one = matches[anchor.occurrence - 1];
  return one === undefined ? [] : [one];
}

/** Describes a log assertion, without measuring anything. */
export function describeLogSpec(spec: LogSpec): { description: string; expected: string } {
  switch (spec.kind) {
    case 'led-at': {
      const expected = `${spec.look.led} LED ${formatLook(spec.look)}`;
      return { description: `${expected} at ${formatUs(spec.atUs)}`, expected };
    }
    case 'led-window': {
      const expected = `${spec.look.led} LED ${formatLook(spec.look)}`;
      const window = spec.withinUs === 0 ? 'at' : `within ${formatUs(spec.withinUs)} of`;
      return { description: `${expected} ${window} ${describeAnchor(spec.from)}`, expected };
    }
    case 'led-during': {
      const expected = `${spec.look.led} LED ${formatLook(spec.look)} throughout`;
      return { description: `${expected} recording ${spec.recording}`, expected };
    }
    case 'state-at': return { description: `device ${spec.state} at ${formatUs(spec.atUs)}`, expected: spec.state };
    case 'gesture-latency': {
      const expected = spec.withinUs === null ? 'at least once' : `within ${formatUs(spec.withinUs)} of its press, every time`;
      return { description: `${spec.gesture} gesture recognised ${expected}`, expected };
    }
    case 'gesture-count': return { description: `${spec.gesture} gesture recognised ${plural(spec.count, 'time')}`, expected: plural(spec.count, 'time') };
    case 'frame-drops': {
      const qualifier = spec.reason === null ? '' : ` (${spec.reason})`;
      const expected = `${plural(spec.count, 'frame drop')}${qualifier}`;
      return { description: spec.count === 0 ? `no frame drops${qualifier}` : expected, expected };
    }
    case 'faults': {
      const qualifier = spec.code === null ? '' : ` (${spec.code})`;
      const expected = `${plural(spec.count, 'fault')}${qualifier}`;
      return { description: spec.count === 0 ? `no faults${qualifier}` : expected, expected };
    }
  }
}

/** Evaluates a log assertion. */
export function evaluateLogSpec(spec: LogSpec, events: readonly DeviceEvent[], recordings: readonly RecordingEntry[]): Verdict {
  const words = describeLogSpec(spec);
  const verdict = (passed: boolean, measured: string, measuredValue: Verdict['measuredValue']): Verdict => ({ ...words, passed, measured, measuredValue });
  switch (spec.kind) {
    case 'led-at': {
      const state = ledStateAt(events, spec.look.led, spec.atUs);
      return verdict(showsLook(state, spec.look), `${formatLedState(state)}${state === null ? '' : ` (since ${formatUs(state.sinceUs)})`}`, state?.color ?? null);
    }
    case 'led-window': return ledWindow(spec, events, verdict);
    case 'led-during': {
      const entry = recordings[spec.recording - 1];
      if (entry?.manifest == null) return verdict(false, entry === undefined ? `no recording ${spec.recording}: the run made ${plural(recordings.length, 'recording')}` : `recording ${spec.recording} has no manifest`, null);
      return ledThroughout(spec.look, events, entry.manifest.trigger.atUs, entry.manifest.stop.atUs, verdict);
    }
    case 'state-at': {
      const mode = modeAt(events, spec.atUs);
      return verdict(mode === spec.state, mode ?? 'no state yet', mode);
    }
    case 'gesture-latency': {
      const gestures = eventsOfType(events, 'gesture').filter((event) => event.gesture === spec.gesture);
      if (gestures.length === 0) return verdict(false, `no ${spec.gesture} gesture in the log`, null);
      const latencies = gestures.map((event) => event.t - event.downUs);
      const worst = latencies.reduce((a, b) => Math.max(a, b), 0);
      if (spec.withinUs === null) return verdict(true, `${plural(gestures.length, 'time')}, first at ${formatUs(gestures[0]?.t ?? 0)}`, gestures.length);
      const slow = gestures.find((event) => event.t - event.downUs > (spec.withinUs ?? 0));
      const measured = slow === undefined
        ? `at most ${formatUs(worst)} after its press (${plural(gestures.length, 'time')})`
        : `${formatUs(slow.t - slow.downUs)} after the press at ${formatUs(slow.downUs)}`;
      return verdict(slow === undefined, measured, worst);
    }
    case 'gesture-count': {
      const count = eventsOfType(events, 'gesture').filter((event) => event.gesture === spec.gesture).length;
      return verdict(count === spec.count, plural(count, 'time'), count);
    }
    case 'frame-drops': {
      const drops = eventsOfType(events, 'frame.drop').filter((event) => spec.reason === null || event.reason === spec.reason);
      const first = drops[0];
      const detail = first === undefined ? '' : ` (first: frame ${formatUs(first.frameUs)}, ${first.reason})`;
      return verdict(drops.length === spec.count, `${plural(drops.length, 'frame drop')}${detail}`, drops.length);
    }
    case 'faults': {
      const faults = eventsOfType(events, 'fault').filter((event) => spec.code === null || event.code === spec.code);
      const first = faults[0];
      const detail = first === undefined ? '' : ` (first: ${first.code} at ${formatUs(first.t)})`;
      return verdict(faults.length === spec.count, `${plural(faults.length, 'fault')}${detail}`, faults.length);
    }
  }
}

type VerdictOf = (passed: boolean, measured: string, measuredValue: Verdict['measuredValue']) => Verdict;

/** The first instant in [fromUs, fromUs + withinUs] the LED shows the look, as a delay, or null. */
function firstShowing(events: readonly DeviceEvent[], look: LedLook, fromUs: number, withinUs: number): number | null {
  if (showsLook(ledStateAt(events, look.led, fromUs), look)) return 0;
  const change = ledChanges(events, look.led, fromUs, fromUs + withinUs).find((state) => showsLook(state, look));
  return change === undefined ? null : change.sinceUs - fromUs;
}

function ledWindow(spec: Extract<LogSpec, { kind: 'led-window' }>, events: readonly DeviceEvent[], verdict: VerdictOf): Verdict {
  const starts = spec.from.kind === 'time' ? [spec.from.atUs] : anchorTimes(events, spec.from);
  if (starts.length === 0) return verdict(false, `${describeAnchor(spec.from).replace(/^(each|the) /, 'no ')} in the log`, null);
  let worst = 0;
  for (const startUs of starts) {
    const delay = firstShowing(events, spec.look, startUs, spec.withinUs);
    if (delay === null) {
      const at = ledStateAt(events, spec.look.led, startUs + spec.withinUs);
      const later = ledChanges(events, spec.look.led, startUs + spec.withinUs, Number.MAX_SAFE_INTEGER).find((state) => showsLook(state, spec.look));
      const then = later === undefined ? 'and never after' : `first at ${formatUs(later.sinceUs)} (${formatDelta(later.sinceUs - startUs)})`;
      return verdict(false, `${formatLedState(at)} in the window from ${formatUs(startUs)}; ${formatLook(spec.look)} ${then}`, later === undefined ? null : later.sinceUs - startUs);
    }
    worst = Math.max(worst, delay);
  }
  const count = starts.length === 1 ? '' : ` (worst of ${starts.length})`;
  return verdict(true, `${formatLook(spec.look)} ${formatTime(worst, 'seconds')} after${count}`, worst);
}

function ledThroughout(look: LedLook, events: readonly DeviceEvent[], fromUs: number, toUs: number, verdict: VerdictOf): Verdict {
  const first = ledStateAt(events, look.led, fromUs);
  if (!showsLook(first, look)) return verdict(false, `${formatLedState(first)} at the trigger ${formatUs(fromUs)}`, first?.color ?? null);
  const broken = ledChanges(events, look.led, fromUs, toUs - 1).find((state) => !showsLook(state, look));
  if (broken !== undefined) return verdict(false, `${formatLedState(broken)} at ${formatUs(broken.sinceUs)}, before the stop at ${formatUs(toUs)}`, broken.color);
  return verdict(true, `${formatLook(look)} from ${formatUs(fromUs)} to the stop at ${formatUs(toUs)}`, look.color);
}
