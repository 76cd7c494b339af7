/**
 * Retention and legal holds, decided from the audit log alone. Pure.
 *
 * A recording is kept for `retentionDays` × 24 h after the wall-clock end of the recording
 * (`wallClock.end` in its manifest) and becomes purgeable at that instant exactly. While any hold
 * is active (held for a case and not yet released for that case) it is never purged, however old.
 * A release does not restart the period: once the last hold is released, a recording past its
 * retention goes at the next purge.
 */
import { parseWallClock } from '../time/index.js';
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

/** Decides one recording's fate at `nowMs`. */
export function decideRetention(
  recording: { readonly recordingId: string; readonly wallClockEnd: string },
  holds: readonly ActiveHold[],
  nowMs: number,
  retentionDays: number,
): RetentionDecision {
  const endMs = isoToMs(recording.wallClockEnd, `${recording.recordingId}: wallClock.end`);
  const expiresMs = endMs + retentionDays * MS_PER_DAY;
  const base = { recordingId: recording.recordingId, endMs, expiresMs, holds };
  if (holds.length > 0) return { ...base, action: 'keep', why: 'held' };
  return nowMs >= expiresMs ? { ...base, action: 'purge', why: 'retention-expired' } : { ...base, action: 'keep', why: 'within-retention' };
}
