/**
 * The checks on one recording that every `verify` target shares: the manifest reads and is
 * byte-exact, its signature holds, the signing key is trusted for the device, and the file has
 * the size and SHA-256 the manifest gives (so a one-byte change in either file is caught).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFragmentedMp4 } from '../container/index.js';
import { dirname, join } from 'node:path';
import { closeInput, openInput, readOpenInput } from '../io/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import { toHex } from './bytes.js';
import { ENCRYPTED_HEADER_BYTES, ENCRYPTED_RECORDING_NAME, looksEncrypted, parseEncryptedHeader } from './encrypted-format.js';
import { hashFileSync } from './file-hash.js';
import type { PublicKeyInfo } from './keys.js';
import { manifestFormProblem, readManifestFile } from './manifest-file.js';
import { MANIFEST_DOMAIN, checkDocumentSignature } from './signatures.js';
import { isSimulationSigner, signerName } from './trust-anchors.js';

/** One check's outcome. */
export interface VerifyCheck {
  /** The file the check is about, as shown to the user (relative to what was verified). */
  readonly subject: string;
  /** What was checked: `manifest`, `signature`, `key`, `file`, `size`, `sha256`, `encryption`, `audit`, ... */
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Which device keys to trust. */
export type KeyTrust =
  /**
   * A registry: the key registered for the manifest's deviceId. `anchored`: the registry is trust
   * anchors from outside (or chains to them), so simulation keys never pass; otherwise it is the
   * store's own registry, used by its commands (a simulation store registers simulation keys).
   */
  | {
    readonly kind: 'registry';
    readonly lookup: (deviceId: string) => { readonly key: PublicKeyInfo; readonly source: string } | null;
    readonly anchored?: boolean;
  }
  /** No anchors given: the manifest's own key is used (integrity only), and the report says so. */
  | { readonly kind: 'embedded' };

/** The checks of one recording and its manifest, when it could be read. */
export interface RecordingCheckResult {
  readonly checks: readonly VerifyCheck[];
  readonly manifest: RecordingManifest | null;
  /** The manifest's text as read (for copying it verbatim). */
  readonly manifestText: string | null;
  readonly filePath: string | null;
}

/**
 * Checks the recording whose manifest is `manifestPath`.
 * @param show turns a path into the subject shown to the user
 */
export function checkRecording(manifestPath: string, trust: KeyTrust, show: (path: string) => string): RecordingCheckResult {
  const checks: VerifyCheck[] = [];
  const add = (path: string, check: string, ok: boolean, detail: string): void => {
    checks.push({ subject: show(path), check, ok, detail });
  };
  const read = readManifestFile(manifestPath);
  if (!read.ok) {
    add(manifestPath, 'manifest', false, read.reason);
    return { checks, manifest: null, manifestText: read.text, filePath: null };
  }
  const manifest = read.manifest;
  const form = manifestFormProblem(read);
  add(manifestPath, 'manifest', form === null, form ?? 'a bodycam-recording/1 manifest, byte for byte as the device wrote it');
  const signature = checkDocumentSignature(MANIFEST_DOMAIN, manifest);
  add(manifestPath, 'signature', signature.ok, signature.ok
    ? `Ed25519 signature valid, by ${signerName(signature.key, manifest.deviceId)}`
    : signature.reason);
  if (signature.ok) {
    const trusted = trustKey(manifest.deviceId, signature.key, trust);
    add(manifestPath, 'key', trusted.ok, trusted.detail);
  }
  const filePath = join(dirname(manifestPath), manifest.file);
  if (!existsSync(filePath)) {
    add(filePath, 'file', false, 'the recording file is missing');
    return { checks, manifest, manifestText: read.text, filePath };
  }
  let hashed: { sha256: string; bytes: number };
  try {
    hashed = hashFileSync(filePath);
  } catch (error) {
    add(filePath, 'file', false, `cannot read it (${(error as Error).message.replace(`${filePath}: `, '')})`);
    return { checks, manifest, manifestText: read.text, filePath };
  }
  const { sha256, bytes } = hashed;
  add(filePath, 'size', bytes === manifest.bytes, bytes === manifest.bytes ? `${bytes} bytes` : `the file has ${bytes} bytes, the manifest says ${manifest.bytes}`);
  add(filePath, 'sha256', sha256 === manifest.sha256, sha256 === manifest.sha256
    ? `SHA-256 ${sha256}`
    : `the file's SHA-256 is ${sha256}, the manifest says ${manifest.sha256}: the file was altered`);
  const encryption = encryptionProblem(filePath, manifest);
  if (encryption !== undefined) add(filePath, 'encryption', encryption === null, encryption ?? 'header matches the manifest\'s encryption block');
  if (filePath.endsWith('.mp4') && bytes <= MAX_STRUCTURE_BYTES) {
    const problem = mp4StructureProblem(filePath, manifest);
    add(filePath, 'structure', problem === null, problem ?? `fragmented MP4: ${manifest.video.frames} frames in whole fragments${manifest.complete ? ', finalized (mfra)' : ', cut off as the manifest says'}`);
  }
  return { checks, manifest, manifestText: read.text, filePath };
}

function trustKey(deviceId: string, key: PublicKeyInfo, trust: KeyTrust): { ok: boolean; detail: string } {
  const short = (fingerprint: string): string => `${fingerprint.slice(0, 16)}…`;
  const signer = signerName(key, deviceId);
  if (trust.kind === 'embedded') {
    return {
      ok: true,
      detail: `integrity only: signed by ${signer} taken from the manifest itself, not checked against a trust anchor (pass --trusted-keys)`,
    };
  }
  if (trust.anchored === true && isSimulationSigner(key, deviceId)) {
    return { ok: false, detail: `signed with ${signer}: anyone can sign with it, so it never passes against trust anchors` };
  }
  const expected = trust.lookup(deviceId);
  if (expected === null) {
    return { ok: false, detail: trust.anchored === true ? `no trust anchor for device ${deviceId}: the signature by ${signer} chains to nothing` : `device ${deviceId} has no registered key: the signature cannot be trusted` };
  }
  return expected.key.fingerprint === key.fingerprint
    ? { ok: true, detail: `signed by ${signer}, the key ${trust.anchored === true ? 'anchored' : 'registered'} for ${deviceId} (${expected.source})` }
    : { ok: false, detail: `signed with ${signer}, but the key ${trust.anchored === true ? 'anchored' : 'registered'} for ${deviceId} is ${short(expected.key.fingerprint)} (${expected.source})` };
}

/** The largest MP4 whose boxes `verify` walks (it is read whole). */
const MAX_STRUCTURE_BYTES = 2 ** 31 - 1;

/**
 * An MP4 recording's boxes against its manifest: every video frame the manifest counts is in a
 * whole fragment, and a complete recording is finalized (its mfra index written) with nothing
 * after it. null when they agree, else the problem.
 */
function mp4StructureProblem(filePath: string, manifest: RecordingManifest): string | null {
  let layout;
  try {
    layout = readFragmentedMp4(readFileSync(filePath), { file: filePath });
  } catch (error) {
    return `not a readable MP4: ${(error as Error).message.replace(`${filePath}: `, '')}`;
  }
  const video = layout.tracks.find((track) => track.handler === 'vide');
  const frames = layout.fragments.reduce((sum, fragment) => sum + (fragment.runs.find((run) => run.trackId === video?.id)?.sampleSizes.length ?? 0), 0);
  if (frames !== manifest.video.frames) return `the file's whole fragments hold ${frames} video frames, the manifest says ${manifest.video.frames}`;
  if (manifest.complete && !layout.finalized) return 'the manifest says complete, but the file has no whole mfra index (cut off, or not finalized)';
  return null;
}

/** undefined: nothing to check (plain file, plain manifest); null: consistent; else the problem. */
function encryptionProblem(filePath: string, manifest: RecordingManifest): string | null | undefined {
  const head = new Uint8Array(ENCRYPTED_HEADER_BYTES);
  const input = openInput(filePath, { what: 'a recording file', maxBytes: Number.MAX_SAFE_INTEGER });
  let n = 0;
  try {
    n = readOpenInput(input, head, 0);
  } finally {
    closeInput(input);
  }
  const bytes = head.subarray(0, n);
  const encrypted = looksEncrypted(bytes);
  const info = manifest.encryption;
  if (info === undefined) return encrypted ? 'the file is encrypted but the manifest has no encryption block' : undefined;
  if (!encrypted) return 'the manifest says the file is encrypted, but it is not an encrypted recording';
  if (!ENCRYPTED_RECORDING_NAME.test(manifest.file)) return 'an encrypted recording should be named *.mkv.enc or *.mp4.enc';
  try {
    const header = parseEncryptedHeader(bytes, filePath);
    if (toHex(header.fileId) !== info.fileId) return 'the file id in the header differs from the manifest\'s';
    if (toHex(header.recipient) !== info.recipient) return 'the recipient in the header differs from the manifest\'s';
    if (header.chunkBytes !== info.chunkBytes) return 'the chunk size in the header differs from the manifest\'s';
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
