/**
 * Parses a scenario's `expect` list into normalised assertions (µs). Every problem is a one-line
 * bad-input error naming the scenario file and `expect[i].key`.
 */
import type { z } from 'zod';
import { BodycamError, describeValue } from '../errors/index.js';
import { type TagFamily, isJsonObject, pickTag } from '../fixture/tagged-object.js';
import { parseWithSchema } from '../fixture/zod-issue.js';
import { exactSecondsToUs, secondsToUs } from '../time/index.js';
import { ASSERTION_SCHEMAS, anchorSchemas, ledSchema, recordingSchema } from './expectation-schema.js';
import {
  type Anchor, type AssertionSpec, type Expectation, type LedLook, type Occurrence, RECORDING_TIME_FIELDS,
} from './expectation-types.js';

const ASSERTION: TagFamily = { noun: 'assertion', example: '{"recordings": 1}' };
const ANCHOR: TagFamily = { noun: 'event', example: '{"gesture": "record-press"}' };

/**
 * Parses a scenario's `expect` list.
 * @param file the scenario file, for messages
 * @throws BodycamError `bad-input` naming `expect[i]` or `expect[i].key` and what was expected
 */
export function parseExpectations(list: readonly unknown[], file: string): Expectation[] {
  refuseTeamKeys(list, file);
  return list.flatMap((raw, index) => parseExpectation(raw, index, file));
}

/** Parses `expect[index]` into one or more assertions. */
export function parseExpectation(raw: unknown, index: number, file: string): Expectation[] {
  const place = `expect[${index}]`;
  const { kind } = pickTag(raw, Object.keys(ASSERTION_SCHEMAS) as (keyof typeof ASSERTION_SCHEMAS)[], ASSERTION, file, place);
  const one = (spec: AssertionSpec): Expectation[] => [{ place, index, spec }];
  switch (kind) {
    case 'recordings':
      return one({ kind: 'recording-count', count: parseWithSchema(ASSERTION_SCHEMAS.recordings, raw, file, place).recordings });
    case 'recording':
      return parseRecording(parseWithSchema(recordingSchema, raw, file, place), index, file);
    case 'led':
      return one(parseLed(parseWithSchema(ledSchema, raw, file, place), file, place));
    case 'state': {
      const e = parseWithSchema(ASSERTION_SCHEMAS.state, raw, file, place);
      return one({ kind: 'state-at', state: e.state, atUs: secondsToUs(e.at) });
    }
    case 'gesture': {
      const e = parseWithSchema(ASSERTION_SCHEMAS.gesture, raw, file, place);
      if (e.count !== undefined && e.within !== undefined) {
        throw BodycamError.badInput({ file, place: `${place}.count` }, 'either "within" or "count" (write two assertions for both)', 'both');
      }
      if (e.count !== undefined) return one({ kind: 'gesture-count', gesture: e.gesture, count: e.count });
      return one({ kind: 'gesture-latency', gesture: e.gesture, withinUs: e.within === undefined ? null : exactSecondsToUs(e.within) });
    }
    case 'noFrameDrops':
      parseWithSchema(ASSERTION_SCHEMAS.noFrameDrops, raw, file, place);
      return one({ kind: 'frame-drops', count: 0, reason: null });
    case 'frameDrops': {
      const e = parseWithSchema(ASSERTION_SCHEMAS.frameDrops, raw, file, place);
      return one({ kind: 'frame-drops', count: e.frameDrops, reason: e.reason ?? null });
    }
    case 'faults': {
      const e = parseWithSchema(ASSERTION_SCHEMAS.faults, raw, file, place);
      return one({ kind: 'faults', count: e.faults, code: e.code ?? null });
    }
  }
}

function parseRecording(e: z.output<typeof recordingSchema>, index: number, file: string): Expectation[] {
  const place = `expect[${index}]`;
  const recording = e.recording;
  if (e.tolerance !== undefined && e.toleranceUs !== undefined) {
    throw BodycamError.badInput({ file, place: `${place}.toleranceUs` }, 'either "tolerance" (seconds) or "toleranceUs", not both', 'both');
  }
  const toleranceUs = e.toleranceUs ?? (e.tolerance === undefined ? null : exactSecondsToUs(e.tolerance));
  const out: Expectation[] = [];
  const add = (key: string, spec: AssertionSpec): void => {
    out.push({ place: `${place}.${key}`, index, spec });
  };
  const fields = e as Record<string, unknown>;
  let timed = false;
  for (const field of RECORDING_TIME_FIELDS) {
    const seconds = fields[`${field}Seconds`] as number | undefined;
    const us = fields[`${field}Us`] as number | undefined;
    if (seconds !== undefined && us !== undefined) {
      throw BodycamError.badInput({ file, place: `${place}.${field}Us` }, `either "${field}Seconds" or "${field}Us", not both`, 'both');
    }
    if (seconds !== undefined) add(`${field}Seconds`, { kind: 'recording-time', recording, field, expectedUs: exactSecondsToUs(seconds), toleranceUs: toleranceUs ?? 0, unit: 'seconds' });
    if (us !== undefined) add(`${field}Us`, { kind: 'recording-time', recording, field, expectedUs: us, toleranceUs: toleranceUs ?? 0, unit: 'us' });
    timed ||= seconds !== undefined || us !== undefined;
  }
  if (e.markers !== undefined && e.markersUs !== undefined) {
    throw BodycamError.badInput({ file, place: `${place}.markersUs` }, 'either "markers" (seconds) or "markersUs", not both', 'both');
  }
  if (e.markers !== undefined) add('markers', { kind: 'recording-markers', recording, markersUs: e.markers.map(exactSecondsToUs), toleranceUs: toleranceUs ?? 0, unit: 'seconds' });
  if (e.markersUs !== undefined) add('markersUs', { kind: 'recording-markers', recording, markersUs: e.markersUs, toleranceUs: toleranceUs ?? 0, unit: 'us' });
  if (e.audioMatchesVideo !== undefined) add('audioMatchesVideo', { kind: 'recording-av-match', recording, toleranceUs });
  timed ||= e.markers !== undefined || e.markersUs !== undefined || e.audioMatchesVideo !== undefined;
  if (e.frames !== undefined) add('frames', { kind: 'recording-frames', recording, frames: e.frames });
  if (e.stopReason !== undefined) add('stopReason', { kind: 'recording-stop-reason', recording, reason: e.stopReason });
  if (e.stopDetail !== undefined) add('stopDetail', { kind: 'recording-stop-detail', recording, detail: e.stopDetail });
  if (e.limitedBy !== undefined) add('limitedBy', { kind: 'recording-limited-by', recording, limitedBy: e.limitedBy });
  if (e.triggerSource !== undefined) add('triggerSource', { kind: 'recording-trigger-source', recording, source: e.triggerSource });
  if (e.complete !== undefined) add('complete', { kind: 'recording-complete', recording, complete: e.complete });
  if (out.length === 0) {
    throw BodycamError.badInput({ file, place }, 'a property to check besides "recording", like "preRollSeconds" or "stopReason"', 'none');
  }
  if (toleranceUs !== null && !timed) {
    const key = e.tolerance === undefined ? 'toleranceUs' : 'tolerance';
    throw BodycamError.badInput({ file, place: `${place}.${key}` }, 'a tolerance only beside a time (preRollSeconds, firstFrameUs, markers, audioMatchesVideo, ...)', 'no time to apply it to');
  }
  return out;
}

function parseLed(e: z.output<typeof ledSchema>, file: string, place: string): AssertionSpec {
  const look: LedLook = { led: e.led, color: e.color, solid: e.solid ?? null };
  const forms = [e.at !== undefined, e.after !== undefined, e.during !== undefined].filter(Boolean).length;
  if (forms !== 1) {
    throw BodycamError.badInput(
      { file, place },
      'exactly one of "at" (seconds), "after" (an event, with "within") or "during" ({"recording": 1})',
      forms === 0 ? 'none' : 'more than one',
    );
  }
  if (e.within !== undefined && e.during !== undefined) {
    throw BodycamError.badInput({ file, place: `${place}.within` }, 'no "within" with "during" (it spans the whole recording)', String(e.within));
  }
  if (e.during !== undefined) return { kind: 'led-during', look, recording: e.during.recording };
  if (e.at !== undefined) {
    const atUs = secondsToUs(e.at);
    return e.within === undefined ? { kind: 'led-at', look, atUs } : { kind: 'led-window', look, from: { kind: 'time', atUs }, withinUs: exactSecondsToUs(e.within) };
  }
  const anchor = parseAnchor(e.after, file, `${place}.after`);
  return { kind: 'led-window', look, from: anchor, withinUs: e.within === undefined ? 0 : exactSecondsToUs(e.within) };
}

function parseAnchor(raw: unknown, file: string, place: string): Anchor {
  const { kind } = pickTag(raw, Object.keys(anchorSchemas) as (keyof typeof anchorSchemas)[], ANCHOR, file, place);
  const at = (value: Occurrence | undefined): Occurrence => value ?? 'every';
  switch (kind) {
    case 'gesture': {
      const a = parseWithSchema(anchorSchemas.gesture, raw, file, place);
      return { kind: 'gesture', gesture: a.gesture, occurrence: at(a.occurrence) };
    }
    case 'press': {
      const a = parseWithSchema(anchorSchemas.press, raw, file, place);
      return { kind: 'press', button: a.press, occurrence: at(a.occurrence) };
    }
    case 'release': {
      const a = parseWithSchema(anchorSchemas.release, raw, file, place);
      return { kind: 'release', button: a.release, occurrence: at(a.occurrence) };
    }
    case 'signal': {
      const a = parseWithSchema(anchorSchemas.signal, raw, file, place);
      return { kind: 'signal', signal: a.signal, occurrence: at(a.occurrence) };
    }
    case 'state': {
      const a = parseWithSchema(anchorSchemas.state, raw, file, place);
      return { kind: 'state', state: a.state, occurrence: at(a.occurrence) };
    }
    case 'event': {
      const a = parseWithSchema(anchorSchemas.event, raw, file, place);
      return { kind: 'event', type: a.event, occurrence: at(a.occurrence) };
    }
  }
}

/**
 * Refuses `"device"`/`"devices"` in the `expect` list of a one-camera scenario: they scope
 * assertions to cameras of a `devices` list, which it does not have.
 * @throws BodycamError `bad-input` naming `expect[i].device`
 */
export function refuseTeamKeys(list: readonly unknown[], file: string): void {
  list.forEach((raw, index) => {
    if (!isJsonObject(raw)) return;
    for (const key of ['device', 'devices']) {
      if (Object.hasOwn(raw, key)) {
        throw BodycamError.badInput({ file, place: `expect[${index}].${key}` }, `no "${key}" key: it scopes assertions in a scenario with a "devices" list, and this scenario has one camera`, describeValue(raw[key]));
      }
    }
  });
}
