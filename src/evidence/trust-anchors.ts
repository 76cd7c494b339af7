/**
 * Trust anchors for `bodycam verify --trusted-keys K` (contract §11; docs/evidence.md, "Trust
 * model"): public keys the verifier got from outside what it verifies (a published fingerprint, a
 * key handed over with the device, the back office's published key), never from the store or the
 * package itself. K is a folder of `<deviceId>.pub.pem` files and `back-office.pub.pem` (like
 * git's allowed-signers file: which key may sign for which identity), or one PEM file, trusted
 * for every role. A simulation key is refused as an anchor: anyone can sign with it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { type PublicKeyInfo, isSimulationDeviceKey, loadPublicKeyFile, simulationBackOfficeKeys } from './keys.js';

/** An anchored key and the file it came from (for messages). */
export interface AnchorKey {
  readonly key: PublicKeyInfo;
  readonly source: string;
}

/** The anchors a verification runs against. */
export interface TrustAnchors {
  /** The path given, as shown in reports. */
  readonly path: string;
  /** Device keys by device id. */
  readonly devices: ReadonlyMap<string, AnchorKey>;
  /** The back office's Ed25519 signing key (`back-office.pub.pem`). */
  readonly backOffice: AnchorKey | null;
  /** One PEM file given: it anchors every role. */
  readonly any: AnchorKey | null;
}

/** The back office's anchor file name in an anchors folder. */
export const BACK_OFFICE_ANCHOR = 'back-office.pub.pem';

const simulationBackOffice = (): string => simulationBackOfficeKeys().signing.fingerprint;

function refuseSimulation(file: string, key: PublicKeyInfo, deviceId: string | null): void {
  const simulation = key.fingerprint === simulationBackOffice() || (deviceId !== null && isSimulationDeviceKey(deviceId, key.fingerprint));
  if (simulation) {
    throw BodycamError.badInput({ file }, 'a trust anchor (a real public key from outside what is verified)',
      `a simulation key (NOT secret: anyone can sign with it, so it anchors nothing; verify without --trusted-keys checks integrity only)`);
  }
}

/** Loads the anchors at `path` (a folder or one PEM file); bad input (exit 2) when there are none or one is a simulation key. */
export function loadTrustAnchors(path: string): TrustAnchors {
  const root = resolve(path);
  const expected = `a folder of <deviceId>.pub.pem and ${BACK_OFFICE_ANCHOR} files, or one PEM public key`;
  if (!existsSync(root)) throw BodycamError.badInput({ file: root }, expected, 'nothing at that path');
  if (!statSync(root).isDirectory()) {
    const key = loadPublicKeyFile(root, 'ed25519');
    refuseSimulation(root, key, null);
    return { path: root, devices: new Map(), backOffice: null, any: { key, source: basename(root) } };
  }
  const devices = new Map<string, AnchorKey>();
  let backOffice: AnchorKey | null = null;
  for (const name of readdirSync(root).filter((n) => n.endsWith('.pub.pem')).sort()) {
    const file = join(root, name);
    const source = `${basename(root)}/${name}`;
    if (name === BACK_OFFICE_ANCHOR) {
      const key = loadPublicKeyFile(file, 'ed25519');
      refuseSimulation(file, key, null);
      backOffice = { key, source };
      continue;
    }
    // A store's keys/ folder also holds back-office.x25519.pub.pem: not a signing key, not an anchor.
    if (name.startsWith('back-office.')) continue;
    const deviceId = name.slice(0, -'.pub.pem'.length);
    const key = loadPublicKeyFile(file, 'ed25519');
    refuseSimulation(file, key, deviceId);
    devices.set(deviceId, { key, source });
  }
  if (devices.size === 0 && backOffice === null) throw BodycamError.badInput({ file: root }, expected, 'no such files');
  return { path: root, devices, backOffice, any: null };
}

/** The anchor of `deviceId`'s key, or null. */
export function deviceAnchor(anchors: TrustAnchors, deviceId: string): AnchorKey | null {
  return anchors.devices.get(deviceId) ?? anchors.any;
}

/** The back office's anchor, or null. */
export function backOfficeAnchor(anchors: TrustAnchors): AnchorKey | null {
  return anchors.backOffice ?? anchors.any;
}

/**
 * How a signer is named in every report: simulation keys always as such.
 * @param deviceId the device the signature claims to be from (null: a back-office signature)
 */
export function signerName(key: PublicKeyInfo, deviceId: string | null): string {
  if (deviceId !== null && isSimulationDeviceKey(deviceId, key.fingerprint)) return `the SIMULATION key of ${deviceId} (NOT secret)`;
  if (key.fingerprint === simulationBackOffice()) return 'the SIMULATION back-office key (NOT secret)';
  return `key ${key.fingerprint.slice(0, 16)}…`;
}

/** True when `key` is a simulation key (of `deviceId`, or the simulation back office). */
export function isSimulationSigner(key: PublicKeyInfo, deviceId: string | null): boolean {
  return key.fingerprint === simulationBackOffice() || (deviceId !== null && isSimulationDeviceKey(deviceId, key.fingerprint));
}

/**
 * Checks a back-office signature's key against the anchors: null when it holds, else the problem.
 * @param what the document, for the message (`export.json`, `the audit head`)
 */
export function backOfficeKeyProblem(key: PublicKeyInfo, anchors: TrustAnchors): string | null {
  if (isSimulationSigner(key, null)) return `signed with ${signerName(key, null)}: anyone can sign with it, so it never passes against trust anchors`;
  const anchor = backOfficeAnchor(anchors);
  if (anchor === null) return `no back-office trust anchor in ${anchors.path} (${BACK_OFFICE_ANCHOR}): this signature by ${signerName(key, null)} chains to nothing`;
  return anchor.key.fingerprint === key.fingerprint ? null
    : `signed with ${signerName(key, null)}, which is not a trust anchor (the anchored back-office key is ${anchor.key.fingerprint.slice(0, 16)}…, ${anchor.source})`;
}
