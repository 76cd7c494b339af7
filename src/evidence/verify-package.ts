/**
 * `bodycam verify PACKAGE`: an export package checked on its own, with the keys it carries
 * (or --trusted-keys): the signed index and every file's hash, the device's manifest signature,
 * the original file's hash, the decryption (encrypted originals), and the audit excerpt's chain.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAuditText } from './audit-log.js';
import { decryptRecordingFile } from './decrypt-file.js';
import {
  EXPORT_AUDIT, EXPORT_BACK_OFFICE_KEY, EXPORT_DATA_KEY, EXPORT_DEVICE_KEY, EXPORT_INDEX, type ExportIndex,
} from './export-package.js';
import { hashFileSync } from './file-hash.js';
import { type PublicKeyInfo, loadPublicKeyFile } from './keys.js';
import { type KeyTrust, type VerifyCheck, checkRecording } from './recording-checks.js';
import { EXPORT_DOMAIN, checkDocumentSignature } from './signatures.js';
import { type VerifyReport, verifyReport } from './verify-report.js';

function tryKey(path: string): PublicKeyInfo | null {
  try {
    return loadPublicKeyFile(path, 'ed25519');
  } catch {
    return null;
  }
}

/** Verifies an export package folder (one holding export.json). */
export function verifyPackage(dir: string, trustedKeys: KeyTrust | null): VerifyReport {
  const checks: VerifyCheck[] = [];
  const notes: string[] = [];
  const add = (subject: string, check: string, ok: boolean, detail: string): void => {
    checks.push({ subject, check, ok, detail });
  };
  let index: ExportIndex;
  try {
    index = JSON.parse(readFileSync(join(dir, EXPORT_INDEX), 'utf8')) as ExportIndex;
    if (index.format !== 'bodycam-export/1' || !Array.isArray(index.files) || typeof index.recordingId !== 'string') throw new Error('format');
  } catch {
    add(EXPORT_INDEX, 'index', false, 'not a readable bodycam-export/1 index: it was altered');
    return verifyReport(dir, 'export', checks, notes);
  }
  const backOfficeKey = tryKey(join(dir, EXPORT_BACK_OFFICE_KEY));
  const signature = checkDocumentSignature(EXPORT_DOMAIN, index);
  const signedByPackageKey = signature.ok && backOfficeKey !== null && signature.key.fingerprint === backOfficeKey.fingerprint;
  add(EXPORT_INDEX, 'signature', signedByPackageKey, !signature.ok ? signature.reason
    : signedByPackageKey ? `signed by the back office key ${signature.key.fingerprint.slice(0, 16)}… (${EXPORT_BACK_OFFICE_KEY})`
      : `signed by key ${signature.key.fingerprint.slice(0, 16)}…, which is not ${EXPORT_BACK_OFFICE_KEY}`);
  const listed = new Set<string>([EXPORT_INDEX]);
  for (const file of index.files) {
    listed.add(file.path);
    const path = join(dir, file.path);
    if (!existsSync(path)) {
      add(file.path, 'file', false, 'listed in export.json but missing');
      continue;
    }
    const actual = hashFileSync(path);
    const ok = actual.sha256 === file.sha256 && actual.bytes === file.bytes;
    add(file.path, 'sha256', ok, ok ? `SHA-256 ${actual.sha256}` : `the file's SHA-256 is ${actual.sha256} (${actual.bytes} bytes), export.json says ${file.sha256} (${file.bytes} bytes): the file was altered`);
  }
  for (const name of readdirSync(dir).sort()) {
    if (!listed.has(name)) add(name, 'file', false, 'not listed in the signed export.json: it was added to the package');
  }
  const deviceKey = tryKey(join(dir, EXPORT_DEVICE_KEY));
  const trust: KeyTrust = trustedKeys ?? (deviceKey === null ? { kind: 'embedded' } : { kind: 'pinned', key: deviceKey, source: EXPORT_DEVICE_KEY });
  if (trustedKeys === null) notes.push(`the device key is the one in the package (${EXPORT_DEVICE_KEY}); compare its fingerprint with the police's published one, or pass --trusted-keys`);
  const recording = checkRecording(join(dir, index.manifest), trust, (path) => path.slice(dir.length + 1));
  checks.push(...recording.checks);
  const manifest = recording.manifest;
  const playable = index.files.find((file) => file.path === index.recording);
  if (manifest?.encryption !== undefined) {
    try {
      const dataKey = JSON.parse(readFileSync(join(dir, EXPORT_DATA_KEY), 'utf8')) as { dataKey?: string };
      const result = decryptRecordingFile(join(dir, manifest.file), { dataKey: new Uint8Array(Buffer.from(String(dataKey.dataKey), 'base64')) }, null);
      const ok = result.plaintextSha256 === playable?.sha256 && result.plaintextSha256 === hashFileSync(join(dir, index.recording)).sha256;
      add(index.recording, 'decryption', ok, ok ? `the encrypted original decrypts to exactly this file (${result.chunks} chunks, ${result.ending})`
        : 'the encrypted original does not decrypt to this file: the recording or the original was altered');
    } catch (error) {
      add(index.recording, 'decryption', false, `cannot check the decryption: ${(error as Error).message}`);
    }
  }
  const auditText = existsSync(join(dir, EXPORT_AUDIT)) ? readFileSync(join(dir, EXPORT_AUDIT), 'utf8') : '';
  const audit = checkAuditText(auditText, { kind: 'excerpt', recordingId: index.recordingId });
  // The excerpt's head (entries, last hash) is part of the signed index, so the index's signature covers it.
  const last = audit.entries[audit.entries.length - 1];
  const head = audit.problem !== null ? null
    : index.audit?.entries !== audit.entries.length ? `the excerpt holds ${audit.entries.length} entries, export.json signed ${String(index.audit?.entries)}: entries were removed or added`
      : last?.hash !== index.audit.lastHash ? 'the last entry is not the one export.json signed' : null;
  let custody: string | null = audit.problem?.message ?? head;
  if (custody === null) custody = custodyProblem(audit.entries, manifest?.sha256 ?? null, playable?.sha256 ?? null);
  add(EXPORT_AUDIT, 'chain', custody === null, custody ?? `${audit.entries.length} entries of ${index.recordingId}, every hash and link intact, the last one as export.json signed`);
  return verifyReport(dir, 'export', checks, notes);
}

function custodyProblem(entries: readonly { action: string; details: Readonly<Record<string, unknown>> }[], sha256: string | null, playableSha256: string | null): string | null {
  const recorded = entries[0];
  if (recorded?.action !== 'recorded') return 'the excerpt does not start with the recording\'s `recorded` entry';
  if (sha256 !== null && recorded.details.sha256 !== sha256) return 'the `recorded` entry logs another SHA-256 than the manifest\'s';
  const offloaded = entries.find((e) => e.action === 'offloaded');
  if (offloaded === undefined) return 'the excerpt has no `offloaded` entry';
  if (playableSha256 !== null && offloaded.details.plaintextSha256 !== undefined && offloaded.details.plaintextSha256 !== playableSha256) {
    return 'the recording\'s SHA-256 differs from the one logged at offload';
  }
  if (entries[entries.length - 1]?.action !== 'exported') return 'the excerpt does not end with this export';
  return null;
}
