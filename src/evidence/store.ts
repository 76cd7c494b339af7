/**
 * The back-office store: a folder (docs/evidence.md, "Store layout"). No database: the audit log
 * is the one source of truth for what happened (holds, releases, purges are replayed from it),
 * and the few questions asked (which recordings, which holds, which are past retention) are
 * answered by reading a few hundred small files.
 *
 * ```
 * STORE/store.json                         format, retentionDays, keys ("simulation" | "files")
 * STORE/keys/back-office.{x25519,ed25519}.pub.pem   (and .key.pem, mode 600, when keys = files)
 * STORE/devices/<deviceId>.pub.pem        registered device keys
 * STORE/recordings/<id>/<id>.json, <id>.mkv or <id>.mkv.enc   as the device wrote them
 * STORE/incoming/<id>/                     an offload in progress (resumed from here)
 * STORE/audit.jsonl, STORE/audit-head.json
 * ```
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BodycamError, assertArgument } from '../errors/index.js';
import { writeFileAtomic } from '../recorder/index.js';
import { AuditLog } from './audit-log.js';
import {
  type BackOfficeKeys, type KeyAlgorithm, type PublicKeyInfo, generateKeyPair, loadPrivateKeyFile, loadPublicKeyFile,
  privateKeyPem, publicKeyPem, simulationBackOfficeKeys,
} from './keys.js';
import { type ManifestRead, SAFE_NAME, readManifestFile } from './manifest-file.js';
import { DEFAULT_RETENTION_DAYS } from './retention.js';

/** `store.json`. */
export interface StoreConfig {
  readonly format: 'bodycam-store/1';
  readonly retentionDays: number;
  /** `simulation`: the public simulation back-office keys; `files`: keys/*.key.pem. */
  readonly keys: 'simulation' | 'files';
}

/** Who does an action, and when (ISO-8601 with an offset). */
export interface ActionContext {
  readonly at: string;
  readonly actor: string;
}

/** Options of {@link EvidenceStore.init}. */
export interface StoreInitOptions {
  readonly retentionDays?: number;
  /** Generate real (random) back-office keys instead of using the simulation keys. */
  readonly generateKeys?: boolean;
}

const keyFile = (algorithm: KeyAlgorithm, kind: 'key' | 'pub'): string => `back-office.${algorithm}.${kind}.pem`;

/** Options of {@link EvidenceStore.open}. */
export interface StoreOpenOptions {
  /** Open with the public keys only (to verify a store without its private keys); nothing can be changed. */
  readonly readOnly?: boolean;
}

/** An opened store. */
export class EvidenceStore {
  readonly audit: AuditLog;
  /** Fingerprint of the back office's signing key (the audit head must carry it). */
  readonly signingFingerprint: string;

  private constructor(readonly dir: string, readonly config: StoreConfig, private readonly privateKeys: BackOfficeKeys | null, signingFingerprint: string) {
    this.signingFingerprint = signingFingerprint;
    this.audit = new AuditLog(dir, privateKeys?.signing ?? null, signingFingerprint);
  }

  /** The back office's key pairs; a store opened read-only has none. */
  get keys(): BackOfficeKeys {
    if (this.privateKeys === null) throw BodycamError.usage(`${this.dir} was opened read-only, without the back office's private keys`);
    return this.privateKeys;
  }

  /** Creates a store in `dir` (which must not hold one). */
  static init(dir: string, options: StoreInitOptions = {}): EvidenceStore {
    const root = resolve(dir);
    const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    assertArgument(Number.isSafeInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 36_500, 'retentionDays', 'a whole number of days from 1 to 36500', retentionDays);
    if (existsSync(join(root, 'store.json'))) throw BodycamError.usage(`${root} already holds a store (store.json)`);
    if (existsSync(root) && readdirSync(root).length > 0) throw BodycamError.usage(`${root} is not empty; expected a new or empty folder for the store`);
    for (const sub of ['keys', 'devices', 'recordings', 'incoming']) mkdirSync(join(root, sub), { recursive: true });
    const generate = options.generateKeys === true;
    const keys: BackOfficeKeys = generate
      ? { encryption: generateKeyPair('x25519', 'generated'), signing: generateKeyPair('ed25519', 'generated') }
      : simulationBackOfficeKeys();
    for (const pair of [keys.encryption, keys.signing]) {
      writeFileAtomic(join(root, 'keys', keyFile(pair.algorithm, 'pub')), publicKeyPem(pair));
      if (generate) {
        const path = join(root, 'keys', keyFile(pair.algorithm, 'key'));
        writeFileAtomic(path, privateKeyPem(pair));
        chmodSync(path, 0o600);
      }
    }
    const config: StoreConfig = { format: 'bodycam-store/1', retentionDays, keys: generate ? 'files' : 'simulation' };
    const store = new EvidenceStore(root, config, keys, keys.signing.fingerprint);
    store.audit.initialize();
    writeFileAtomic(join(root, 'store.json'), `${JSON.stringify(config, null, 2)}\n`);
    return store;
  }

  /** Opens the store in `dir`; a device's output folder is refused with an explanation. */
  static open(dir: string, options: StoreOpenOptions = {}): EvidenceStore {
    const root = resolve(dir);
    const configFile = join(root, 'store.json');
    if (!existsSync(configFile)) {
      if (existsSync(join(root, 'recordings')) && (existsSync(join(root, 'events.jsonl')) || existsSync(join(root, 'run.json')))) {
        throw BodycamError.badInput({ file: root }, 'a back-office store',
          'a device\'s output folder: the device can neither play nor delete its recordings; offload them first (bodycam evidence offload DEVICE_DIR --store STORE)');
      }
      throw BodycamError.badInput({ file: configFile }, 'a back-office store (create one with bodycam evidence init --store DIR)', 'no store.json');
    }
    let config: StoreConfig;
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as StoreConfig;
    } catch {
      throw BodycamError.badInput({ file: configFile }, 'JSON (bodycam-store/1)', 'unreadable JSON');
    }
    if (config.format !== 'bodycam-store/1' || !Number.isSafeInteger(config.retentionDays) || config.retentionDays < 1 || !['simulation', 'files'].includes(config.keys)) {
      throw BodycamError.badInput({ file: configFile }, 'format "bodycam-store/1", retentionDays (a whole number ≥ 1), keys "simulation" or "files"');
    }
    if (config.keys === 'simulation') {
      const keys = simulationBackOfficeKeys();
      return new EvidenceStore(root, config, options.readOnly === true ? null : keys, keys.signing.fingerprint);
    }
    if (options.readOnly === true) {
      return new EvidenceStore(root, config, null, loadPublicKeyFile(join(root, 'keys', keyFile('ed25519', 'pub')), 'ed25519').fingerprint);
    }
    const keys = {
      encryption: loadPrivateKeyFile(join(root, 'keys', keyFile('x25519', 'key')), 'x25519'),
      signing: loadPrivateKeyFile(join(root, 'keys', keyFile('ed25519', 'key')), 'ed25519'),
    };
    return new EvidenceStore(root, config, keys, keys.signing.fingerprint);
  }

  /** The key registered for `deviceId`, or null. */
  deviceKey(deviceId: string): { readonly key: PublicKeyInfo; readonly source: string } | null {
    if (!SAFE_NAME.test(deviceId)) return null;
    const path = join(this.dir, 'devices', `${deviceId}.pub.pem`);
    return existsSync(path) ? { key: loadPublicKeyFile(path, 'ed25519'), source: `devices/${deviceId}.pub.pem` } : null;
  }

  /** Registers a device's public key (refuses to replace a different one) and logs it. */
  registerDevice(deviceId: string, key: PublicKeyInfo, context: ActionContext): 'registered' | 'already-registered' {
    if (!SAFE_NAME.test(deviceId)) throw BodycamError.usage(`device id: expected letters, digits, ".", "_", "+" or "-", got ${JSON.stringify(deviceId)}`);
    const existing = this.deviceKey(deviceId);
    if (existing !== null) {
      if (existing.key.fingerprint === key.fingerprint) return 'already-registered';
      throw BodycamError.usage(`${deviceId} is already registered with key ${existing.key.fingerprint.slice(0, 16)}…; a store never replaces a device key`);
    }
    this.audit.append([{ at: context.at, action: 'device-registered', recordingId: null, actor: context.actor, details: { deviceId, keyFingerprint: key.fingerprint } }]);
    writeFileAtomic(join(this.dir, 'devices', `${deviceId}.pub.pem`), publicKeyPem(key));
    return 'registered';
  }

  /** Folder of a stored recording. */
  recordingDir(id: string): string {
    if (!SAFE_NAME.test(id)) throw BodycamError.usage(`recording id: expected a recording id such as DRD-BC-0001_20260101T000001Z, got ${JSON.stringify(id)}`);
    return join(this.dir, 'recordings', id);
  }

  /** Ids of the recordings held now, sorted. */
  recordingIds(): string[] {
    const dir = join(this.dir, 'recordings');
    return existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
  }

  /** The manifest of a stored recording (null when the store does not hold it). */
  storedManifest(id: string): (ManifestRead & { readonly path: string }) | null {
    const dir = this.recordingDir(id);
    if (!existsSync(dir)) return null;
    const path = join(dir, `${id}.json`);
    return { ...readManifestFile(path), path };
  }

  /** Runs `action` holding the store's lock (one mutating command at a time). */
  withLock<T>(action: () => T): T {
    const lock = join(this.dir, '.lock');
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      throw BodycamError.runtime(`the store is locked by another command (${lock}); if no other bodycam command is running, remove that file`);
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return action();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
