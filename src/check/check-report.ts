/** The text and JSON forms of a check run, as `bodycam check` prints them. */
import type { CheckRun, ScenarioCheck } from './check-runner.js';
import { formatResult } from './evaluate.js';
import { plural } from './wording.js';

/** Paints a verdict word for a terminal; the default leaves it plain. */
export type VerdictPaint = (verdict: 'PASS' | 'FAIL' | 'ERROR') => string;

/** One scenario's block: a header line, then one line per assertion with what was measured. */
export function formatScenarioCheck(check: ScenarioCheck, paint: VerdictPaint = (verdict) => verdict): string {
  const status = check.error !== null ? 'ERROR' : check.passed ? 'PASS' : 'FAIL';
  const lines = [`${paint(status)} ${check.name} (${check.file}) -> ${check.outDir}`];
  if (check.error !== null) lines.push(`  error: ${check.error}`);
  else if (check.results.length === 0) lines.push('  no expectations (the scenario has no "expect" list)');
  for (const result of check.results) lines.push(`  ${formatResult(result, paint)}`);
  return `${lines.join('\n')}\n`;
}

/** The closing summary line. */
export function formatCheckSummary(run: CheckRun): string {
  const failedScenarios = run.scenarios.filter((check) => !check.passed).length;
  const errors = run.errors === 0 ? '' : `, ${plural(run.errors, 'scenario')} could not run`;
  return `Checked ${plural(run.scenarios.length, 'scenario')}: ${plural(run.assertions, 'assertion')}, ${run.assertions - run.failed} passed, ${run.failed} failed${errors}; ${failedScenarios === 0 ? 'all passed' : `${plural(failedScenarios, 'scenario')} not passing`}.\n`;
}

/** The JSON summary (`bodycam check --json`). */
export function checkRunJson(run: CheckRun): string {
  return `${JSON.stringify({
    format: 'bodycam-check/1',
    passed: run.scenarios.every((check) => check.passed),
    assertions: run.assertions,
    failed: run.failed,
    errors: run.errors,
    scenarios: run.scenarios,
  }, null, 2)}\n`;
}
