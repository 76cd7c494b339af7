/**
 * The audit log: hash-chained, append-only, its head signed by the back office. An edited,
 * deleted, reordered, cut-off or forged line is caught, and verify names the first broken entry.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry, type AuditEntryFields, AUDIT_ACTIONS, EvidenceStore, auditLine, checkAuditLines, holdRecording, nextChainPosition, offloadDevice,
  releaseRecording, sealAuditEntry, sha256Text, verifyPath,
} from '../../src/evidence/index.js';
import { type DeviceRun, CONTEXT, cli, copyRun, newStore, recordDevice } from './helpers.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 100);

let device: DeviceRun;
beforeAll(async () => {
  device = await recordDevice();
});

/** A store holding the recording with a few actions logged: registered, recorded, offloaded, held, released, held. */
function storeWithHistory(): { storeDir: string; auditFile: string; lines: string[] } {
  const store = newStore();
  offloadDevice(store, copyRun(device).dir, CONTEXT);
  const id = device.manifest.id;
  holdRecording(store, id, { reason: 'complaint', caseRef: 'K-1' }, CONTEXT);
  releaseRecording(store, id, 'K-1', CONTEXT);
  holdRecording(store, id, { reason: 'investigation', caseRef: 'OM-7' }, CONTEXT);
  const auditFile = store.audit.file;
  return { storeDir: store.dir, auditFile, lines: readFileSync(auditFile, 'utf8').split('\n').filter((l) => l !== '') };
}

function rewrite(file: string, lines: readonly string[]): void {
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
}

async function verifyFails(storeDir: string, pattern: RegExp): Promise<string> {
  const result = await cli('verify', storeDir);
  expect(result.code, result.stdout).toBe(1);
  const failed = result.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
  expect(failed.join('\n')).toMatch(pattern);
  return failed.join('\n');
}

describe('the store\'s audit log', () => {
  it('holds every action, in a chain that verifies', async () => {
    const { storeDir, lines } = storeWithHistory();
    const actions = lines.map((l) => (JSON.parse(l) as AuditEntry).action);
    expect(actions).toEqual(['device-registered', 'recorded', 'offloaded', 'held', 'released', 'held']);
    const result = await cli('verify', storeDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('chain: 6 entries, every hash and link intact');
  });

  it('an edited line: its hash fails, at that line', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    rewrite(auditFile, lines.map((l, i) => (i === 3 ? l.replace('"complaint"', '"investigation"') : l)));
    await verifyFails(storeDir, /audit\.jsonl {2}chain: line 4 \(seq 3\): its hash does not match its content/);
  });

  it('an edited line with its hash recomputed: the next line\'s link fails (and the signed head)', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    const edited = JSON.parse(lines[3] ?? '') as AuditEntry;
    const { hash: _hash, ...body } = { ...edited, details: { ...edited.details, case: 'K-2' } };
    const resealed = sealAuditEntry(body, { seq: body.seq, prev: body.prev, recordingPrev: body.recordingPrev }, sha256Text);
    rewrite(auditFile, lines.map((l, i) => (i === 3 ? auditLine(resealed) : l)));
    await verifyFails(storeDir, /chain: line 5 \(seq 4\): prev is not the hash of line 4/);
  });

  it('a deleted line: named at the line after the gap', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    rewrite(auditFile, lines.filter((_, i) => i !== 2));
    await verifyFails(storeDir, /chain: line 3 \(seq 3\): expected seq 2: an entry before it was removed/);
  });

  it('two lines swapped: named at the first of them', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [lines[4] ?? '', lines[3] ?? ''];
    rewrite(auditFile, swapped);
    await verifyFails(storeDir, /chain: line 4 \(seq 4\): expected seq 3: .*reordered/);
  });

  it('the last line removed: the chain holds, the signed head catches it', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    rewrite(auditFile, lines.slice(0, -1));
    await verifyFails(storeDir, /audit-head\.json {2}head: the signed head covers 6 entries but the log holds 5: entries were removed from the end/);
  });

  it('a forged entry appended with a valid chain: the signed head catches it', async () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
    const forged = sealAuditEntry({ at: CONTEXT.at, action: 'released', recordingId: device.manifest.id, actor: 'intruder', details: { case: 'OM-7' } },
      nextChainPosition(entries, device.manifest.id), sha256Text);
    rewrite(auditFile, [...lines, auditLine(forged)]);
    await verifyFails(storeDir, /head: the log holds 7 entries but the signed head covers 6: entries were appended without the back office's signature/);
  });

  it('the final newline removed (one byte): caught', async () => {
    const { storeDir, auditFile } = storeWithHistory();
    writeFileSync(auditFile, readFileSync(auditFile, 'utf8').slice(0, -1));
    await verifyFails(storeDir, /chain: line 6 \(seq 5\): the log does not end with a newline/);
  });

  it('a broken log stops the store taking new entries', () => {
    const { storeDir, auditFile, lines } = storeWithHistory();
    rewrite(auditFile, lines.filter((_, i) => i !== 4));
    expect(verifyPath(storeDir).ok).toBe(false);
    expect(() => holdRecording(EvidenceStore.open(storeDir), device.manifest.id, { reason: 'complaint', caseRef: 'X' }, CONTEXT))
      .toThrow(/the audit log is broken \(line 5 \(seq 5\): expected seq 4/);
  });
});

describe('the chain (property)', () => {
  const fieldsArbitrary = fc.record({
    action: fc.constantFrom(...AUDIT_ACTIONS.filter((a) => a !== 'device-registered')),
    recordingId: fc.constantFrom('A', 'B', 'C'),
    details: fc.dictionary(fc.constantFrom('case', 'reason', 'sha256', 'n'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null))),
  });
  const build = (items: readonly { action: AuditEntry['action']; recordingId: string; details: AuditEntry['details'] }[]): AuditEntry[] => {
    const entries: AuditEntry[] = [];
    for (const [i, item] of items.entries()) {
      const fields: AuditEntryFields = { at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, actor: 'p', ...item };
      entries.push(sealAuditEntry(fields, nextChainPosition(entries, item.recordingId), sha256Text));
    }
    return entries;
  };

  it('an intact chain checks, for the store and for every recording\'s excerpt', () => {
    fc.assert(fc.property(fc.array(fieldsArbitrary, { minLength: 1, maxLength: 12 }), (items) => {
      const entries = build(items);
      const lines = entries.map(auditLine);
      expect(checkAuditLines(lines, sha256Text, { kind: 'store' }).problem).toBeNull();
      for (const id of ['A', 'B', 'C']) {
        const excerpt = entries.filter((e) => e.recordingId === id).map(auditLine);
        expect(checkAuditLines(excerpt, sha256Text, { kind: 'excerpt', recordingId: id }).problem).toBeNull();
      }
    }), { numRuns: FC_RUNS });
  });

  it('any edit, deletion or swap of lines is caught, at or before the line touched', () => {
    fc.assert(fc.property(
      fc.array(fieldsArbitrary, { minLength: 2, maxLength: 12 }), fc.nat(), fc.nat(), fc.constantFrom('delete', 'swap', 'edit', 'duplicate'),
      (items, a, b, change) => {
        const lines = build(items).map(auditLine);
        const i = a % lines.length;
        let j = b % lines.length;
        if (j === i) j = (i + 1) % lines.length;
        const changed = [...lines];
        if (change === 'delete') changed.splice(i, 1);
        if (change === 'duplicate') changed.splice(i, 0, lines[i] ?? '');
        if (change === 'swap') [changed[i], changed[j]] = [lines[j] ?? '', lines[i] ?? ''];
        if (change === 'edit') changed[i] = (lines[i] ?? '').replace('"actor":"p"', '"actor":"q"');
        // Deleting the last line leaves a valid shorter chain: that is the signed head's job (tested above).
        if (change === 'delete' && i === lines.length - 1) return;
        const problem = checkAuditLines(changed, sha256Text, { kind: 'store' }).problem;
        expect(problem).not.toBeNull();
        const lastTouched = change === 'swap' ? Math.max(i, j) : change === 'duplicate' ? i + 1 : i;
        expect(problem?.line).toBeLessThanOrEqual(lastTouched + 1);
      },
    ), { numRuns: FC_RUNS });
  });
});
