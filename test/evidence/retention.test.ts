/**
 * Retention: 28 days (configurable) from the recording's wall-clock end; held footage is never
 * purged; release then purge works; every deletion is in the audit log; --now makes it exact.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry, type EvidenceStore, activeHolds, decideRetention, holdRecording, offloadDevice, purgeStore, releaseRecording, verifyPath,
} from '../../src/evidence/index.js';
import { type DeviceRun, ACTOR, CONTEXT, cli, copyRun, newStore, recordDevice } from './helpers.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const DAY_MS = 86_400_000;

let device: DeviceRun;
let endMs = 0;
beforeAll(async () => {
  device = await recordDevice();
  endMs = Date.parse(device.manifest.wallClock.end);
});

/** ISO time `days` days (plus `ms`) after the recording's end. */
const after = (days: number, ms = 0): string => new Date(endMs + days * DAY_MS + ms).toISOString();

function storeWithRecording(retentionDays?: number): EvidenceStore {
  const store = newStore(retentionDays === undefined ? {} : { retentionDays });
  // Offloaded the instant the recording ends, so the period counts from the end (the later of the two).
  offloadDevice(store, copyRun(device).dir, { at: device.manifest.wallClock.end, actor: ACTOR });
  return store;
}

function auditEntries(store: EvidenceStore): AuditEntry[] {
  return readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
}

describe('retention (28 days from the wall-clock end)', () => {
  it('is counted from the manifest\'s wallClock.end', () => {
    expect(device.manifest.wallClock.end).toBe('2026-01-01T00:00:05.000Z');
  });

  it('counts from the offload when the back office received it later than the end: a device clock behind never shortens it', () => {
    const store = newStore();
    offloadDevice(store, copyRun(device).dir, { at: after(2), actor: ACTOR });
    expect(purgeStore(store, { at: after(29), actor: ACTOR }, false).purged).toEqual([]);
    const [decision] = purgeStore(store, { at: after(30), actor: ACTOR }, false).decisions;
    expect(decision).toMatchObject({ basis: 'offload', basisMs: endMs + 2 * DAY_MS, action: 'purge' });
    expect(auditEntries(store).find((e) => e.action === 'purged')?.details).toMatchObject({ basis: 'offload', basisAt: after(2), expires: after(30) });
  });

  it.each([
    { days: 27, ms: 0, kept: true },
    { days: 28, ms: -1, kept: true },
    { days: 28, ms: 0, kept: false },
    { days: 29, ms: 0, kept: false },
  ])('at $days days $ms ms: kept $kept', ({ days, ms, kept }) => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    const result = purgeStore(store, { at: after(days, ms), actor: 'retention' }, false);
    expect(result.decisions.map((d) => d.why)).toEqual([kept ? 'within-retention' : 'retention-expired']);
    expect(existsSync(store.recordingDir(id))).toBe(kept);
    const purged = auditEntries(store).filter((e) => e.action === 'purged');
    expect(purged.length).toBe(kept ? 0 : 1);
    if (!kept) {
      expect(purged[0]).toMatchObject({ recordingId: id, at: after(days, ms), actor: 'retention' });
      expect(purged[0]?.details).toMatchObject({ reason: 'retention-expired', retentionDays: 28, sha256: device.manifest.sha256, expires: after(28) });
    }
    expect(verifyPath(store.dir).ok).toBe(true);
  });

  it('a held recording is never purged (29 days, and a year); after the last release it is', () => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    holdRecording(store, id, { reason: 'investigation', caseRef: 'OM-2026-17' }, CONTEXT);
    holdRecording(store, id, { reason: 'complaint', caseRef: 'K-2026-3' }, CONTEXT);
    for (const days of [27, 28, 29, 365]) {
      const result = purgeStore(store, { at: after(days), actor: ACTOR }, false);
      expect(result.decisions[0]).toMatchObject({ action: 'keep', why: 'held' });
      expect(result.purged).toEqual([]);
    }
    releaseRecording(store, id, 'OM-2026-17', { at: after(400), actor: ACTOR });
    expect(purgeStore(store, { at: after(400), actor: ACTOR }, false).purged).toEqual([]); // still held for the complaint
    releaseRecording(store, id, 'K-2026-3', { at: after(401), actor: ACTOR });
    expect(purgeStore(store, { at: after(401), actor: ACTOR }, false).purged).toEqual([id]);
    expect(existsSync(store.recordingDir(id))).toBe(false);
    expect(auditEntries(store).map((e) => e.action)).toEqual(['device-registered', 'recorded', 'offloaded', 'held', 'held', 'released', 'released', 'purged']);
    expect(verifyPath(store.dir).ok).toBe(true);
  });

  it('a release does not restart the period: released within 28 days, kept until day 28', () => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    holdRecording(store, id, { reason: 'complaint', caseRef: 'K-1' }, CONTEXT);
    releaseRecording(store, id, 'K-1', { at: after(10), actor: ACTOR });
    expect(purgeStore(store, { at: after(27), actor: ACTOR }, false).purged).toEqual([]);
    expect(purgeStore(store, { at: after(28), actor: ACTOR }, false).purged).toEqual([id]);
  });

  it('the period is configurable (7 days)', () => {
    const store = storeWithRecording(7);
    expect(purgeStore(store, { at: after(6), actor: ACTOR }, false).purged).toEqual([]);
    expect(purgeStore(store, { at: after(7), actor: ACTOR }, false).purged).toEqual([device.manifest.id]);
  });

  it('a dry run decides but deletes and logs nothing', () => {
    const store = storeWithRecording();
    const before = readFileSync(store.audit.file, 'utf8');
    const result = purgeStore(store, { at: after(29), actor: ACTOR }, true);
    expect(result.decisions[0]?.action).toBe('purge');
    expect(result.purged).toEqual([]);
    expect(existsSync(store.recordingDir(device.manifest.id))).toBe(true);
    expect(readFileSync(store.audit.file, 'utf8')).toBe(before);
  });

  it('hold and release refuse what makes no sense', () => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    expect(() => holdRecording(store, id, { reason: 'curiosity', caseRef: 'X' }, CONTEXT)).toThrow(/--reason: expected investigation or complaint/);
    expect(() => releaseRecording(store, id, 'X', CONTEXT)).toThrow(/is not held for case X/);
    holdRecording(store, id, { reason: 'complaint', caseRef: 'X' }, CONTEXT);
    expect(() => holdRecording(store, id, { reason: 'complaint', caseRef: 'X' }, CONTEXT)).toThrow(/already held for case X/);
    expect(() => holdRecording(store, 'DRD-BC-0001_nope', { reason: 'complaint', caseRef: 'Y' }, CONTEXT)).toThrow(/no such recording/);
  });
});

describe('bodycam evidence purge / hold / release (CLI)', () => {
  it('uses --now and says so; without it, says it used the host clock; held footage stays', async () => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    const hold = await cli('evidence', 'hold', id, '--reason', 'investigation', '--case', 'OM-1', '--store', store.dir, '--now', after(1));
    expect(hold.code, hold.stderr).toBe(0);
    const held = await cli('evidence', 'purge', '--store', store.dir, '--now', after(29));
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(`Now: ${after(29)} (from --now)`);
    expect(held.stdout).toContain(`keep   ${id}: held (OM-1)`);
    const release = await cli('evidence', 'release', id, '--case', 'OM-1', '--store', store.dir, '--now', after(30));
    expect(release.code).toBe(0);
    const dry = await cli('evidence', 'purge', '--store', store.dir, '--dry-run');
    expect(dry.stdout).toMatch(/^Now: \S+ \(host clock; pass --now to fix it\)$/m);
    expect(dry.stdout).toContain(`would purge  ${id}`);
    const purge = await cli('evidence', 'purge', '--store', store.dir, '--now', after(30));
    expect(purge.stdout).toContain(`purged  ${id}: retention ended ${after(28)}`);
    expect(existsSync(join(store.dir, 'recordings', id))).toBe(false);
    const list = await cli('evidence', 'list', '--store', store.dir, '--now', after(30), '--json');
    expect((JSON.parse(list.stdout) as { recordings: { id: string; status: string }[] }).recordings).toMatchObject([{ id, status: 'purged' }]);
  });

  it('bad arguments exit 2: an unknown reason, a bad --now', async () => {
    const store = storeWithRecording();
    const id = device.manifest.id;
    expect((await cli('evidence', 'hold', id, '--reason', 'curiosity', '--case', 'X', '--store', store.dir, '--now', after(1))).code).toBe(2);
    const badNow = await cli('evidence', 'purge', '--store', store.dir, '--now', 'tomorrow');
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('--now: expected an ISO-8601 date-time with an offset');
    expect(existsSync(store.recordingDir(id))).toBe(true);
  });
});

describe('retention decisions (property)', () => {
  it('never purges a recording with an active hold; otherwise purges exactly from end + retention', () => {
    const step = fc.record({ kind: fc.constantFrom('held' as const, 'released' as const), caseRef: fc.constantFrom('A', 'B', 'C') });
    fc.assert(fc.property(fc.array(step, { maxLength: 10 }), fc.integer({ min: 0, max: 60 * DAY_MS }), fc.integer({ min: 1, max: 60 }), (steps, offsetMs, days) => {
      const entries = steps.map((s, seq) => ({
        seq, at: '2026-01-01T00:00:00Z', action: s.kind, recordingId: 'R', actor: 'p', details: { case: s.caseRef, reason: 'complaint' },
        prev: '', recordingPrev: null, hash: '',
      })) as AuditEntry[];
      const open = new Set<string>();
      for (const s of steps) {
        if (s.kind === 'held') open.add(s.caseRef);
        else open.delete(s.caseRef);
      }
      const holds = activeHolds(entries).get('R') ?? [];
      expect(new Set(holds.map((h) => h.caseRef))).toEqual(open);
      const decision = decideRetention({ recordingId: 'R', wallClockEnd: '2026-01-01T00:00:05.000Z' }, holds, Date.parse('2026-01-01T00:00:05.000Z') + offsetMs, days);
      const expired = offsetMs >= days * DAY_MS;
      expect(decision.action).toBe(open.size === 0 && expired ? 'purge' : 'keep');
    }), { numRuns: FC_RUNS });
  });
});
