/**
 * `bodycam evidence export`: the package for the prosecutor. Built in a temporary folder next to
 * the target, logged as `exported`, then renamed into place, so there is never a half package.
 *
 * ```
 * OUT/<id>.mkv (or .mp4)     the recording to play (decrypted when it was encrypted)
 * OUT/<id>.json              the device's signed manifest, byte for byte
 * OUT/<id>.mkv.enc (.mp4.enc) the encrypted original, byte for byte (only when encrypted)
 * OUT/data-key.json          that one file's data key, so the decryption can be checked (only when encrypted)
 * OUT/device-public-key.pem  the device's Ed25519 public key
 * OUT/back-office-public-key.pem
 * OUT/audit-excerpt.jsonl    every audit entry of this recording, ending with this export
 * OUT/REPORT.md              the human-readable report
 * OUT/export.json            index: every file's size and SHA-256, the excerpt's head; signed by the back office
 * ```
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { auditLine } from './audit-chain.js';
import { serializeSignedJson } from './canonical-json.js';
import { decryptRecordingFile } from './decrypt-file.js';
import { exportReport } from './export-report.js';
import { hashFileSync } from './file-hash.js';
import { isSimulationDeviceKey, publicKeyPem } from './keys.js';
import { checkRecording } from './recording-checks.js';
import { EXPORT_DOMAIN, type SignatureBlock, signDocument } from './signatures.js';
import type { ActionContext, EvidenceStore } from './store.js';

/** The package's signed index. */
export const EXPORT_INDEX = 'export.json';
/** The recording's audit entries. */
export const EXPORT_AUDIT = 'audit-excerpt.jsonl';
/** The device's public key. */
export const EXPORT_DEVICE_KEY = 'device-public-key.pem';
/** The back office's signing public key. */
export const EXPORT_BACK_OFFICE_KEY = 'back-office-public-key.pem';
/** The released data key of an encrypted original. */
export const EXPORT_DATA_KEY = 'data-key.json';
/** The human-readable report. */
export const EXPORT_REPORT = 'REPORT.md';

/** One file listed in export.json. */
export interface ExportFileEntry {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly role: string;
}

/** export.json. */
export interface ExportIndex {
  readonly format: 'bodycam-export/1';
  readonly recordingId: string;
  readonly exportedAt: string;
  readonly actor: string;
  readonly case: string | null;
  /** The recording to play, and the device's manifest and original file. */
  readonly recording: string;
  readonly manifest: string;
  readonly original: string;
  readonly encrypted: boolean;
  readonly deviceKeyFingerprint: string;
  readonly audit: { readonly file: string; readonly entries: number; readonly lastHash: string };
  readonly files: readonly ExportFileEntry[];
  readonly signature?: SignatureBlock;
}

/** The one file form of export.json (sorted keys, 2-space JSON): verify refuses any other layout. */
export function serializeExportIndex(index: ExportIndex): string {
  return serializeSignedJson(index);
}

/** Options of {@link exportRecording}. */
export interface ExportOptions extends ActionContext {
  readonly caseRef?: string;
}

/** Exports a stored recording to `outDir` (a new or empty folder); returns the signed index. */
export function exportRecording(store: EvidenceStore, id: string, outDir: string, options: ExportOptions): ExportIndex {
  const target = resolve(outDir);
  if (existsSync(target) && readdirSync(target).length > 0) throw BodycamError.usage(`${target} is not empty; expected a new or empty folder for the package`);
  return store.withLock(() => {
    const stored = store.storedManifest(id);
    if (stored === null) throw BodycamError.usage(`${id}: no such recording in the store (never offloaded, or purged)`);
    const trust = { kind: 'registry' as const, lookup: (deviceId: string) => store.deviceKey(deviceId) };
    const checked = checkRecording(stored.path, trust, (path) => basename(path));
    const failures = checked.checks.filter((check) => !check.ok);
    const manifest = checked.manifest;
    if (failures.length > 0 || manifest === null || checked.filePath === null) {
      throw new BodycamError('expectation-failed', `${id} fails its checks (${failures.map((f) => `${f.subject} ${f.check}: ${f.detail}`).join('; ')}); it is not exported`);
    }
    const deviceKey = store.deviceKey(manifest.deviceId);
    if (deviceKey === null) throw new BodycamError('expectation-failed', `${manifest.deviceId} is not registered`);
    const temporary = join(dirname(target), `.${basename(target)}.export-${process.pid}`);
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    try {
      const files: ExportFileEntry[] = [];
      const add = (path: string, role: string): void => {
        files.push({ path, role, ...hashFileSync(join(temporary, path)) });
      };
      const encrypted = manifest.encryption !== undefined;
      // The container's own extension (.mkv or .mp4), without encryption's `.enc`.
      const recording = `${id}${extname(manifest.file.replace(/\.enc$/, ''))}`;
      copyFileSync(stored.path, join(temporary, `${id}.json`));
      copyFileSync(checked.filePath, join(temporary, manifest.file));
      if (encrypted) {
        const result = decryptRecordingFile(checked.filePath, { backOffice: store.keys }, join(temporary, recording));
        writeFileSync(join(temporary, EXPORT_DATA_KEY), `${JSON.stringify({
          format: 'bodycam-data-key/1', recordingId: id, fileId: manifest.encryption?.fileId, dataKey: Buffer.from(result.dataKey).toString('base64'),
        }, null, 2)}\n`);
        add(recording, 'the recording, decrypted: play this');
        add(manifest.file, 'the encrypted original as the device wrote it');
        add(EXPORT_DATA_KEY, 'the data key of this one file (checks the decryption)');
      } else {
        add(recording, 'the recording as the device wrote it: play this');
      }
      add(`${id}.json`, 'the device\'s signed manifest');
      writeFileSync(join(temporary, EXPORT_DEVICE_KEY), publicKeyPem(deviceKey.key));
      writeFileSync(join(temporary, EXPORT_BACK_OFFICE_KEY), publicKeyPem(store.keys.signing));
      add(EXPORT_DEVICE_KEY, 'a copy of the device\'s Ed25519 public key: NOT a trust anchor (compare its fingerprint with the published one)');
      add(EXPORT_BACK_OFFICE_KEY, 'a copy of the back office\'s Ed25519 public key: NOT a trust anchor (compare its fingerprint with the published one)');
      const recordingSha256 = files[0]?.sha256 ?? '';
      store.audit.append([{
        at: options.at, action: 'exported', recordingId: id, actor: options.actor,
        details: { to: target, case: options.caseRef ?? null, plaintextSha256: recordingSha256 },
      }]);
      const excerpt = store.audit.entries().filter((entry) => entry.recordingId === id);
      writeFileSync(join(temporary, EXPORT_AUDIT), excerpt.map((entry) => `${auditLine(entry)}\n`).join(''));
      add(EXPORT_AUDIT, 'every audit log entry of this recording');
      writeFileSync(join(temporary, EXPORT_REPORT), exportReport({
        manifest, exportedAt: options.at, actor: options.actor, caseRef: options.caseRef ?? null, files, recordingFile: recording,
        deviceKey: { fingerprint: deviceKey.key.fingerprint, simulation: isSimulationDeviceKey(manifest.deviceId, deviceKey.key.fingerprint) },
        backOfficeKey: { fingerprint: store.keys.signing.fingerprint, simulation: store.keys.signing.origin === 'simulation' },
        audit: excerpt,
      }));
      add(EXPORT_REPORT, 'the human-readable report: NOT evidence by itself, a rendering of the signed files (verify rebuilds it and compares)');
      const body: ExportIndex = {
        format: 'bodycam-export/1', recordingId: id, exportedAt: options.at, actor: options.actor, case: options.caseRef ?? null,
        recording, manifest: `${id}.json`, original: manifest.file, encrypted, deviceKeyFingerprint: deviceKey.key.fingerprint,
        audit: { file: EXPORT_AUDIT, entries: excerpt.length, lastHash: excerpt[excerpt.length - 1]?.hash ?? '' },
        files,
      };
      const index: ExportIndex = { ...body, signature: signDocument(EXPORT_DOMAIN, body, store.keys.signing) };
      writeFileSync(join(temporary, EXPORT_INDEX), serializeExportIndex(index));
      if (existsSync(target)) rmSync(target, { recursive: true });
      renameSync(temporary, target);
      return index;
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  });
}
