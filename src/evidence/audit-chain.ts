/**
 * The audit log's entries and their hash chain. Pure: the SHA-256 function is passed in.
 *
 * Each entry is one line of canonical JSON (RFC 8785) holding `seq` (0, 1, 2, ...), `at`, `action`,
 * `recordingId`, `actor`, `details`, `prev` (the previous line's hash; 64 zeros for the first),
 * `recordingPrev` (the hash of the previous entry of the same recording, null for its first) and
 * `hash` = SHA-256 of the canonical JSON of the entry without `hash`. The second link makes the
 * entries of one recording a chain of their own, so an export can carry just those and still be
 * checked.
 */
import { canonicalJson } from './canonical-json.js';

/** Every action the log records. `device-registered` is the store's own (its recordingId is null). */
export const AUDIT_ACTIONS = ['device-registered', 'recorded', 'offloaded', 'viewed', 'held', 'released', 'exported', 'purged'] as const;

/** An action on a recording (or on the store, for `device-registered`). */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Flat details of an entry. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

/** One entry of the log. */
export interface AuditEntry {
  readonly seq: number;
  /** When it happened, ISO-8601 with an offset (given by `--now`, or the host clock, printed). */
  readonly at: string;
  readonly action: AuditAction;
  readonly recordingId: string | null;
  /** Who did it (`--actor`; `device:<id>` for `recorded`). */
  readonly actor: string;
  readonly details: AuditDetails;
  readonly prev: string;
  readonly recordingPrev: string | null;
  readonly hash: string;
}

/** What a caller says about a new entry. */
export type AuditEntryFields = Pick<AuditEntry, 'at' | 'action' | 'recordingId' | 'actor' | 'details'>;

/** `prev` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hex SHA-256 of a UTF-8 string. */
export type Sha256Hex = (text: string) => string;

/** Where a new entry goes in the chain. */
export interface ChainPosition {
  readonly seq: number;
  readonly prev: string;
  readonly recordingPrev: string | null;
}

/** Builds an entry at `position` and computes its hash. */
export function sealAuditEntry(fields: AuditEntryFields, position: ChainPosition, sha256Hex: Sha256Hex): AuditEntry {
  const body = {
    seq: position.seq, at: fields.at, action: fields.action, recordingId: fields.recordingId, actor: fields.actor,
    details: fields.details, prev: position.prev, recordingPrev: position.recordingPrev,
  };
  return { ...body, hash: sha256Hex(canonicalJson(body)) };
}

/** The line (without newline) of an entry. */
export function auditLine(entry: AuditEntry): string {
  return canonicalJson(entry);
}

/** The first problem found in a log, naming its line. */
export interface AuditProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly seq: number | null;
  readonly check: 'json' | 'form' | 'hash' | 'seq' | 'prev' | 'recording-prev' | 'recording';
  readonly message: string;
}

/** What {@link checkAuditLines} checks: a whole store log, or one recording's excerpt. */
export type AuditCheckMode = { readonly kind: 'store' } | { readonly kind: 'excerpt'; readonly recordingId: string };

/** The entries read, and the first problem (null when the chain is intact). */
export interface AuditCheckResult {
  readonly entries: readonly AuditEntry[];
  readonly problem: AuditProblem | null;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isHash = (value: unknown): value is string => isString(value) && /^[0-9a-f]{64}$/.test(value);

function parseEntry(line: string): AuditEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const e = value as Record<string, unknown>;
  const details = e.details;
  const flatDetails = typeof details === 'object' && details !== null && !Array.isArray(details)
    && Object.values(details).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  const ok = Number.isSafeInteger(e.seq) && isString(e.at) && (AUDIT_ACTIONS as readonly unknown[]).includes(e.action)
    && (e.recordingId === null || isString(e.recordingId)) && isString(e.actor) && flatDetails && isHash(e.prev)
    && (e.recordingPrev === null || isHash(e.recordingPrev)) && isHash(e.hash);
  return ok ? (value as AuditEntry) : null;
}

/** Checks a log's lines (without their newlines); stops at the first problem. */
export function checkAuditLines(lines: readonly string[], sha256Hex: Sha256Hex, mode: AuditCheckMode): AuditCheckResult {
  const entries: AuditEntry[] = [];
  const lastOfRecording = new Map<string, string>();
  let previous: AuditEntry | null = null;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const fail = (check: AuditProblem['check'], seq: number | null, message: string): AuditCheckResult => ({
      entries, problem: { line: lineNo, seq, check, message: `line ${lineNo}${seq === null ? '' : ` (seq ${seq})`}: ${message}` },
    });
    const entry = parseEntry(line);
    if (entry === null) return fail('json', null, 'not an audit entry (unreadable JSON or missing fields): the line was altered or cut off');
    if (auditLine(entry) !== line) return fail('form', entry.seq, 'not in canonical form: the line was edited');
    const { hash, ...body } = entry;
    if (sha256Hex(canonicalJson(body)) !== hash) return fail('hash', entry.seq, 'its hash does not match its content: the entry was edited');
    if (mode.kind === 'store') {
      if (entry.seq !== index) {
        return fail('seq', entry.seq, `expected seq ${index}: an entry before it was removed, or lines were reordered`);
      }
      if (entry.prev !== (previous?.hash ?? GENESIS_HASH)) {
        return fail('prev', entry.seq, lineNo === 1
          ? 'the first entry does not start the chain: entries were removed from the start'
          : `prev is not the hash of line ${lineNo - 1}: line ${lineNo - 1} was rewritten, or entries were removed or reordered`);
      }
    } else {
      if (entry.recordingId !== mode.recordingId) return fail('recording', entry.seq, `an entry of ${entry.recordingId ?? 'the store'} in the excerpt of ${mode.recordingId}`);
      if (previous !== null && entry.seq <= previous.seq) return fail('seq', entry.seq, `seq not after line ${lineNo - 1}'s ${previous.seq}: lines were reordered`);
    }
    const expectedRecordingPrev = entry.recordingId === null ? null : (lastOfRecording.get(entry.recordingId) ?? null);
    if (entry.recordingPrev !== expectedRecordingPrev) {
      return fail('recording-prev', entry.seq, expectedRecordingPrev === null
        ? `recordingPrev should be null (the first entry of ${entry.recordingId ?? 'the store'}): earlier entries of this recording were removed`
        : `recordingPrev does not link to the previous entry of ${entry.recordingId ?? 'the store'}: an entry of this recording was removed, rewritten or reordered`);
    }
    if (entry.recordingId !== null) lastOfRecording.set(entry.recordingId, entry.hash);
    entries.push(entry);
    previous = entry;
  }
  return { entries, problem: null };
}

/** The position of the next entry after `entries` for `recordingId`. */
export function nextChainPosition(entries: readonly AuditEntry[], recordingId: string | null): ChainPosition {
  const last = entries[entries.length - 1];
  let recordingPrev: string | null = null;
  if (recordingId !== null) {
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const entry = entries[i];
      if (entry !== undefined && entry.recordingId === recordingId) {
        recordingPrev = entry.hash;
        break;
      }
    }
  }
  return { seq: entries.length, prev: last?.hash ?? GENESIS_HASH, recordingPrev };
}
