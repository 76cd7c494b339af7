/**
 * The project's one error type. Every failure that reaches a user carries a typed `code`,
 * which fixes the process exit code (contract §8), and, for bad input, the file and the place
 * in it, so the CLI can print one line that says what was expected.
 */

/** What went wrong, by the contract's exit-code classes. */
export type ErrorCode =
  /** A file given to us is malformed, missing or out of range (exit 2). */
  | 'bad-input'
  /** The command line itself is wrong (exit 2). */
  | 'usage'
  /** An external tool the command needs (ffmpeg, ffprobe) is not installed (exit 3). */
  | 'missing-tool'
  /** Something failed while running: I/O, a worker, a codec (exit 3). */
  | 'runtime'
  /** A `bodycam check` expectation or `bodycam verify` check failed (exit 1). */
  | 'expectation-failed';

/** Where in an input file a problem was found. */
export interface ErrorLocation {
  /** Path of the file, as the user gave it or as resolved from the fixture folder. */
  readonly file?: string;
  /** Place inside the file: a JSON path (`events[3].hold`), a line (`line 12`), a byte offset. */
  readonly place?: string;
}

/** Options for {@link BodycamError}. */
export interface BodycamErrorOptions extends ErrorLocation {
  readonly cause?: unknown;
}

/** The single error type thrown across public boundaries. */
export class BodycamError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly place: string | undefined;

  constructor(code: ErrorCode, message: string, options: BodycamErrorOptions = {}) {
    super(formatMessage(message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BodycamError';
    this.code = code;
    this.file = options.file;
    this.place = options.place;
  }

  /**
   * A bad-input error: `file: place: expected X, found Y`.
   * @param expected what a valid input holds at that place
   * @param found what was there instead (omit when nothing was there)
   */
  static badInput(location: ErrorLocation, expected: string, found?: string): BodycamError {
    const what = found === undefined ? `expected ${expected}` : `expected ${expected}, found ${found}`;
    return new BodycamError('bad-input', what, location);
  }

  /** A usage error, for command-line arguments. */
  static usage(message: string): BodycamError {
    return new BodycamError('usage', message);
  }

  /** A runtime fault; `cause` keeps the original error for `--debug`. */
  static runtime(message: string, cause?: unknown, location: ErrorLocation = {}): BodycamError {
    return new BodycamError('runtime', message, { ...location, cause });
  }
}

function formatMessage(message: string, location: ErrorLocation): string {
  const prefix = [location.file, location.place].filter((part) => part !== undefined && part !== '').join(': ');
  return oneLine(prefix === '' ? message : `${prefix}: ${message}`);
}

/**
 * Control characters escaped (`\n`, `\x07`): a message can quote bytes from a broken file, and
 * the CLI promises one line per error.
 */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Process exit code for an error code (contract §8). */
export function exitCodeFor(code: ErrorCode): 1 | 2 | 3 {
  switch (code) {
    case 'expectation-failed':
      return 1;
    case 'bad-input':
    case 'usage':
      return 2;
    case 'missing-tool':
    case 'runtime':
      return 3;
  }
}

/** True for a {@link BodycamError}, also across module copies (worker threads, dual loads). */
export function isBodycamError(error: unknown): error is BodycamError {
  return error instanceof BodycamError || (error instanceof Error && error.name === 'BodycamError' && 'code' in error);
}

/**
 * Throws a `usage`-coded error (a programming mistake at a public boundary) unless `condition` holds.
 * @param expected what the caller should have passed, phrased for the message
 */
export function assertArgument(condition: boolean, name: string, expected: string, found?: unknown): asserts condition {
  if (!condition) {
    const shown = found === undefined ? '' : `, got ${describeValue(found)}`;
    throw new BodycamError('usage', `${name}: expected ${expected}${shown}`);
  }
}

/** A short, safe rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  return typeof value;
}
