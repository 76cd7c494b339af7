/**
 * Retention and legal holds, decided from the audit log alone. Pure.
 *
 * A recording is kept for `retentionDays` × 24 h after the later of its wall-clock end
 * (`wallClock.end` in its manifest, the device's clock) and its offload (the back office's clock),
 * and becomes purgeable at that instant exactly. While any hold
 * is active (held for a case and not yet released for that case) it is never purged, however old.
 * A release does not restart the period: once the last hold is released, a recording past its
 * retention goes at the next purge.
 */
import { parseWallClock } from '../time/wall-clock.js';
import type { AuditEntry } from './audit-chain.js';

/** The default retention period. */
export const DEFAULT_RETENTION_DAYS = 28;
/** Why footage is held. */
export const HOLD_REASONS = ['investigation', 'complaint'] as const;
/** A reason for a hold. */
export type HoldReason = (typeof HOLD_REASONS)[number];

const MS_PER_DAY = 86_400_000;

/** An active hold. */
export interface ActiveHold {
  readonly caseRef: string;
  readonly reason: string;
  readonly at: string;
}

/** The active holds of every recording, from the log's `held` and `released` entries, in order. */
export function activeHolds(entries: readonly AuditEntry[]): Map<string, ActiveHold[]> {
  const holds = new Map<string, ActiveHold[]>();
  for (const entry of entries) {
    if (entry.recordingId === null) continue;
    const caseRef = entry.details.case;
    if (typeof caseRef !== 'string') continue;
    const current = holds.get(entry.recordingId) ?? [];
    if (entry.action === 'held') {
      holds.set(entry.recordingId, [...current, { caseRef, reason: String(entry.details.reason ?? ''), at: entry.at }]);
    } else if (entry.action === 'released') {
      holds.set(entry.recordingId, current.filter((hold) => hold.caseRef !== caseRef));
    }
  }
  return holds;
}

/** What purge does with one recording. */
export interface RetentionDecision {
  readonly recordingId: string;
  readonly endMs: number;
  /**
   * Where the period starts: the later of the device's `wallClock.end` and the offload (the
   * earliest time the back office can vouch the recording existed). A device clock that runs
   * behind can then never shorten the period.
   */
  readonly basisMs: number;
  readonly basis: 'end' | 'offload';
  /** The instant the retention period ends. */
  readonly expiresMs: number;
  readonly holds: readonly ActiveHold[];
  readonly action: 'keep' | 'purge';
  readonly why: 'held' | 'within-retention' | 'retention-expired';
}

/** Milliseconds since the epoch of an ISO-8601 time with an offset (bad-input naming `place` otherwise). */
export function isoToMs(text: string, place: string): number {
  return parseWallClock(text, { place }).epochMs;
}

/** Decides one recording's fate at `nowMs`; `offloadedAt` is the offload's time from the audit log. */
export function decideRetention(
  recording: { readonly recordingId: string; readonly wallClockEnd: string; readonly offloadedAt?: string | null },
  holds: readonly ActiveHold[],
  nowMs: number,
  retentionDays: number,
): RetentionDecision {
  const endMs = isoToMs(recording.wallClockEnd, `${recording.recordingId}: wallClock.end`);
  const offloadMs = recording.offloadedAt == null ? null : isoToMs(recording.offloadedAt, `${recording.recordingId}: offloaded at`);
  const basisMs = offloadMs !== null && offloadMs > endMs ? offloadMs : endMs;
  const expiresMs = basisMs + retentionDays * MS_PER_DAY;
  const base = { recordingId: recording.recordingId, endMs, basisMs, basis: basisMs === endMs ? 'end' as const : 'offload' as const, expiresMs, holds };
  if (holds.length > 0) return { ...base, action: 'keep', why: 'held' };
  return nowMs >= expiresMs ? { ...base, action: 'purge', why: 'retention-expired' } : { ...base, action: 'keep', why: 'within-retention' };
}

/** The time each recording was first offloaded, from the audit log. */
export function offloadTimes(entries: readonly AuditEntry[]): Map<string, string> {
  const times = new Map<string, string>();
  for (const entry of entries) {
    if (entry.action === 'offloaded' && entry.recordingId !== null && !times.has(entry.recordingId)) times.set(entry.recordingId, entry.at);
  }
  return times;
}

/** How far ahead of the back office's clock a recording's end may lie at offload before the device clock is flagged. */
export const MAX_DEVICE_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * The device clock checked at offload against the back office's: null when plausible, else why
 * not. A recording cannot end after it was offloaded (beyond {@link MAX_DEVICE_CLOCK_AHEAD_MS} of
 * clock tolerance); one that claims to have ended more than a retention period before its offload
 * would be purgeable on arrival, which on a docking shift means a clock that runs behind. Either
 * way retention counts from the offload at the latest (see {@link decideRetention}).
 */
export function deviceClockProblem(wallClockEnd: string, offloadedAt: string, retentionDays: number): { readonly kind: 'ahead' | 'behind'; readonly message: string } | null {
  const endMs = isoToMs(wallClockEnd, 'wallClock.end');
  const atMs = isoToMs(offloadedAt, '--now');
  if (endMs > atMs + MAX_DEVICE_CLOCK_AHEAD_MS) {
    return { kind: 'ahead', message: `the device clock runs ahead: the recording ends ${wallClockEnd}, after its offload at ${offloadedAt} (more than ${MAX_DEVICE_CLOCK_AHEAD_MS / 60_000} min)` };
  }
  if (endMs < atMs - retentionDays * MS_PER_DAY) {
    return { kind: 'behind', message: `the device clock looks behind: the recording ends ${wallClockEnd}, more than ${retentionDays} days before its offload at ${offloadedAt}; retention counts from the offload` };
  }
  return null;
}
