/**
 * Evaluates assertions against a run: a pure function from (events, manifests) to results that
 * carry the measured values.
 */
import { evaluateLogSpec } from './evaluate-log.js';
import { type Verdict, evaluateRecordingSpec } from './evaluate-recording.js';
import type { AssertionResult, AssertionSpec, Expectation } from './expectation-types.js';
import { type RecordingEntry, type RunOutcome, recordingsInTriggerOrder } from './run-outcome.js';
import { plural } from './wording.js';

function verdictFor(spec: AssertionSpec, run: RunOutcome, recordings: readonly RecordingEntry[]): Verdict {
  switch (spec.kind) {
    case 'recording-count': {
      const count = recordings.length;
      return { description: plural(spec.count, 'recording'), passed: count === spec.count, expected: plural(spec.count, 'recording'), measured: plural(count, 'recording'), measuredValue: count };
    }
    case 'recording-time':
    case 'recording-frames':
    case 'recording-stop-reason':
    case 'recording-stop-detail':
    case 'recording-limited-by':
    case 'recording-trigger-source':
    case 'recording-complete':
    case 'recording-markers':
    case 'recording-av-match':
      return evaluateRecordingSpec(spec, recordings[spec.recording - 1], recordings.length);
    default:
      return evaluateLogSpec(spec, run.events, recordings);
  }
}

/** Evaluates one assertion against a run. */
export function evaluateExpectation(expectation: Expectation, run: RunOutcome): AssertionResult {
  return evaluateExpectations([expectation], run)[0] as AssertionResult;
}

/** Evaluates assertions against a run, in order. */
export function evaluateExpectations(expectations: readonly Expectation[], run: RunOutcome): AssertionResult[] {
  const recordings = recordingsInTriggerOrder(run);
  return expectations.map(({ place, spec }) => ({ place, ...verdictFor(spec, run, recordings) }));
}

/** `PASS expect[1].preRollSeconds: recording 1 pre-roll is 30.000000 s ± 0.034000 s; measured 29.984008 s`, for one result. */
export function formatResult(result: AssertionResult, paint: (verdict: 'PASS' | 'FAIL') => string = (verdict) => verdict): string {
  return `${paint(result.passed ? 'PASS' : 'FAIL')} ${result.place}: ${result.description}; measured ${result.measured}`;
}
