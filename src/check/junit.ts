/**
 * JUnit XML for CI systems: one `<testsuite>` per scenario (for a team scenario, one for its
 * cross-device assertions and one per camera, `<scenario>/<device id>`), one `<testcase>` per assertion, a
 * `<failure>` with expected vs measured for each failed one, an `<error>` for a scenario that could
 * not run. No host times are written (the `time` attributes are optional), so the same run gives
 * the same file.
 */
import type { AssertionResult } from './expectation-types.js';

/** One scenario's outcome, as the report needs it. */
export interface ScenarioReport {
  /** The scenario's short name (its output folder name). */
  readonly name: string;
  /** The scenario file as given. */
  readonly file: string;
  readonly results: readonly AssertionResult[];
  /** Why the scenario did not run to the end, or null. */
  readonly error: string | null;
  /** A team scenario's cameras (contract §10), in its order: each gets its own suite. */
  readonly devices?: readonly string[];
}

/** One `<testsuite>`: a scenario, or one camera of a team scenario. */
interface Suite {
  readonly name: string;
  readonly file: string;
  readonly results: readonly AssertionResult[];
  readonly error: string | null;
}

/** A report's suites: itself, or for a team its cross-device assertions (and run error) then each camera's. */
function suitesOf(report: ScenarioReport): Suite[] {
  if (report.devices === undefined) return [report];
  const own = report.results.filter((result) => result.device === undefined);
  const cameras = report.devices.map((id) => ({
    name: `${report.name}/${id}`, file: report.file, error: null, results: report.results.filter((result) => result.device === id),
  }));
  return [{ name: report.name, file: report.file, results: own, error: report.error }, ...cameras];
}

// Characters XML 1.0 forbids even when escaped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for an XML attribute or element. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}

function attributes(fields: Record<string, string | number>): string {
  return Object.entries(fields).map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`).join('');
}

/** The JUnit XML document for the scenarios' reports. */
export function junitXml(reports: readonly ScenarioReport[], suiteName = 'bodycam check'): string {
  const suites = reports.flatMap(suitesOf);
  const count = (report: Suite) => ({
    tests: report.results.length + (report.error === null ? 0 : 1),
    failures: report.results.filter((result) => !result.passed).length,
    errors: report.error === null ? 0 : 1,
  });
  const totals = suites.map(count).reduce((a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors }), { tests: 0, failures: 0, errors: 0 });
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attributes({ name: suiteName, ...totals })}>`];
  for (const report of suites) {
    lines.push(`  <testsuite${attributes({ name: report.name, ...count(report), file: report.file })}>`);
    for (const result of report.results) {
      const testcase = attributes({ classname: report.name, name: `${result.place}: ${result.description}`, file: report.file });
      if (result.passed) {
        lines.push(`    <testcase${testcase}>`, `      <system-out>${escapeXml(`measured ${result.measured}`)}</system-out>`, '    </testcase>');
      } else {
        const message = `expected ${result.expected}, measured ${result.measured}`;
        lines.push(
          `    <testcase${testcase}>`,
          `      <failure${attributes({ message, type: 'expectation' })}>${escapeXml(`${result.place}: ${result.description}\n${message}`)}</failure>`,
          '    </testcase>',
        );
      }
    }
    if (report.error !== null) {
      lines.push(
        `    <testcase${attributes({ classname: report.name, name: 'run', file: report.file })}>`,
        `      <error${attributes({ message: report.error, type: 'run' })}>${escapeXml(report.error)}</error>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
