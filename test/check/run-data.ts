/** The recorded bundled run (test/fixtures/check-run) and helpers to vary it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AssertionResult, type RunOutcome, evaluateExpectations, parseExpectations } from '../../src/check/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'check-run');

/** Events and manifest of the bundled fixture's run. */
export const BUNDLED_RUN: RunOutcome = Object.freeze({
  events: readFileSync(join(DIR, 'events.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as DeviceEvent),
  recordings: [JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as RecordingManifest],
});

/** The run with extra events merged in at their times. */
export function withEvents(run: RunOutcome, extra: readonly DeviceEvent[]): RunOutcome {
  const events = [...run.events, ...extra].map((event, i) => ({ event, i }))
    .sort((a, b) => a.event.t - b.event.t || a.i - b.i).map(({ event }) => event);
  return { events, recordings: run.recordings };
}

/** Parses one expect object and evaluates it against `run`; returns the results. */
export function check(raw: Record<string, unknown>, run: RunOutcome = BUNDLED_RUN): AssertionResult[] {
  return evaluateExpectations(parseExpectations([raw], 'scenario.json'), run);
}

/** Like {@link check} for an object that yields exactly one result. */
export function checkOne(raw: Record<string, unknown>, run: RunOutcome = BUNDLED_RUN): AssertionResult {
  const results = check(raw, run);
  if (results.length !== 1) throw new Error(`expected one result, got ${results.length}`);
  return results[0] as AssertionResult;
}
