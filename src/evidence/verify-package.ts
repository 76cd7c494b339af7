/**
 * `bodycam verify PACKAGE`: an export package checked on its own, with the keys it carries
 * (or --trusted-keys): the signed index and every file's hash, the device's manifest signature,
 * the original file's hash, the decryption (encrypted originals), and the audit excerpt's chain.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAuditText } from './audit-log.js';
import { decryptRecordingFile } from './decrypt-file.js';
import type { RecordingManifest } from '../recorder/index.js';
import type { AuditEntry } from './audit-chain.js';
import { serializeSignedJson } from './canonical-json.js';
import {
  EXPORT_AUDIT, EXPORT_BACK_OFFICE_KEY, EXPORT_DATA_KEY, EXPORT_DEVICE_KEY, EXPORT_INDEX, EXPORT_REPORT, type ExportIndex,
} from './export-package.js';
import { exportReport } from './export-report.js';
import { hashFileSync } from './file-hash.js';
import { type PublicKeyInfo, isSimulationDeviceKey, loadPublicKeyFile } from './keys.js';
import { type KeyTrust, type VerifyCheck, checkRecording } from './recording-checks.js';
import { EXPORT_DOMAIN, checkDocumentSignature } from './signatures.js';
import { type TrustAnchors, backOfficeKeyProblem, deviceAnchor, isSimulationSigner, signerName } from './trust-anchors.js';
import { type VerifyReport, verifyReport } from './verify-report.js';

function tryKey(path: string): PublicKeyInfo | null {
  try {
    return loadPublicKeyFile(path, 'ed25519');
  } catch {
    return null;
  }
}

/**
 * Verifies an export package folder (one holding export.json). With anchors, export.json must be
 * signed by the anchored back-office key, and the device key must be anchored or named in that
 * anchored index: the keys the package carries are copies for convenience, never anchors.
 * Without anchors only the package's integrity is checked, and the report says so.
 */
export function verifyPackage(dir: string, anchors: TrustAnchors | null): VerifyReport {
  const checks: VerifyCheck[] = [];
  const notes: string[] = [];
  const shown = anchors?.path ?? null;
  const add = (subject: string, check: string, ok: boolean, detail: string): void => {
    checks.push({ subject, check, ok, detail });
  };
  let index: ExportIndex;
  let indexText = '';
  try {
    indexText = readFileSync(join(dir, EXPORT_INDEX), 'utf8');
    index = JSON.parse(indexText) as ExportIndex;
    if (index.format !== 'bodycam-export/1' || !Array.isArray(index.files) || typeof index.recordingId !== 'string') throw new Error('format');
  } catch {
    add(EXPORT_INDEX, 'index', false, 'not a readable bodycam-export/1 index: it was altered');
    return verifyReport(dir, 'export', checks, notes, shown);
  }
  const formOk = indexText === serializeSignedJson(index);
  add(EXPORT_INDEX, 'form', formOk, formOk ? 'in its one file form (sorted keys, 2-space JSON)'
    : 'not in its one file form (sorted keys, 2-space JSON): it was edited (key order or layout), though the signed values may be unchanged');
  const backOfficeKey = tryKey(join(dir, EXPORT_BACK_OFFICE_KEY));
  const signature = checkDocumentSignature(EXPORT_DOMAIN, index);
  const indexSigner = signature.ok ? signature.key : null;
  let indexAnchored = false;
  if (!signature.ok) {
    add(EXPORT_INDEX, 'signature', false, signature.reason);
  } else if (anchors !== null) {
    const problem = backOfficeKeyProblem(signature.key, anchors);
    indexAnchored = problem === null;
    add(EXPORT_INDEX, 'signature', indexAnchored, problem ?? `signed by ${signerName(signature.key, null)}, the anchored back-office key`);
  } else {
    const same = backOfficeKey !== null && signature.key.fingerprint === backOfficeKey.fingerprint;
    add(EXPORT_INDEX, 'signature', same, same
      ? `integrity only: signed by ${signerName(signature.key, null)}, the key in ${EXPORT_BACK_OFFICE_KEY}, which the package carries itself`
      : `signed by ${signerName(signature.key, null)}, which is not ${EXPORT_BACK_OFFICE_KEY}`);
  }
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
  if (indexSigner !== null) {
    const same = backOfficeKey?.fingerprint === indexSigner.fingerprint;
    add(EXPORT_BACK_OFFICE_KEY, 'key', same, same ? 'the key that signed export.json (a copy for convenience, not a trust anchor)' : 'not the key that signed export.json');
  }
  const trust: KeyTrust = anchors === null ? { kind: 'embedded' } : {
    kind: 'registry', anchored: true,
    lookup: (deviceId) => deviceAnchor(anchors, deviceId)
      // The anchored back office names the device key in the index it signed: the key chains to the anchor through it.
      ?? (indexAnchored && deviceKey !== null && deviceKey.fingerprint === index.deviceKeyFingerprint
        ? { key: deviceKey, source: `${EXPORT_DEVICE_KEY}, named in export.json signed by the anchored back office` } : null),
  };
  if (anchors === null) notes.push(`integrity only: the package vouches for itself with the keys it carries (${EXPORT_DEVICE_KEY}, ${EXPORT_BACK_OFFICE_KEY}); pass --trusted-keys with the published keys to check who signed`);
  const recording = checkRecording(join(dir, index.manifest), trust, (path) => path.slice(dir.length + 1));
  checks.push(...recording.checks);
  const manifest = recording.manifest;
  const manifestSigner = manifest?.signature?.keyFingerprint ?? null;
  const keysAgree = deviceKey !== null && deviceKey.fingerprint === index.deviceKeyFingerprint && deviceKey.fingerprint === manifestSigner;
  add(EXPORT_DEVICE_KEY, 'key', keysAgree, keysAgree ? 'the key that signed the manifest, as export.json names it (a copy for convenience, not a trust anchor)'
    : 'not the key that signed the manifest, or not the one export.json names');
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
  if (manifest !== null && indexSigner !== null && existsSync(join(dir, EXPORT_REPORT))) {
    const problem = reportProblem(readFileSync(join(dir, EXPORT_REPORT), 'utf8'), index, manifest, indexSigner, audit.entries);
    add(EXPORT_REPORT, 'content', problem === null, problem ?? 'says exactly what the signed files say (rebuilt from export.json, the manifest and the excerpt)');
  }
  return verifyReport(dir, 'export', checks, notes, shown);
}

/**
 * REPORT.md is a rendering of the signed files, not evidence of its own: verify rebuilds it from
 * them and wants the same bytes, so a report that says anything else (old hashes, another case)
 * fails even when its own hash was re-signed.
 */
function reportProblem(text: string, index: ExportIndex, manifest: RecordingManifest, backOffice: PublicKeyInfo, audit: readonly AuditEntry[]): string | null {
  const rebuilt = exportReport({
    manifest, exportedAt: index.exportedAt, actor: index.actor, caseRef: index.case, recordingFile: index.recording, audit,
    files: index.files.filter((file) => file.path !== EXPORT_REPORT),
    deviceKey: { fingerprint: index.deviceKeyFingerprint, simulation: isSimulationDeviceKey(manifest.deviceId, index.deviceKeyFingerprint) },
    backOfficeKey: { fingerprint: backOffice.fingerprint, simulation: isSimulationSigner(backOffice, null) },
  });
  if (rebuilt === text) return null;
  const ours = rebuilt.split('\n');
  const theirs = text.split('\n');
  const line = ours.findIndex((l, i) => l !== theirs[i]);
  const at = line < 0 ? ours.length : line;
  return `REPORT.md says something the signed files do not (rebuilt from them, it differs at line ${at + 1}: ${JSON.stringify((theirs[at] ?? '').slice(0, 80))})`;
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
