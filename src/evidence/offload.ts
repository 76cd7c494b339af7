/**
 * Offload from a docked device into the store. For each recording on the device:
 *
 * 1. the manifest must be signed by the key registered for the device;
 * 2. the file is copied into `incoming/<id>/` — resuming after an interruption from the bytes
 *    already copied — and its SHA-256 and size must match the manifest (else the copy is dropped);
 * 3. an encrypted file is decrypted (in passing, nothing written) with the back office's key:
 *    every chunk must authenticate and the plaintext length match the manifest;
 * 4. the folder moves into `recordings/<id>/` and the audit log gets `recorded` and `offloaded`;
 * 5. only then does the device free the space (its file and manifest are deleted).
 *
 * Running it again is safe: what is already in the store is checked and freed on the device.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RECORDING_FILE_NAME } from './encrypted-format.js';
import { BodycamError } from '../errors/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import type { AuditEntry, AuditEntryFields } from './audit-chain.js';
import { decryptRecordingFile } from './decrypt-file.js';
import { hashFileSync } from './file-hash.js';
import { readManifestFile } from './manifest-file.js';
import { deviceClockProblem } from './retention.js';
import { checkRecording } from './recording-checks.js';
import type { ActionContext, EvidenceStore } from './store.js';

/** Options of {@link offloadDevice}. */
export interface OffloadOptions extends ActionContext {
  /** Leave the device's copies in place (default: free the space once the store holds them). */
  readonly keepOnDevice?: boolean;
  /** Bytes copied per block (default 1 MiB). */
  readonly copyBlockBytes?: number;
  /** Called after every block copied with the bytes of the file copied so far (tests interrupt here). */
  readonly afterCopyBlock?: (copiedBytes: number, file: string) => void;
}

/** What happened to one recording. */
export interface OffloadItem {
  readonly id: string;
  readonly status: 'offloaded' | 'already-in-store' | 'failed';
  readonly detail: string;
  /** Whether the device's copy was deleted. */
  readonly deviceCopy: 'freed' | 'kept';
  /** Bytes that were already in `incoming/` from an interrupted offload. */
  readonly resumedFromBytes: number;
}

/** The recordings folder of a device's output folder (DIR/recordings, or DIR itself). */
export function deviceRecordingsDir(deviceDir: string): string {
  const root = resolve(deviceDir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw BodycamError.badInput({ file: root }, 'a device\'s output folder (holding recordings/)', 'no such folder');
  const nested = join(root, 'recordings');
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : root;
}

/** Offloads every recording of a device; see the module comment. */
export function offloadDevice(store: EvidenceStore, deviceDir: string, options: OffloadOptions): OffloadItem[] {
  const dir = deviceRecordingsDir(deviceDir);
  const names = readdirSync(dir).sort();
  const stem = (name: string): string => name.replace(RECORDING_FILE_NAME, '').replace(/\.json$/, '');
  const recordings = new Set(names.filter((name) => RECORDING_FILE_NAME.test(name)).map(stem));
  // A manifest that no longer reads, beside its recording, is offered too (and fails, staying on the device).
  const manifests = names.filter((name) => name.endsWith('.json') && (readManifestFile(join(dir, name)).ok || recordings.has(stem(name))));
  return store.withLock(() => manifests.map((name) => offloadOne(store, dir, name, options)));
}

function failed(id: string, detail: string, resumedFromBytes = 0): OffloadItem {
  return { id, status: 'failed', detail, deviceCopy: 'kept', resumedFromBytes };
}

function offloadOne(store: EvidenceStore, dir: string, manifestName: string, options: OffloadOptions): OffloadItem {
  const manifestPath = join(dir, manifestName);
  const checks = checkRecording(manifestPath, { kind: 'registry', lookup: (deviceId) => store.deviceKey(deviceId) }, (path) => basename(path));
  const manifest = checks.manifest;
  if (manifest === null || checks.manifestText === null) return failed(manifestName, checks.checks[0]?.detail ?? 'unreadable manifest');
  // The file itself is checked after the copy; the manifest and its key must hold before anything moves.
  const identity = checks.checks.filter((check) => ['manifest', 'signature', 'key'].includes(check.check) && !check.ok);
  if (identity.length > 0) return failed(manifest.id, identity.map((check) => `${check.check}: ${check.detail}`).join('; '));
  const entries = store.audit.entries();
  const stored = store.storedManifest(manifest.id);
  const ofThis = entries.filter((entry) => entry.recordingId === manifest.id);
  if (stored !== null || ofThis.some((entry) => entry.action === 'purged')) return alreadyInStore(store, dir, manifest, checks.manifestText, ofThis, options);

  const staging = join(store.dir, 'incoming', manifest.id);
  mkdirSync(staging, { recursive: true });
  const part = join(staging, `${manifest.file}.part`);
  const resumedFromBytes = existsSync(part) && statSync(part).size <= manifest.bytes ? statSync(part).size : 0;
  copyResuming(join(dir, manifest.file), part, resumedFromBytes, options);
  const copy = hashFileSync(part);
  if (copy.sha256 !== manifest.sha256 || copy.bytes !== manifest.bytes) {
    rmSync(part, { force: true });
    return failed(manifest.id, `the copy (${copy.bytes} bytes, SHA-256 ${copy.sha256.slice(0, 16)}…) does not match the manifest `
      + `(${manifest.bytes} bytes, ${manifest.sha256.slice(0, 16)}…): the device's file was altered or the copy was damaged; it stays on the device`, resumedFromBytes);
  }
  let plaintext = { sha256: copy.sha256, bytes: copy.bytes };
  if (manifest.encryption !== undefined) {
    const problem = checkDecryption(store, part, manifest);
    if (typeof problem === 'string') {
      rmSync(part, { force: true });
      return failed(manifest.id, problem, resumedFromBytes);
    }
    plaintext = problem;
  }
  writeFileSync(join(staging, `${manifest.id}.json`), checks.manifestText);
  renameSync(part, join(staging, manifest.file));
  mkdirSync(join(store.dir, 'recordings'), { recursive: true });
  renameSync(staging, store.recordingDir(manifest.id));
  const freed = options.keepOnDevice !== true;
  const clock = deviceClockProblem(manifest.wallClock.end, options.at, store.config.retentionDays);
  const fields: AuditEntryFields[] = [];
  if (!ofThis.some((entry) => entry.action === 'recorded')) fields.push(recordedEntry(manifest));
  fields.push({
    at: options.at, action: 'offloaded', recordingId: manifest.id, actor: options.actor,
    details: {
      from: dir, file: manifest.file, bytes: manifest.bytes, sha256: manifest.sha256, plaintextSha256: plaintext.sha256,
      plaintextBytes: plaintext.bytes, encrypted: manifest.encryption !== undefined, resumedFromBytes, deviceCopy: freed ? 'freed' : 'kept',
      deviceClock: clock?.kind ?? 'plausible',
      // A file `bodycam repair` rebuilt: the log keeps which cut-off original it came from.
      ...(manifest.repairedFrom === undefined ? {} : {
        repaired: true, repairedFromId: manifest.repairedFrom.id ?? null, repairedFromFile: manifest.repairedFrom.file,
        repairedFromBytes: manifest.repairedFrom.bytes, repairedFromSha256: manifest.repairedFrom.sha256,
      }),
    },
  });
  store.audit.append(fields);
  if (freed) freeDeviceCopy(dir, manifest, manifestName);
  const copied = resumedFromBytes > 0 ? `resumed at byte ${resumedFromBytes}` : 'copied';
  return { id: manifest.id, status: 'offloaded', detail: clock === null ? copied : `${copied}; WARNING: ${clock.message}`, deviceCopy: freed ? 'freed' : 'kept', resumedFromBytes };
}

/** The `recorded` entry: what the device signed, at the recording's wall-clock start. */
function recordedEntry(manifest: RecordingManifest): AuditEntryFields {
  return {
    at: manifest.wallClock.start, action: 'recorded', recordingId: manifest.id, actor: `device:${manifest.deviceId}`,
    details: {
      deviceId: manifest.deviceId, officerId: manifest.officerId, file: manifest.file, bytes: manifest.bytes, sha256: manifest.sha256,
      complete: manifest.complete, start: manifest.wallClock.start, end: manifest.wallClock.end,
      keyFingerprint: manifest.signature?.keyFingerprint ?? null, encrypted: manifest.encryption !== undefined,
    },
  };
}

/** Decrypts in passing; returns the plaintext's hash and size, or the problem. */
function checkDecryption(store: EvidenceStore, file: string, manifest: RecordingManifest): { sha256: string; bytes: number } | string {
  const info = manifest.encryption;
  if (info === undefined) return 'no encryption block';
  try {
    const result = decryptRecordingFile(file, { backOffice: store.keys }, null);
    if (manifest.complete && result.ending !== 'final') return `the encrypted file does not end with its final chunk (${result.ending}) although the manifest says it is complete`;
    if (result.plaintextBytes !== info.plaintextBytes) return `decrypts to ${result.plaintextBytes} bytes, the manifest says ${info.plaintextBytes}`;
    return { sha256: result.plaintextSha256, bytes: result.plaintextBytes };
  } catch (error) {
    return `cannot decrypt it: ${(error as Error).message}`;
  }
}

/** The store already holds (or held, and purged) this recording: check it is the same, then free the device. */
function alreadyInStore(
  store: EvidenceStore, dir: string, manifest: RecordingManifest, manifestText: string, ofThis: readonly AuditEntry[], options: OffloadOptions,
): OffloadItem {
  const offloaded = ofThis.find((entry) => entry.action === 'offloaded');
  // The reference is what was logged at the first offload, never the store's copy alone: a store
  // copy swapped together with the device's would agree with it.
  const logged = offloaded ?? ofThis.find((entry) => entry.action === 'recorded');
  if (logged !== undefined && (logged.details.sha256 !== manifest.sha256 || logged.details.bytes !== manifest.bytes)) {
    return failed(manifest.id, `the device's recording is not the one logged at the first offload (seq ${logged.seq}: SHA-256 ${String(logged.details.sha256).slice(0, 16)}…); the device keeps its copy`);
  }
  const stored = store.storedManifest(manifest.id);
  if (stored !== null && (!stored.ok || stored.text !== manifestText)) {
    return failed(manifest.id, 'the store holds a different recording with this id; the device keeps its copy');
  }
  if (stored !== null) {
    const file = hashFileSync(join(store.recordingDir(manifest.id), manifest.file));
    if (file.sha256 !== manifest.sha256) return failed(manifest.id, 'the store\'s copy does not match the manifest (run bodycam verify on the store); the device keeps its copy');
    if (offloaded === undefined) {
      // Interrupted between the move into recordings/ and the audit entry: log it now.
      const fields: AuditEntryFields[] = ofThis.some((entry) => entry.action === 'recorded') ? [] : [recordedEntry(manifest)];
      fields.push({
        at: options.at, action: 'offloaded', recordingId: manifest.id, actor: options.actor,
        details: { from: dir, file: manifest.file, bytes: manifest.bytes, sha256: manifest.sha256, resumedFromBytes: 0, deviceCopy: options.keepOnDevice === true ? 'kept' : 'freed', completedAfterInterruption: true },
      });
      store.audit.append(fields);
    }
  } else if (offloaded?.details.sha256 !== manifest.sha256) {
    return failed(manifest.id, 'the store logged a different recording with this id; the device keeps its copy');
  }
  if (options.keepOnDevice === true) return { id: manifest.id, status: 'already-in-store', detail: 'already in the store', deviceCopy: 'kept', resumedFromBytes: 0 };
  freeDeviceCopy(dir, manifest, `${manifest.id}.json`);
  return { id: manifest.id, status: 'already-in-store', detail: 'already in the store; the device copy was freed', deviceCopy: 'freed', resumedFromBytes: 0 };
}

function freeDeviceCopy(dir: string, manifest: RecordingManifest, manifestName: string): void {
  rmSync(join(dir, manifest.file), { force: true });
  rmSync(join(dir, manifestName), { force: true });
}

/** Appends `from` to `to` starting at byte `start` of both (the bytes before are already there). */
function copyResuming(from: string, to: string, start: number, options: OffloadOptions): void {
  if (!existsSync(from)) throw BodycamError.badInput({ file: from }, 'the recording file its manifest names', 'no such file');
  if (existsSync(to)) truncateSync(to, start);
  const input = openSync(from, 'r');
  const output = openSync(to, start > 0 ? 'r+' : 'w');
  const block = new Uint8Array(options.copyBlockBytes ?? 1 << 20);
  try {
    let position = start;
    for (;;) {
      const n = readSync(input, block, 0, block.length, position);
      if (n === 0) break;
      let done = 0;
      while (done < n) done += writeSync(output, block, done, n - done, position + done);
      position += n;
      options.afterCopyBlock?.(position, from);
    }
    fsyncSync(output);
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
