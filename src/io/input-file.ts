/**
 * The one way an input file is read: opened once (never blocking: O_NONBLOCK, so a FIFO with no
 * writer cannot hang us), checked on the open descriptor (fstat: a regular file within the size
 * limit; a FIFO, device or socket is refused), and read up to the size fstat gave, so a file that
 * grows while it is read (or a device that never ends) cannot grow memory without bound.
 * Checking the descriptor rather than the path means a symlink or a file swapped between the
 * check and the read cannot get anything else past it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { BodycamError, type ErrorLocation } from '../errors/index.js';

/** An input file opened and checked: read it with {@link readOpenInput}, then {@link closeInput}. */
export interface OpenInput {
  readonly fd: number;
  /** Bytes fstat reported when the file was opened: reads never go past it. */
  readonly bytes: number;
  /** The file's real path, from the descriptor (symlinks resolved). */
  readonly realPath: string;
}

/** Where a file must lie: inside `root` (a folder), unless the user opted in. */
export interface Containment {
  /** The folder the file must be inside (a fixture folder). */
  readonly root: string;
  /** The file and place that named the path (`fixture.json`, `video.timestamps`), for the message. */
  readonly namedBy: ErrorLocation;
  /** The path as written there, quoted in the message. */
  readonly written: string;
  /** True when the user allowed paths outside (`--allow-outside-fixture`). */
  readonly allowOutside: boolean;
  /**
   * `root`'s real path when the caller resolved it once for many files (a fixture's frames: see
   * {@link realRootOf}); else it is resolved for each check. Resolving it per frame cost a
   * `lstat` per path component, 1800 times a minute of 30 fps footage (docs/performance.md).
   */
  readonly realRoot?: string;
}

/**
 * `root`'s real path (symlinks resolved), or `root` itself when it cannot be resolved: what
 * {@link checkContainment} compares a file's real path with.
 */
export function realRootOf(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

/** What the caller expects the file to be, and its size limit. */
export interface InputExpectation {
  /** For the message: `a WAV file (16-bit PCM...)`. */
  readonly what: string;
  readonly maxBytes: number;
  readonly within?: Containment;
}

/**
 * Where to read a file of `bytes` bytes: a buffer of at least that many that the caller owns (a
 * replay reuses its frames' buffers: see src/sim/reusable-buffers.ts). Without one, a new buffer.
 */
export type ReadTarget = (bytes: number) => Uint8Array;

/** How the option that allows paths outside a fixture folder is spelled, for messages. */
export const OUTSIDE_FIXTURE_OPT_IN = '--allow-outside-fixture';

/** A short description of an fs error code. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'ENOTDIR': return 'a path through something that is not a folder';
    case 'EISDIR': return 'a folder';
    case 'ELOOP': return 'a loop of symbolic links';
    case 'EACCES': case 'EPERM': return 'a file that cannot be read (permission denied)';
    default: return `a file that cannot be read (${typeof code === 'string' ? code : 'I/O error'})`;
  }
}

/** What kind of file `info` is, when it is not a regular file. */
export function describeFileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The real path of an open descriptor (Linux: /proc/self/fd), else of the path. */
function realPathOf(fd: number, file: string): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return realpathSync(file);
  }
}

/** True when `path` is `root` or inside it (both real paths). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * Refuses `realPath` when it lies outside `within.root` and the user has not opted in.
 * @throws BodycamError `bad-input` at the place that named the path
 */
export function checkContainment(realPath: string, within: Containment | undefined): void {
  if (within === undefined || within.allowOutside) return;
  const root = within.realRoot ?? realRootOf(within.root);
  if (isInside(root, realPath)) return;
  throw BodycamError.badInput(within.namedBy,
    `a path inside the fixture folder ${root} (a fixture is self-contained; ${OUTSIDE_FIXTURE_OPT_IN} allows others)`,
    `${shortQuote(within.written)}, which resolves to ${realPath}`);
}

/** A path or value quoted for a message: JSON-escaped, at most 80 characters. */
export function shortQuote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/**
 * Opens `file` for reading and checks it on the descriptor.
 * @throws BodycamError `bad-input` naming the file: missing, not a regular file, too large, outside its fixture
 */
export function openInput(file: string, expect: InputExpectation): OpenInput {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    // A socket cannot be opened at all (ENXIO): say what it is rather than the errno.
    const kind = kindAtPath(file);
    if (kind !== null) throw BodycamError.badInput({ file }, `${expect.what}: a regular file`, kind);
    throw BodycamError.badInput({ file }, expect.what, describeFsError(error));
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw BodycamError.badInput({ file }, `${expect.what}: a regular file`, describeFileKind(info));
    const realPath = realPathOf(fd, file);
    checkContainment(realPath, expect.within);
    if (info.size > expect.maxBytes) throw BodycamError.badInput({ file }, `${expect.what} of at most ${expect.maxBytes} bytes`, `${info.size} bytes`);
    return { fd, bytes: info.size, realPath };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** What is at `path` when it exists and is not a regular file, else null. */
export function kindAtPath(path: string): string | null {
  try {
    const info = statSync(path);
    return info.isFile() ? null : describeFileKind(info);
  } catch {
    return null;
  }
}

/** Reads up to `length` bytes at `position` (fewer only at the end of the file). */
export function readOpenInput(input: OpenInput, target: Uint8Array, position: number, length = target.length): number {
  const wanted = Math.max(0, Math.min(length, input.bytes - position));
  let done = 0;
  while (done < wanted) {
    const n = readSync(input.fd, target, done, wanted - done, position + done);
    if (n === 0) break; // the file shrank: what is there is all there is
    done += n;
  }
  return done;
}

/** Closes an input opened with {@link openInput}. */
export function closeInput(input: OpenInput): void {
  closeSync(input.fd);
}

/**
 * Reads a whole input file: at most the size fstat gave when it was opened (bounded by `maxBytes`),
 * into `target`'s buffer when given (the bytes read are a view of it; what lies beyond is not).
 * @throws BodycamError `bad-input` naming the file (see {@link openInput})
 */
export function readInputFileSync(file: string, expect: InputExpectation, target?: ReadTarget): Uint8Array {
  const input = openInput(file, expect);
  try {
    const bytes = target === undefined ? new Uint8Array(input.bytes) : target(input.bytes);
    if (bytes.length < input.bytes) throw BodycamError.runtime(`a read target of ${bytes.length} bytes for ${input.bytes}`);
    let n: number;
    try {
      n = readOpenInput(input, bytes, 0, input.bytes);
    } catch (error) {
      throw BodycamError.badInput({ file }, expect.what, describeFsError(error));
    }
    return n === bytes.length ? bytes : bytes.subarray(0, n);
  } finally {
    closeInput(input);
  }
}
