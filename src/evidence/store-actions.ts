/**
 * What the back office does with stored recordings: list, view, hold, release, purge. Every
 * action that touches footage is in the audit log before its effect is visible (a view's file is
 * renamed into place after its `viewed` entry; a purge logs `purged` before deleting).
 */
import { existsSync, renameSync, rmSync, copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import type { AuditEntry } from './audit-chain.js';
import { decryptRecordingFile } from './decrypt-file.js';
import { hashFileSync } from './file-hash.js';
import { checkRecording } from './recording-checks.js';
import { type ActiveHold, HOLD_REASONS, type HoldReason, type RetentionDecision, activeHolds, decideRetention, isoToMs, offloadTimes } from './retention.js';
import type { ActionContext, EvidenceStore } from './store.js';

/** One recording in a listing. */
export interface StoreListItem {
  readonly id: string;
  readonly status: 'stored' | 'purged';
  readonly deviceId: string | null;
  readonly officerId: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly encrypted: boolean;
  readonly holds: readonly ActiveHold[];
  /** The retention decision at the listing's `now` (null for purged or unreadable recordings). */
  readonly retention: RetentionDecision | null;
}

/** Lists stored and purged recordings with their holds and retention at `nowIso`. */
export function listRecordings(store: EvidenceStore, nowIso: string): StoreListItem[] {
  const nowMs = isoToMs(nowIso, '--now');
  const entries = store.audit.entries();
  const holds = activeHolds(entries);
  const offloads = offloadTimes(entries);
  const items: StoreListItem[] = store.recordingIds().map((id) => {
    const read = store.storedManifest(id);
    const manifest = read?.ok === true ? read.manifest : null;
    return {
      id, status: 'stored', deviceId: manifest?.deviceId ?? null, officerId: manifest?.officerId ?? null,
      start: manifest?.wallClock.start ?? null, end: manifest?.wallClock.end ?? null, encrypted: manifest?.encryption !== undefined,
      holds: holds.get(id) ?? [],
      retention: manifest === null ? null : decideRetention({ recordingId: id, wallClockEnd: manifest.wallClock.end, offloadedAt: offloads.get(id) ?? null }, holds.get(id) ?? [], nowMs, store.config.retentionDays),
    };
  });
  for (const entry of entries) {
    if (entry.action !== 'purged' || entry.recordingId === null || items.some((item) => item.id === entry.recordingId)) continue;
    const recorded = entries.find((e) => e.recordingId === entry.recordingId && e.action === 'recorded');
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    items.push({
      id: entry.recordingId, status: 'purged', deviceId: text(recorded?.details.deviceId), officerId: text(recorded?.details.officerId),
      start: text(recorded?.details.start), end: text(recorded?.details.end), encrypted: recorded?.details.encrypted === true, holds: [], retention: null,
    });
  }
  return items.sort((a, b) => a.id.localeCompare(b.id));
}

/** A stored recording whose checks all pass (view and export refuse anything else). */
function checkedRecording(store: EvidenceStore, id: string): { manifest: RecordingManifest; file: string; manifestPath: string; manifestText: string } {
  const stored = store.storedManifest(id);
  if (stored === null) {
    const purged = store.audit.entries().find((entry) => entry.recordingId === id && entry.action === 'purged');
    throw BodycamError.usage(purged === undefined ? `${id}: no such recording in the store` : `${id} was purged on ${purged.at}`);
  }
  const result = checkRecording(stored.path, { kind: 'registry', lookup: (deviceId) => store.deviceKey(deviceId) }, (path) => path);
  const failures = result.checks.filter((check) => !check.ok);
  if (failures.length > 0 || result.manifest === null || result.filePath === null || result.manifestText === null) {
    throw new BodycamError('expectation-failed', `${id} fails its checks (${failures.map((f) => `${f.check}: ${f.detail}`).join('; ')}); run bodycam verify on the store`);
  }
  return { manifest: result.manifest, file: result.filePath, manifestPath: stored.path, manifestText: result.manifestText };
}

/**
 * Writes a playable copy of a recording to `outFile` (decrypted when it is encrypted) and logs
 * `viewed`. Returns the plaintext's hash.
 */
export function viewRecording(store: EvidenceStore, id: string, outFile: string, context: ActionContext): { sha256: string; bytes: number } {
  const target = resolve(outFile);
  if (existsSync(target)) throw BodycamError.usage(`${target} exists; expected a new file for the copy`);
  return store.withLock(() => {
    const recording = checkedRecording(store, id);
    const temporary = join(dirname(target), `.${id}.view-${process.pid}`);
    try {
      let result: { sha256: string; bytes: number };
      if (recording.manifest.encryption !== undefined) {
        const decrypted = decryptRecordingFile(recording.file, { backOffice: store.keys }, temporary);
        result = { sha256: decrypted.plaintextSha256, bytes: decrypted.plaintextBytes };
      } else {
        copyFileSync(recording.file, temporary);
        result = hashFileSync(temporary);
      }
      store.audit.append([{ at: context.at, action: 'viewed', recordingId: id, actor: context.actor, details: { output: target, plaintextSha256: result.sha256 } }]);
      renameSync(temporary, target);
      return result;
    } finally {
      rmSync(temporary, { force: true });
    }
  });
}

/** A case reference: 1 to 100 printable characters. */
function checkCaseRef(caseRef: string): void {
  if (!/^[\x21-\x7e][\x20-\x7e]{0,99}$/.test(caseRef)) {
    throw BodycamError.usage(`--case: expected a case reference of 1 to 100 printable characters, got ${JSON.stringify(caseRef)}`);
  }
}

/** Puts a legal hold on a recording for a case. */
export function holdRecording(store: EvidenceStore, id: string, hold: { readonly reason: string; readonly caseRef: string }, context: ActionContext): AuditEntry {
  if (!(HOLD_REASONS as readonly string[]).includes(hold.reason)) {
    throw BodycamError.usage(`--reason: expected ${HOLD_REASONS.join(' or ')}, got ${JSON.stringify(hold.reason)}`);
  }
  checkCaseRef(hold.caseRef);
  return store.withLock(() => {
    if (store.storedManifest(id) === null) throw BodycamError.usage(`${id}: no such recording in the store (it may have been purged)`);
    const current = activeHolds(store.audit.entries()).get(id) ?? [];
    if (current.some((h) => h.caseRef === hold.caseRef)) throw BodycamError.usage(`${id} is already held for case ${hold.caseRef}`);
    const [entry] = store.audit.append([{
      at: context.at, action: 'held', recordingId: id, actor: context.actor, details: { reason: hold.reason as HoldReason, case: hold.caseRef },
    }]);
    return entry as AuditEntry;
  });
}

/** Releases a recording's hold for a case. */
export function releaseRecording(store: EvidenceStore, id: string, caseRef: string, context: ActionContext): AuditEntry {
  checkCaseRef(caseRef);
  return store.withLock(() => {
    const current = activeHolds(store.audit.entries()).get(id) ?? [];
    if (!current.some((h) => h.caseRef === caseRef)) {
      throw BodycamError.usage(`${id} is not held for case ${caseRef}${current.length > 0 ? ` (held for ${current.map((h) => h.caseRef).join(', ')})` : ''}`);
    }
    const [entry] = store.audit.append([{ at: context.at, action: 'released', recordingId: id, actor: context.actor, details: { case: caseRef } }]);
    return entry as AuditEntry;
  });
}

/** What a purge decided, and what it deleted. */
export interface PurgeResult {
  readonly decisions: readonly RetentionDecision[];
  readonly purged: readonly string[];
  readonly dryRun: boolean;
}

/**
 * Deletes every recording past its retention that no hold keeps, logging each deletion first.
 * `context.at` is "now". With `dryRun`, decides and deletes nothing.
 */
export function purgeStore(store: EvidenceStore, context: ActionContext, dryRun: boolean): PurgeResult {
  const nowMs = isoToMs(context.at, '--now');
  return store.withLock(() => {
    const entries = store.audit.entries();
    if (!dryRun) store.audit.assertInTimeOrder(context.at, entries);
    const holds = activeHolds(entries);
    const offloads = offloadTimes(entries);
    const decisions: RetentionDecision[] = [];
    for (const id of store.recordingIds()) {
      const read = store.storedManifest(id);
      // A recording whose manifest cannot be read is kept: its end, and so its retention, is unknown.
      if (read === null || !read.ok) continue;
      decisions.push(decideRetention({ recordingId: id, wallClockEnd: read.manifest.wallClock.end, offloadedAt: offloads.get(id) ?? null }, holds.get(id) ?? [], nowMs, store.config.retentionDays));
    }
    const purged: string[] = [];
    if (!dryRun) {
      for (const decision of decisions) {
        if (decision.action !== 'purge') continue;
        const read = store.storedManifest(decision.recordingId);
        const manifest = read?.ok === true ? read.manifest : null;
        store.audit.append([{
          at: context.at, action: 'purged', recordingId: decision.recordingId, actor: context.actor,
          details: {
            reason: 'retention-expired', retentionDays: store.config.retentionDays, end: manifest?.wallClock.end ?? null,
            basis: decision.basis, basisAt: new Date(decision.basisMs).toISOString(),
            expires: new Date(decision.expiresMs).toISOString(), file: manifest?.file ?? null, sha256: manifest?.sha256 ?? null,
          },
        }]);
        rmSync(store.recordingDir(decision.recordingId), { recursive: true, force: true });
        purged.push(decision.recordingId);
      }
    }
    return { decisions, purged, dryRun };
  });
}
