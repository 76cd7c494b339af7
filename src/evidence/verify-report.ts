/**
 * The report `bodycam verify` prints. Pure.
 *
 * With trust anchors a passing check reads `ok` and the result says the checks passed against
 * them. Without anchors nothing proves who made the files, so a passing check reads `intact`,
 * and the header and result say only integrity was checked: there is no bare "all checks passed".
 */
import type { VerifyCheck } from './recording-checks.js';

/** What was verified. */
export type VerifyKind = 'recording' | 'recordings' | 'store' | 'export';

/** All checks of one `verify` run. */
export interface VerifyReport {
  readonly target: string;
  readonly kind: VerifyKind;
  readonly checks: readonly VerifyCheck[];
  /** Things worth knowing that are not failures (e.g. simulation keys, an interrupted offload). */
  readonly notes: readonly string[];
  /** The trust anchors checked against (the path given), or null: integrity only. */
  readonly anchors: string | null;
  /** `anchored`: signatures checked against the anchors; `integrity`: only that the files agree with each other. */
  readonly assurance: 'anchored' | 'integrity';
  readonly ok: boolean;
}

/** Builds a report; `ok` when every check passed. */
export function verifyReport(target: string, kind: VerifyKind, checks: readonly VerifyCheck[], notes: readonly string[], anchors: string | null): VerifyReport {
  return { target, kind, checks, notes, anchors, assurance: anchors === null ? 'integrity' : 'anchored', ok: checks.every((check) => check.ok) };
}

/** The failed checks. */
export function failures(report: VerifyReport): VerifyCheck[] {
  return report.checks.filter((check) => !check.ok);
}

/** One line a check, then the notes and a result line. */
export function formatVerifyReport(report: VerifyReport): string {
  const what = `${report.kind === 'export' ? 'export package' : report.kind} ${report.target}`;
  const lines = [report.anchors === null
    ? `Verifying ${what} (integrity only: no --trusted-keys given, so nothing here proves who made these files)`
    : `Verifying ${what} against the trust anchors in ${report.anchors}`];
  const passed = report.anchors === null ? 'intact' : 'ok  ';
  for (const check of report.checks) lines.push(`${check.ok ? passed : 'FAIL'}  ${check.subject}  ${check.check}: ${check.detail}`);
  for (const note of report.notes) lines.push(`note  ${note}`);
  const failed = failures(report);
  const n = report.checks.length;
  if (report.anchors === null) {
    lines.push(report.ok
      ? `Result: integrity only: all ${n} integrity checks hold; origin NOT checked (no trust anchors: pass --trusted-keys)`
      : `Result: ${failed.length} of ${n} checks FAILED (integrity only: no trust anchors given)`);
  } else {
    lines.push(report.ok ? `Result: all ${n} checks passed against the trust anchors in ${report.anchors}` : `Result: ${failed.length} of ${n} checks FAILED`);
  }
  return `${lines.join('\n')}\n`;
}

/** One line naming what failed, for stderr and the error message. */
export function failureSummary(report: VerifyReport): string {
  const failed = failures(report);
  if (failed.length === 0) {
    if (report.checks.length === 0) return 'nothing was checked';
    return report.anchors === null ? 'integrity checks hold (origin not checked: no trust anchors)' : 'all checks passed against the trust anchors';
  }
  const named = failed.slice(0, 3).map((check) => `${check.subject} (${check.check})`).join(', ');
  return `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${named}${failed.length > 3 ? ', ...' : ''}`;
}
