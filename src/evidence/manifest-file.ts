/** Reading a recording manifest strictly, for the evidence checks (the I/O edge). */
import { readInputFileSync } from '../io/index.js';
import { type RecordingManifest, serializeManifest } from '../recorder/index.js';
import { parseWallClock } from '../time/index.js';

/** A manifest as read: its text, and the parsed manifest or why it is not one. */
export type ManifestRead =
  | { readonly ok: true; readonly text: string; readonly manifest: RecordingManifest }
  | { readonly ok: false; readonly text: string | null; readonly reason: string };

/** Recording ids and file names that are safe as single path components. */
export const SAFE_NAME = /^(?!\.\.?$)[A-Za-z0-9._+-]{1,160}$/;

function isWallClockTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseWallClock(value);
    return true;
  } catch {
    return false;
  }
}

/** Reads `path` as a `bodycam-recording/1` manifest (the fields the evidence chain relies on are checked). */
export function readManifestFile(path: string): ManifestRead {
  let text: string;
  try {
    // A manifest is a few kB; 1 MiB bounds the read, and a FIFO or device is refused unread.
    text = new TextDecoder('utf-8').decode(readInputFileSync(path, { what: 'a recording manifest', maxBytes: 1 << 20 }));
  } catch (error) {
    return { ok: false, text: null, reason: `cannot read it (${(error as Error).message.replace(`${path}: `, '')})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, text, reason: 'not valid JSON (it was altered or cut off)' };
  }
  const m = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || m.format !== 'bodycam-recording/1') {
    return { ok: false, text, reason: 'not a bodycam-recording/1 manifest' };
  }
  const problems: string[] = [];
  if (typeof m.id !== 'string' || !SAFE_NAME.test(m.id)) problems.push('id');
  if (typeof m.file !== 'string' || !SAFE_NAME.test(m.file)) problems.push('file');
  if (typeof m.deviceId !== 'string') problems.push('deviceId');
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) problems.push('sha256');
  if (!Number.isSafeInteger(m.bytes)) problems.push('bytes');
  const wallClock = m.wallClock as Record<string, unknown> | undefined;
  // Dates are refused at input unless they parse (four-digit years, an offset): one unreadable end would break retention for the whole store.
  if (typeof wallClock !== 'object' || wallClock === null || !isWallClockTime(wallClock.start) || !isWallClockTime(wallClock.end)) problems.push('wallClock');
  if (problems.length > 0) return { ok: false, text, reason: `missing or malformed: ${problems.join(', ')}` };
  return { ok: true, text, manifest: value as RecordingManifest };
}

/** Null when `text` is exactly how the device serialises `manifest`; otherwise what differs. */
export function manifestFormProblem(read: { readonly text: string; readonly manifest: RecordingManifest }): string | null {
  return read.text === serializeManifest(read.manifest)
    ? null
    : 'the file is not byte for byte the device\'s serialization of its content (it was edited, e.g. whitespace or key order)';
}
