/**
 * The audit log on disk (the I/O edge of audit-chain.ts): `audit.jsonl`, append-only, one entry a
 * line, and `audit-head.json`, the back office's signature over the number of entries and the
 * last hash, rewritten (atomically) after every append. The chain catches an edited, removed or
 * reordered entry; the signed head also catches entries cut off the end or appended by someone
 * without the back office's key.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { writeFileAtomic } from '../recorder/index.js';
import {
  type AuditCheckMode, type AuditCheckResult, type AuditEntry, type AuditEntryFields, GENESIS_HASH, auditLine, checkAuditLines,
  nextChainPosition, sealAuditEntry,
} from './audit-chain.js';
import { serializeSignedJson } from './canonical-json.js';
import type { KeyPair, PublicKeyInfo } from './keys.js';
import { isoToMs } from './retention.js';
import { AUDIT_HEAD_DOMAIN, type SignatureBlock, checkDocumentSignature, signDocument } from './signatures.js';

/** File name of the log in a store. */
export const AUDIT_FILE = 'audit.jsonl';
/** File name of the signed head in a store. */
export const AUDIT_HEAD_FILE = 'audit-head.json';

/** The signed head of a log (or of an export's excerpt). */
export interface AuditHead {
  readonly format: 'bodycam-audit-head/1';
  readonly entries: number;
  readonly lastHash: string;
  readonly signature?: SignatureBlock;
}

/** Hex SHA-256 of a UTF-8 string. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Splits a log's text into lines; a log that does not end with a newline is reported. */
export function auditLines(text: string): { readonly lines: string[]; readonly cutOff: boolean } {
  if (text === '') return { lines: [], cutOff: false };
  const lines = text.split('\n');
  const cutOff = lines[lines.length - 1] !== '';
  if (!cutOff) lines.pop();
  return { lines, cutOff };
}

/** Checks a log's text: the chain, then the trailing newline. */
export function checkAuditText(text: string, mode: AuditCheckMode): AuditCheckResult {
  const { lines, cutOff } = auditLines(text);
  const result = checkAuditLines(lines, sha256Text, mode);
  if (result.problem !== null || !cutOff) return result;
  const last = result.entries[result.entries.length - 1];
  return {
    entries: result.entries,
    problem: { line: lines.length, seq: last?.seq ?? null, check: 'form', message: `line ${lines.length}${last === undefined ? '' : ` (seq ${last.seq})`}: the log does not end with a newline: its last line was cut off or edited` },
  };
}

/**
 * Checks a signed head against the entries it should cover; null when it holds.
 * @param signerFingerprint the back office key that must have signed it (null: any valid key)
 */
export function checkAuditHead(head: unknown, entries: readonly AuditEntry[], signerFingerprint: string | null): string | null {
  if (typeof head !== 'object' || head === null) return 'the signed head is missing or not a JSON object';
  const fields = head as Partial<AuditHead>;
  if (fields.format !== 'bodycam-audit-head/1') return 'the signed head is not bodycam-audit-head/1';
  const signature = checkDocumentSignature(AUDIT_HEAD_DOMAIN, head);
  if (!signature.ok) return `the head's signature: ${signature.reason}`;
  if (signerFingerprint !== null && signature.key.fingerprint !== signerFingerprint) {
    return `the head is signed by key ${signature.key.fingerprint.slice(0, 16)}…, not by this back office (${signerFingerprint.slice(0, 16)}…)`;
  }
  const lastHash = entries[entries.length - 1]?.hash ?? GENESIS_HASH;
  if (fields.entries !== entries.length) {
    return (fields.entries ?? 0) > entries.length
      ? `the signed head covers ${fields.entries} entries but the log holds ${entries.length}: entries were removed from the end`
      : `the log holds ${entries.length} entries but the signed head covers ${fields.entries}: entries were appended without the back office's signature`;
  }
  if (fields.lastHash !== lastHash) return 'the last entry is not the one the head signed: the end of the log was rewritten';
  return null;
}

/** A store's audit log. */
export class AuditLog {
  readonly file: string;
  readonly headFile: string;

  /**
   * @param signing the back office's signing key (null: the log can be read and checked, not appended to)
   * @param signerFingerprint the key the head must be signed with
   */
  constructor(directory: string, private readonly signing: KeyPair | null, private readonly signerFingerprint: string) {
    this.file = join(directory, AUDIT_FILE);
    this.headFile = join(directory, AUDIT_HEAD_FILE);
  }

  /** Creates an empty log with its signed head. */
  initialize(): void {
    writeFileAtomic(this.file, '');
    this.writeHead([]);
  }

  /**
   * Reads and checks the log and its head. `headSigner` is the key the head's signature verifies
   * under (null when it does not): verify holds it against the trust anchors.
   */
  read(): AuditCheckResult & { readonly headProblem: string | null; readonly headSigner: PublicKeyInfo | null } {
    const text = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    const result = checkAuditText(text, { kind: 'store' });
    let head: unknown = null;
    let headText = '';
    try {
      headText = readFileSync(this.headFile, 'utf8');
      head = JSON.parse(headText);
    } catch {
      head = null;
    }
    const signature = checkDocumentSignature(AUDIT_HEAD_DOMAIN, head);
    const headSigner = signature.ok ? signature.key : null;
    const headProblem = checkAuditHead(head, result.entries, this.signerFingerprint)
      ?? (headText === serializeSignedJson(head) ? null : 'the head file is not in its one form (sorted keys, 2-space JSON): it was edited, e.g. its key order');
    return { ...result, headProblem, headSigner };
  }

  /**
   * Refuses an action dated before the last store action logged (exit 2): the log is in time
   * order, so a release can never predate its hold. `recorded` entries carry the device's clock,
   * not the store's, and do not count.
   */
  assertInTimeOrder(at: string, entries: readonly AuditEntry[] = this.entries()): void {
    const atMs = isoToMs(at, '--now');
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const entry = entries[i];
      if (entry === undefined || entry.action === 'recorded') continue;
      if (atMs < isoToMs(entry.at, `${AUDIT_FILE} seq ${entry.seq}`)) {
        throw BodycamError.usage(`--now: ${at} is before the last logged action (${entry.action} at ${entry.at}, seq ${entry.seq}): store actions are logged in time order`);
      }
      return;
    }
  }

  /**
   * Reads the log and refuses to go on when it is broken: a store whose log was tampered with
   * takes no new entries until someone has looked (bodycam verify names what is wrong).
   */
  entries(): readonly AuditEntry[] {
    const result = this.read();
    const problem = result.problem?.message ?? result.headProblem;
    if (problem !== null) {
      throw new BodycamError('expectation-failed', `the audit log is broken (${problem}); run bodycam verify on the store`, { file: this.file });
    }
    return result.entries;
  }

  /** Appends entries (durably: fsync) and re-signs the head. */
  append(fields: readonly AuditEntryFields[]): AuditEntry[] {
    const entries = [...this.entries()];
    const added: AuditEntry[] = [];
    for (const item of fields) {
      if (item.action !== 'recorded') this.assertInTimeOrder(item.at, entries);
      const entry = sealAuditEntry(item, nextChainPosition(entries, item.recordingId), sha256Text);
      entries.push(entry);
      added.push(entry);
    }
    if (added.length === 0) return added;
    appendFileSync(this.file, added.map((entry) => `${auditLine(entry)}\n`).join(''));
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.writeHead(entries);
    return added;
  }

  private writeHead(entries: readonly AuditEntry[]): void {
    if (this.signing === null) throw BodycamError.usage('the audit log was opened read-only (without the back office\'s private key)');
    const body: AuditHead = { format: 'bodycam-audit-head/1', entries: entries.length, lastHash: entries[entries.length - 1]?.hash ?? GENESIS_HASH };
    writeFileAtomic(this.headFile, serializeSignedJson({ ...body, signature: signDocument(AUDIT_HEAD_DOMAIN, body, this.signing) }));
  }
}
