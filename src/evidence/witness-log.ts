/**
 * The witness log: the audit log's head, published outside the store (docs/evidence.md,
 * "Trust model"). Like a transparency log's checkpoints (Sigstore/Rekor, Certificate
 * Transparency), each line records the store's head at a moment: how many entries the log held
 * and the hash of the last one. The audit log is a hash chain, so a later log is consistent with a
 * witnessed head exactly when its entry number `entries - 1` still has that hash. Whoever rewrites
 * or rolls back history before a witnessed head, even with the back office's own signing key,
 * cannot keep that hash: verify --witness names it.
 *
 * The file lives where the store cannot reach it (a path given from outside: another machine, a
 * write-once medium, the prosecutor's office). Its lines are themselves a hash chain (seq, prev,
 * hash), each signed by the back office, so an edited or reordered witness line is caught too.
 * What it cannot show alone: lines cut off its end (keep its last hash elsewhere, e.g. printed in
 * a case file), and anything changed after the last witnessed head.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BodycamError } from '../errors/index.js';
import type { AuditEntry } from './audit-chain.js';
import { GENESIS_HASH } from './audit-chain.js';
import { sha256Text } from './audit-log.js';
import { canonicalJson } from './canonical-json.js';
import type { KeyPair } from './keys.js';
import { isoToMs } from './retention.js';
import { type SignatureBlock, checkDocumentSignature, signDocument } from './signatures.js';
import type { VerifyCheck } from './recording-checks.js';

/** Domain of a witness line's signature. */
export const WITNESS_DOMAIN = 'bodycam-witness-signature/1';

/** One witnessed head. */
export interface WitnessLine {
  readonly format: 'bodycam-witness/1';
  readonly seq: number;
  /** When the head was published (the back office's --now). */
  readonly at: string;
  /** Entries of the store's audit log at that moment, and the hash of the last one. */
  readonly entries: number;
  readonly lastHash: string;
  /** The previous witness line's hash (64 zeros for the first). */
  readonly prev: string;
  /** SHA-256 of the canonical JSON of the fields above. */
  readonly hash: string;
  readonly signature: SignatureBlock;
}

/** The witness lines read, the first problem in the file itself (null: intact), and each line's signer. */
export interface WitnessRead {
  readonly lines: readonly WitnessLine[];
  readonly problem: string | null;
}

/** Reads and checks a witness log's own chain and signatures; `signer` is the key fingerprint every line must carry (null: any valid key). */
export function readWitnessLog(file: string, signer: string | null): WitnessRead {
  const text = readFileSync(file, 'utf8');
  const raw = text === '' ? [] : text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] !== '') return { lines: [], problem: `line ${raw.length}: the log does not end with a newline: its last line was cut off or edited` };
  raw.pop();
  const lines: WitnessLine[] = [];
  for (const [index, line] of raw.entries()) {
    const fail = (message: string): WitnessRead => ({ lines, problem: `line ${index + 1}: ${message}` });
    let value: WitnessLine;
    try {
      value = JSON.parse(line) as WitnessLine;
    } catch {
      return fail('not JSON');
    }
    if (value.format !== 'bodycam-witness/1' || canonicalJson(value) !== line) return fail('not a bodycam-witness/1 line in canonical form: it was edited');
    const { hash, signature: _signature, ...body } = value;
    if (sha256Text(canonicalJson(body)) !== hash) return fail('its hash does not match its content: the line was edited');
    const previous = lines[lines.length - 1];
    if (value.seq !== index || value.prev !== (previous?.hash ?? GENESIS_HASH)) return fail('seq or prev does not follow the line before: lines were removed, reordered or inserted');
    const signed = checkDocumentSignature(WITNESS_DOMAIN, value);
    if (!signed.ok) return fail(`signature: ${signed.reason}`);
    if (signer !== null && signed.key.fingerprint !== signer) return fail(`signed by key ${signed.key.fingerprint.slice(0, 16)}…, not by the back office's ${signer.slice(0, 16)}…`);
    if (previous !== undefined && (value.entries < previous.entries || isoToMs(value.at, `${basename(file)} line ${index + 1}: at`) < isoToMs(previous.at, 'at'))) {
      return fail('a head with fewer entries, or an earlier time, than the one before it');
    }
    lines.push(value);
  }
  return { lines, problem: null };
}

/** Null when the store's `entries` are consistent with every witnessed head; else the first inconsistency. */
export function witnessProblem(lines: readonly WitnessLine[], entries: readonly AuditEntry[]): string | null {
  for (const line of lines) {
    if (line.entries > entries.length) {
      return `the log holds ${entries.length} entries, fewer than the ${line.entries} witnessed at ${line.at}: entries were removed, or an old log was put back`;
    }
    if (line.entries > 0 && entries[line.entries - 1]?.hash !== line.lastHash) {
      return `entry ${line.entries - 1} is not the one witnessed at ${line.at}: history up to that head was rewritten`;
    }
  }
  return null;
}

/** The verify checks of a store against its witness log. */
export function witnessChecks(file: string, entries: readonly AuditEntry[], signer: string | null, auditSubject: string): VerifyCheck[] {
  const name = basename(file);
  if (!existsSync(file)) return [{ subject: name, check: 'witness', ok: false, detail: 'the witness log given is missing' }];
  const read = readWitnessLog(file, signer);
  const checks: VerifyCheck[] = [{
    subject: name, check: 'witness', ok: read.problem === null,
    detail: read.problem ?? `${read.lines.length} witnessed heads, each signed by the back office, chained and in order`,
  }];
  if (read.problem !== null) return checks;
  const last = read.lines[read.lines.length - 1];
  const problem = witnessProblem(read.lines, entries);
  checks.push({
    subject: auditSubject, check: 'witness', ok: problem === null,
    detail: problem ?? (last === undefined ? 'nothing witnessed yet' : `consistent with every witnessed head (the last: ${last.entries} entries at ${last.at})`),
  });
  return checks;
}

/**
 * Appends the store's current head to the witness log `file` (created when missing), signed by
 * `key`. Refuses when the log is broken, the store's log no longer matches a witnessed head, or
 * `at` is before the last witnessed time.
 */
export function appendWitness(file: string, entries: readonly AuditEntry[], key: KeyPair, at: string): WitnessLine {
  const read = existsSync(file) ? readWitnessLog(file, key.fingerprint) : { lines: [], problem: null };
  if (read.problem !== null) throw BodycamError.badInput({ file }, 'an intact witness log', read.problem);
  const inconsistent = witnessProblem(read.lines, entries);
  if (inconsistent !== null) throw new BodycamError('expectation-failed', `the store's audit log does not match the witness log: ${inconsistent}`, { file });
  const previous = read.lines[read.lines.length - 1];
  if (previous !== undefined && isoToMs(at, '--now') < isoToMs(previous.at, 'at')) {
    throw BodycamError.usage(`--now: ${at} is before the last witnessed head (${previous.at}); witnessed heads are in time order`);
  }
  const body = {
    format: 'bodycam-witness/1' as const, seq: read.lines.length, at, entries: entries.length,
    lastHash: entries[entries.length - 1]?.hash ?? GENESIS_HASH, prev: previous?.hash ?? GENESIS_HASH,
  };
  const hashed = { ...body, hash: sha256Text(canonicalJson(body)) };
  const line: WitnessLine = { ...hashed, signature: signDocument(WITNESS_DOMAIN, hashed, key) };
  appendFileSync(file, `${canonicalJson(line)}\n`);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return line;
}
