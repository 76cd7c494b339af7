/**
 * What crosses the thread boundary: a job (plain data) and its outcome (the run's result, or its
 * error flattened so that a BodycamError keeps its code, file and place on the other side).
 */
import { BodycamError, type ErrorCode, isBodycamError } from '../errors/index.js';
import type { FleetPart, FleetRunResult } from '../fleet/index.js';
import type { RunJobOptions, RunJobResult } from '../sim/index.js';

/** One run, as plain data (no callbacks), so it can be posted to a worker. */
export type ScenarioJob = Pick<RunJobOptions, 'source' | 'scenarioFile' | 'configFile' | 'outDir' | 'encodeConcurrency' | 'timeline' | 'allowOutsideFixture'> & {
  /** Key files and chunk size only: callbacks cannot cross to a worker. */
  readonly evidence?: Pick<NonNullable<RunJobOptions['evidence']>, 'deviceKeyFile' | 'backOfficeKeyFile' | 'chunkBytes'>;
  /** The scenario is a team's (contract §10): it runs as a fleet (`runFleet`), writing `outDir/devices/<id>/`. */
  readonly team?: true;
  /**
   * With `team`: run only these cameras as one part of the team (`bodycam run TEAM.json --jobs N`),
   * writing their folders but not the team's files; the outcome is the part.
   */
  readonly cameras?: readonly string[];
};

/** An error as data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code: ErrorCode | null;
  readonly file: string | null;
  readonly place: string | null;
  readonly stack: string | null;
}

/** A job's outcome: its result, or why it failed. */
export type JobOutcome =
  | { readonly ok: true; readonly result: RunJobResult }
  | { readonly ok: true; readonly team: FleetRunResult }
  | { readonly ok: true; readonly part: FleetPart }
  | { readonly ok: false; readonly error: SerializedError };

/** Flattens an error for posting. */
export function serializeError(error: unknown): SerializedError {
  if (isBodycamError(error)) {
    return { name: error.name, message: error.message, code: error.code, file: error.file ?? null, place: error.place ?? null, stack: error.stack ?? null };
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return { name: plain.name, message: plain.message, code: null, file: null, place: null, stack: plain.stack ?? null };
}

/** Rebuilds an error posted by {@link serializeError}: a BodycamError with its code, file and place. */
export function deserializeError(data: SerializedError): Error {
  if (data.code !== null) {
    const prefix = [data.file, data.place].filter((part) => part !== null && part !== '').join(': ');
    const bare = prefix !== '' && data.message.startsWith(`${prefix}: `) ? data.message.slice(prefix.length + 2) : data.message;
    const error = new BodycamError(data.code, bare, { ...(data.file === null ? {} : { file: data.file }), ...(data.place === null ? {} : { place: data.place }) });
    if (data.stack !== null) error.stack = data.stack;
    return error;
  }
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== null) error.stack = data.stack;
  return error;
}
