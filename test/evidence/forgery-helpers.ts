/**
 * Helpers of the forgery tests: the genuine chain (a run signed with a real device key, a store
 * with generated keys, a package), and the forger's tools, built from the library functions the
 * CLI uses and the documented formats (docs/evidence.md).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  AUDIT_HEAD_DOMAIN, type AuditEntry, EXPORT_DOMAIN, EvidenceStore, type KeyPair, auditLine, exportRecording, exportReport, generateKeyPair, hashFileSync, holdRecording, isSimulationDeviceKey, loadPublicKeyFile, offloadDevice, privateKeyPem, publicKeyPem, sealAuditEntry, serializeExportIndex, serializeSignedJson, sha256Text, signDocument, signManifest, viewRecording,
} from '../../src/evidence/index.js';
import { type RecordingManifest, serializeManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import { type CliResult, type DeviceRun, ACTOR, FIXTURE_DIR, copyRun, recordDevice } from './helpers.js';

export const DEVICE = 'DRD-BC-0001';

/** The real keys of the genuine chain, and an anchors folder made from them (outside every store and package). */
export interface RealChain {
  readonly work: string;
  readonly deviceKeyFile: string;
  readonly run: DeviceRun;
  readonly anchors: string;
}

/** Records the two runs every forgery starts from: one signed with a real device key, one with simulation keys. */
export async function recordChains(): Promise<{ real: RealChain; simulated: DeviceRun }> {
  const work = tempDir('forgery');
  const device = generateKeyPair('ed25519', 'device');
  const deviceKeyFile = join(work, `${DEVICE}.key.pem`);
  writeFileSync(deviceKeyFile, privateKeyPem(device));
  writeFileSync(join(work, `${DEVICE}.pub.pem`), publicKeyPem(device));
  const run = await recordDevice({ deviceKeyFile });
  const simulated = await recordDevice();
  const real: RealChain = { work, deviceKeyFile, run, anchors: join(work, 'anchors') };
  mkdirSync(real.anchors);
  copyFileSync(join(work, `${DEVICE}.pub.pem`), join(real.anchors, `${DEVICE}.pub.pem`));
  return { real, simulated };
}

/** A store with generated keys, the real device registered, its recording offloaded. */
export function realStore(real: RealChain): EvidenceStore {
  const store = EvidenceStore.init(join(tempDir('forgery-store'), 'store'), { generateKeys: true });
  store.registerDevice(DEVICE, loadPublicKeyFile(join(real.work, `${DEVICE}.pub.pem`), 'ed25519'), { at: '2026-01-01T00:00:00Z', actor: ACTOR });
  offloadDevice(store, copyRun(real.run).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock-1' });
  return store;
}

/** An anchors folder with the real device key and the back office's key of `store`. */
export function anchorsFor(real: RealChain, store: EvidenceStore): string {
  const dir = tempDir('anchors');
  copyFileSync(join(real.anchors, `${DEVICE}.pub.pem`), join(dir, `${DEVICE}.pub.pem`));
  copyFileSync(join(store.dir, 'keys', 'back-office.ed25519.pub.pem'), join(dir, 'back-office.pub.pem'));
  return dir;
}

/** A genuine package: viewed, held, exported. */
export function genuinePackage(real: RealChain, store: EvidenceStore): string {
  const id = real.run.manifest.id;
  viewRecording(store, id, join(tempDir('view'), 'look.mkv'), { at: '2026-01-02T09:00:00Z', actor: 'inspector' });
  holdRecording(store, id, { reason: 'complaint', caseRef: 'K-1' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
  const dir = join(tempDir('package'), 'pkg');
  exportRecording(store, id, dir, { at: '2026-01-03T10:00:00Z', actor: 'clerk', caseRef: 'K-1' });
  return dir;
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
export const excerptOf = (dir: string): AuditEntry[] => readFileSync(join(dir, 'audit-excerpt.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);

/** Re-links an excerpt (or a whole log) after entries were dropped, as a forger with the format in hand would. */
export function relink(entries: readonly AuditEntry[], whole: boolean): AuditEntry[] {
  const out: AuditEntry[] = [];
  const lastOf = new Map<string, string>();
  for (const [i, e] of entries.entries()) {
    const position = whole
      ? { seq: i, prev: out[i - 1]?.hash ?? '0'.repeat(64), recordingPrev: e.recordingId === null ? null : (lastOf.get(e.recordingId) ?? null) }
      : { seq: e.seq, prev: e.prev, recordingPrev: e.recordingId === null ? null : (lastOf.get(e.recordingId) ?? null) };
    const sealed = sealAuditEntry({ at: e.at, action: e.action, recordingId: e.recordingId, actor: e.actor, details: e.details }, position, sha256Text);
    if (sealed.recordingId !== null) lastOf.set(sealed.recordingId, sealed.hash);
    out.push(sealed);
  }
  return out;
}

/**
 * The forger's re-signing of a package: every listed file re-hashed, the excerpt's head updated,
 * export.json signed with `backOffice` whose public key replaces back-office-public-key.pem.
 */
export function resignPackage(dir: string, backOffice: KeyPair, options: { deviceKey?: KeyPair; rebuildReport?: boolean } = {}): void {
  if (options.deviceKey !== undefined) writeFileSync(join(dir, 'device-public-key.pem'), publicKeyPem(options.deviceKey));
  writeFileSync(join(dir, 'back-office-public-key.pem'), publicKeyPem(backOffice));
  const index = readJson<Record<string, unknown> & { files: { path: string; role: string; bytes: number; sha256: string }[] }>(join(dir, 'export.json'));
  const manifest = readJson<RecordingManifest>(join(dir, String(index.manifest)));
  // The excerpt is made to agree with the altered recording: the hashes it logs are rewritten and the chain re-linked.
  const playable = hashFileSync(join(dir, String(index.recording))).sha256;
  const excerpt = relink(excerptOf(dir).map((e) => ({
    ...e, details: Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, k === 'sha256' ? manifest.sha256 : k === 'plaintextSha256' ? playable : v])),
  })), false);
  writeFileSync(join(dir, 'audit-excerpt.jsonl'), excerpt.map((e) => `${auditLine(e)}\n`).join(''));
  const hashed = (path: string): { path: string; bytes: number; sha256: string } => ({ path, ...hashFileSync(join(dir, path)) });
  let files = index.files.map((f) => ({ ...f, ...hashed(f.path) }));
  if (options.rebuildReport === true) {
    const before = files.filter((f) => f.path !== 'REPORT.md');
    writeFileSync(join(dir, 'REPORT.md'), exportReport({
      manifest, exportedAt: String(index.exportedAt), actor: String(index.actor), caseRef: (index.case as string | null) ?? null, files: before,
      recordingFile: String(index.recording), audit: excerpt,
      deviceKey: { fingerprint: manifest.signature?.keyFingerprint ?? '', simulation: isSimulationDeviceKey(manifest.deviceId, manifest.signature?.keyFingerprint ?? '') },
      backOfficeKey: { fingerprint: backOffice.fingerprint, simulation: backOffice.origin === 'simulation' },
    }));
    files = index.files.map((f) => ({ ...f, ...hashed(f.path) }));
  }
  const { signature: _old, ...body } = index;
  const newBody = {
    ...body, files, deviceKeyFingerprint: manifest.signature?.keyFingerprint,
    audit: { file: 'audit-excerpt.jsonl', entries: excerpt.length, lastHash: excerpt[excerpt.length - 1]?.hash ?? '' },
  };
  writeFileSync(join(dir, 'export.json'), serializeExportIndex({ ...newBody, signature: signDocument(EXPORT_DOMAIN, newBody, backOffice) } as never));
}

/** Changes the recording (plain) and re-signs its manifest with `key`. */
export function alterRecording(real: RealChain, dir: string, key: KeyPair): void {
  const id = real.run.manifest.id;
  const file = join(dir, `${id}.mkv`);
  const bytes = readFileSync(file);
  bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  const manifest = readJson<RecordingManifest>(join(dir, `${id}.json`));
  writeFileSync(join(dir, `${id}.json`), serializeManifest(signManifest({ ...manifest, ...hashFileSync(file) }, key)));
}

export function expectFails(result: CliResult, subject: string, check: string, detail?: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  const line = result.stdout.split('\n').find((l) => l.startsWith(`FAIL  ${subject}  ${check}: `));
  expect(line, `no FAIL line for ${subject} ${check} in\n${result.stdout}`).toBeDefined();
  if (detail !== undefined) expect(line).toMatch(detail);
  expect(result.stderr).toContain(`${subject} (${check})`);
}

/** Without anchors: never a bare "all checks passed"; every passing line says integrity only. */
export function expectIntegrityOnly(result: CliResult): void {
  expect(result.stdout).not.toMatch(/all \d+ checks passed/);
  const lines = result.stdout.split('\n').filter((l) => /^\S+ {2}\S/.test(l) && !l.startsWith('Verifying') && !l.startsWith('note') && !l.startsWith('Result'));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line, line).toMatch(/^(FAIL|intact)  /);
  expect(result.stdout).toMatch(/Result: .*integrity only/);
}

/** The fixture's own scenario with another clock start. */
export function withClock(start: string): Record<string, unknown> {
  return { ...readJson<Record<string, unknown>>(join(FIXTURE_DIR, 'scenario.json')), clock: { start } };
}

/** Drops the `held` entry, rebuilds the whole chain and re-signs the head with `key`. */
export function dropHeld(store: EvidenceStore, key: KeyPair): void {
  const lines = readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
  const rebuilt = relink(lines.filter((e) => e.action !== 'held'), true);
  writeFileSync(store.audit.file, rebuilt.map((e) => `${auditLine(e)}\n`).join(''));
  const body = { format: 'bodycam-audit-head/1', entries: rebuilt.length, lastHash: rebuilt[rebuilt.length - 1]?.hash ?? '0'.repeat(64) };
  writeFileSync(store.audit.headFile, serializeSignedJson({ ...body, signature: signDocument(AUDIT_HEAD_DOMAIN, body, key) }));
}
