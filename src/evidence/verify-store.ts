/** `bodycam verify STORE`: the audit chain and its signed head, the key registry, every stored recording. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AUDIT_FILE, AUDIT_HEAD_FILE } from './audit-log.js';
import { loadPublicKeyFile } from './keys.js';
import { type KeyTrust, type VerifyCheck, checkRecording } from './recording-checks.js';
import { EvidenceStore } from './store.js';
import { type TrustAnchors, backOfficeAnchor, backOfficeKeyProblem, signerName } from './trust-anchors.js';
import { witnessChecks } from './witness-log.js';
import { type VerifyReport, verifyReport } from './verify-report.js';

/**
 * Verifies a back-office store. With anchors the audit head must be signed by the anchored
 * back-office key (not by whatever key lies in the store's keys/ folder), and the registered
 * device keys chain to that anchor through the signed log that registered them (or must equal a
 * device anchor, where one is given). With a witness log, the store's history must still hold
 * every head witnessed outside the store.
 */
export function verifyStore(dir: string, anchors: TrustAnchors | null, witness: string | null): VerifyReport {
  const store = EvidenceStore.open(dir, { readOnly: true });
  const checks: VerifyCheck[] = [];
  const notes: string[] = [];
  const audit = store.audit.read();
  checks.push({
    subject: AUDIT_FILE, check: 'chain', ok: audit.problem === null,
    detail: audit.problem?.message ?? `${audit.entries.length} entries, every hash and link intact`,
  });
  const signer = audit.headSigner;
  const anchorProblem = anchors === null || signer === null ? null : backOfficeKeyProblem(signer, anchors);
  const headProblem = audit.headProblem ?? anchorProblem;
  const by = signer === null ? '' : signerName(signer, null);
  checks.push({
    subject: AUDIT_HEAD_FILE, check: 'head', ok: headProblem === null,
    detail: headProblem ?? (anchors === null
      ? `integrity only: signed over all ${audit.entries.length} entries by ${by}, the key in the store's own keys/ folder (not checked against a trust anchor)`
      : `signed over all ${audit.entries.length} entries by ${by}, the anchored back-office key`),
  });
  // Witness lines must be signed by the anchored back office (without anchors: by the key the store's own keys/ folder holds).
  const witnessSigner = anchors === null ? store.signingFingerprint : (backOfficeAnchor(anchors)?.key.fingerprint ?? store.signingFingerprint);
  if (witness !== null) checks.push(...witnessChecks(resolve(witness), audit.entries, witnessSigner, AUDIT_FILE));
  const entries = audit.entries;
  const devicesDir = join(store.dir, 'devices');
  for (const name of existsSync(devicesDir) ? readdirSync(devicesDir).filter((n) => n.endsWith('.pub.pem')).sort() : []) {
    const deviceId = name.slice(0, -'.pub.pem'.length);
    let fingerprint = '';
    try {
      fingerprint = loadPublicKeyFile(join(devicesDir, name), 'ed25519').fingerprint;
    } catch {
      fingerprint = 'unreadable';
    }
    const logged = entries.some((e) => e.action === 'device-registered' && e.details.deviceId === deviceId && e.details.keyFingerprint === fingerprint);
    checks.push({
      subject: `devices/${name}`, check: 'registration', ok: logged,
      detail: logged ? `key ${fingerprint.slice(0, 16)}… registered in the audit log` : 'this key is not the one the audit log registered for the device: the registry was altered',
    });
  }
  // With anchors, a registered key chains to the anchored back office through the log that registered it
  // (checked above: the registration check and the anchored head); a device anchor, where given, must match as well.
  const trust: KeyTrust = anchors === null ? { kind: 'registry', lookup: (deviceId) => store.deviceKey(deviceId) } : {
    kind: 'registry', anchored: true,
    lookup: (deviceId) => {
      const registered = store.deviceKey(deviceId);
      const anchored = anchors.devices.get(deviceId) ?? null;
      if (anchored !== null) return registered !== null && registered.key.fingerprint !== anchored.key.fingerprint ? { key: anchored.key, source: `${anchored.source}; the store registered ${registered.key.fingerprint.slice(0, 16)}…` } : anchored;
      return registered === null ? null : { key: registered.key, source: `${registered.source}, registered in the audit log under the anchored head` };
    },
  };
  const show = (path: string): string => relative(store.dir, path);
  const present = new Set(store.recordingIds());
  for (const id of present) {
    const result = checkRecording(join(store.recordingDir(id), `${id}.json`), trust, show);
    checks.push(...result.checks);
    const ofThis = entries.filter((e) => e.recordingId === id);
    const offloaded = ofThis.find((e) => e.action === 'offloaded');
    const purged = ofThis.find((e) => e.action === 'purged');
    let problem: string | null = null;
    if (purged !== undefined) problem = `the audit log says it was purged on ${purged.at}, but it is still here`;
    else if (offloaded === undefined) problem = 'the audit log has no offload of this recording: it entered the store outside the chain of custody';
    else if (result.manifest !== null && offloaded.details.sha256 !== result.manifest.sha256) problem = 'the manifest\'s SHA-256 differs from the one logged at offload';
    checks.push({ subject: `recordings/${id}/`, check: 'custody', ok: problem === null, detail: problem ?? `offloaded ${offloaded?.at ?? ''}, SHA-256 as logged` });
  }
  const logged = new Set(entries.filter((e) => e.action === 'offloaded' && e.recordingId !== null).map((e) => e.recordingId as string));
  for (const id of [...logged].sort()) {
    if (present.has(id)) continue;
    const purged = entries.some((e) => e.recordingId === id && e.action === 'purged');
    if (!purged) checks.push({ subject: `recordings/${id}/`, check: 'custody', ok: false, detail: 'missing from the store, and the audit log has no purge of it: it was deleted outside the chain of custody' });
  }
  const incoming = join(store.dir, 'incoming');
  const pending = existsSync(incoming) ? readdirSync(incoming) : [];
  if (pending.length > 0) notes.push(`incoming/ holds ${pending.length} interrupted offload(s): ${pending.join(', ')} (run the offload again to resume)`);
  if (store.config.keys === 'simulation') notes.push('this store uses the simulation back-office keys (NOT secret): its signatures prove integrity, not origin');
  else if (anchors === null) notes.push(`the back office's signing key ${store.signingFingerprint.slice(0, 16)}… was read from the store's keys/ folder: pass --trusted-keys with the published key to check origin`);
  if (witness === null) notes.push('no --witness given: a history rewritten by someone holding the back office\'s key would not show');
  return verifyReport(store.dir, 'store', checks, notes, anchors?.path ?? null);
}
