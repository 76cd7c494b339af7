/**
 * `bodycam verify FILE_OR_DIR`: finds out what it was given and checks everything in it.
 *
 * - a back-office store (store.json): verify-store.ts;
 * - an export package (export.json): verify-package.ts;
 * - a live output folder (DIR/<deviceId>/recordings, one folder per device): every device's recordings;
 * - a run's output folder (DIR/recordings), a recordings folder, one manifest, or one
 *   recording (.mkv / .mkv.enc, with its manifest beside it): every recording's checks
 *   (recording-checks.ts); a recording without a manifest fails.
 *
 * Anything else is bad input (exit 2). Checks that fail make the report fail (exit 1).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { RECORDING_FILE_NAME } from './encrypted-format.js';
import { EXPORT_INDEX } from './export-package.js';
import { readManifestFile } from './manifest-file.js';
import { type KeyTrust, type VerifyCheck, checkRecording } from './recording-checks.js';
import { type TrustAnchors, deviceAnchor, loadTrustAnchors } from './trust-anchors.js';
import { verifyPackage } from './verify-package.js';
import { type VerifyReport, verifyReport } from './verify-report.js';
import { verifyStore } from './verify-store.js';

/** Options of {@link verifyPath}. */
export interface VerifyOptions {
  /** Trust anchors: a folder of `<deviceId>.pub.pem` and `back-office.pub.pem`, or one PEM key (trust-anchors.ts). */
  readonly trustedKeys?: string;
  /** A store's witness log (witness-log.ts), kept outside the store: its heads must all be prefixes of the store's log. */
  readonly witness?: string;
}

const isRecordingName = (name: string): boolean => RECORDING_FILE_NAME.test(name);
const stemOf = (name: string): string => name.replace(RECORDING_FILE_NAME, '').replace(/\.json$/, '');

/**
 * Verifies whatever `path` is; throws bad-input (exit 2) when it is none of the known kinds, or
 * when there is nothing in it to check (an empty folder never "passes").
 */
export function verifyPath(path: string, options: VerifyOptions = {}): VerifyReport {
  const target = resolve(path);
  if (!existsSync(target)) throw BodycamError.badInput({ file: target }, 'a recording, manifest, recordings folder, store or export package', 'nothing at that path');
  if (options.trustedKeys !== undefined) {
    const anchorsPath = resolve(options.trustedKeys);
    const root = statSync(target).isDirectory() ? target : dirname(target);
    // Keys that travel with the evidence vouch for nothing: a forger replaces them with it.
    if (anchorsPath === root || anchorsPath.startsWith(`${root}${sep}`)) {
      throw BodycamError.usage(`--trusted-keys: ${anchorsPath} is inside ${root}, what is being verified; trust anchors must come from outside it`);
    }
  }
  const anchors = options.trustedKeys === undefined ? null : loadTrustAnchors(options.trustedKeys);
  if (options.witness !== undefined && !existsSync(join(target, 'store.json'))) {
    throw BodycamError.usage('--witness: a witness log checks a back-office store (a folder with store.json)');
  }
  const report = verifyKnown(target, anchors, options.witness ?? null);
  if (report.checks.length === 0) throw BodycamError.badInput({ file: target }, 'recordings, a store or an export package to verify', 'nothing to verify');
  return report;
}

function verifyKnown(target: string, anchors: TrustAnchors | null, witness: string | null): VerifyReport {
  const trusted: KeyTrust | null = anchors === null ? null
    : { kind: 'registry', anchored: true, lookup: (deviceId) => deviceAnchor(anchors, deviceId) };
  if (statSync(target).isDirectory()) {
    if (existsSync(join(target, 'store.json'))) return verifyStore(target, anchors, witness);
    if (existsSync(join(target, EXPORT_INDEX))) return verifyPackage(target, anchors);
    const nested = join(target, 'recordings');
    if (existsSync(nested) && statSync(nested).isDirectory()) return verifyRecordings(target, nested, null, trusted, anchors);
    if (readdirSync(target).length === 0) throw BodycamError.badInput({ file: target }, 'recordings, a store or an export package to verify', 'nothing to verify (an empty folder)');
    if (readdirSync(target).some((name) => isRecordingName(name) || (name.endsWith('.json') && readManifestFile(join(target, name)).ok))) {
      return verifyRecordings(target, target, null, trusted, anchors);
    }
    const devices = liveDeviceFolders(target);
    if (devices.length > 0) return verifyRecordingsOf(target, devices, trusted, anchors);
    throw BodycamError.badInput({ file: target }, 'a run\'s or live output folder, a recordings folder, a back-office store (store.json) or an export package (export.json)', 'none of these');
  }
  const name = basename(target);
  if (name === EXPORT_INDEX) return verifyPackage(dirname(target), anchors);
  if (isRecordingName(name)) {
    const manifest = join(dirname(target), `${stemOf(name)}.json`);
    if (!existsSync(manifest)) throw BodycamError.badInput({ file: target }, `its manifest beside it (${basename(manifest)})`, 'no manifest');
    return verifyRecordings(dirname(target), dirname(target), [basename(manifest)], trusted, anchors);
  }
  if (name.endsWith('.json')) {
    const read = readManifestFile(target);
    const damaged = !read.ok && readdirSync(dirname(target)).some((other) => isRecordingName(other) && stemOf(other) === stemOf(name));
    if (!read.ok && !damaged) throw BodycamError.badInput({ file: target }, 'a recording manifest (bodycam-recording/1)', read.reason);
    return verifyRecordings(dirname(target), dirname(target), [name], trusted, anchors);
  }
  throw BodycamError.badInput({ file: target }, 'a .mkv, .mp4, .mkv.enc, .mp4.enc or .json recording file, or a folder', `a ${name.includes('.') ? name.slice(name.lastIndexOf('.')) : 'file without extension'}`);
}

/** The `recordings/` folders of a live output folder's device folders (`DIR/<deviceId>/recordings`). */
function liveDeviceFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name, 'recordings'))
    .filter((recordings) => existsSync(recordings) && statSync(recordings).isDirectory()).sort();
}

/** Checks the recordings of several folders as one report. */
function verifyRecordingsOf(root: string, dirs: readonly string[], trusted: KeyTrust | null, anchors: TrustAnchors | null): VerifyReport {
  const reports = dirs.map((dir) => verifyRecordings(root, dir, null, trusted, anchors));
  const notes = [...new Set(reports.flatMap((report) => report.notes))];
  return verifyReport(root, 'recordings', reports.flatMap((report) => report.checks), notes, anchors?.path ?? null);
}

/** Checks the recordings of a folder (`only`: just these manifests). */
function verifyRecordings(root: string, dir: string, only: readonly string[] | null, trusted: KeyTrust | null, anchors: TrustAnchors | null): VerifyReport {
  const names = readdirSync(dir).sort();
  const recordingNames = names.filter(isRecordingName);
  const manifests = only ?? names.filter((name) => {
    if (!name.endsWith('.json')) return false;
    const read = readManifestFile(join(dir, name));
    // A manifest that no longer reads, next to its recording, is a damaged manifest (checked, fails).
    return read.ok || recordingNames.some((other) => stemOf(other) === stemOf(name));
  });
  const show = (path: string): string => relative(root, path) || basename(path);
  const trust: KeyTrust = trusted ?? { kind: 'embedded' };
  const checks: VerifyCheck[] = [];
  const covered = new Set<string>();
  for (const manifest of manifests) {
    const result = checkRecording(join(dir, manifest), trust, show);
    checks.push(...result.checks);
    covered.add(result.manifest?.file ?? '');
    for (const other of recordingNames) if (stemOf(other) === stemOf(manifest)) covered.add(other);
  }
  if (only === null) {
    for (const name of recordingNames) {
      if (!covered.has(name)) checks.push({ subject: show(join(dir, name)), check: 'manifest', ok: false, detail: 'no manifest for this recording: it was deleted, so nothing vouches for the file' });
    }
  }
  const notes: string[] = [];
  if (trusted === null) notes.push('no --trusted-keys given: each signature was checked with the public key in its own manifest (integrity only)');
  return verifyReport(root, manifests.length === 1 && only !== null ? 'recording' : 'recordings', checks, notes, anchors?.path ?? null);
}
