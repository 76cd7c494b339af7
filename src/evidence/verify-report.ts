/** The report `bodycam verify` prints. Pure. */
import type { VerifyCheck } from './recording-checks.js';

/** What was verified. */
export type VerifyKind = 'recording' | 'recordings' | 'store' | 'export';

/** All checks of one `verify` run. */
export interface VerifyReport {
  readonly target: string;
  readonly kind: VerifyKind;
  readonly checks: readonly VerifyCheck[];
  /** Things worth knowing that are not failures (e.g. simulation keys, no registry given). */
  readonly notes: readonly string[];
  readonly ok: boolean;
}

/** Builds a report; `ok` when every check passed. */
export function verifyReport(target: string, kind: VerifyKind, checks: readonly VerifyCheck[], notes: readonly string[]): VerifyReport {
  return { target, kind, checks, notes, ok: checks.every((check) => check.ok) };
}

/** The failed checks. */
export function failures(report: VerifyReport): VerifyCheck[] {
  return report.checks.filter((check) => !check.ok);
}

/** One line a check, then the notes and a result line. */
export function formatVerifyReport(report: VerifyReport): string {
  const lines = [`Verifying ${report.kind === 'export' ? 'export package' : report.kind} ${report.target}`];
  for (const check of report.checks) lines.push(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.subject}  ${check.check}: ${check.detail}`);
  for (const note of report.notes) lines.push(`note  ${note}`);
  const failed = failures(report);
  lines.push(report.ok ? `Result: all ${report.checks.length} checks passed` : `Result: ${failed.length} of ${report.checks.length} checks FAILED`);
  return `${lines.join('\n')}\n`;
}

/** One line naming what failed, for stderr and the error message. */
export function failureSummary(report: VerifyReport): string {
  const failed = failures(report);
  if (failed.length === 0) return report.checks.length === 0 ? 'nothing was checked' : 'all checks passed';
  const named = failed.slice(0, 3).map((check) => `${check.subject} (${check.check})`).join(', ');
  return `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${named}${failed.length > 3 ? ', ...' : ''}`;
}
