/** Helpers shared by the commands: their streams, and option parsing that fails as usage errors (exit 2). */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The streams a command writes to; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Parses a number option, or throws a usage error naming the option and what it expects. */
export function numberOption(name: string, value: string | undefined, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new UsageOptionError(`${name}: expected ${expected}, got ${JSON.stringify(value)}`);
  return parsed;
}

/** Parses `--jobs`: a whole number from 1. */
export function jobsOption(value: string | undefined): number | undefined {
  const jobs = numberOption('--jobs', value, 'a whole number of parallel runs from 1');
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024)) {
    throw new UsageOptionError(`--jobs: expected a whole number of parallel runs from 1, got ${JSON.stringify(value)}`);
  }
  return jobs;
}

/**
 * Checks an output file option (`--junit`) before any work is done, so a bad path is a usage
 * error at once rather than a failure after every run: not a folder, and its folder exists or
 * can be made (made here, as vitest does for its report files).
 */
export function outputFileOption(name: string, value: string): string {
  const path = resolve(value);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageOptionError(`${name}: expected a file to write, got the folder ${value}`);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new UsageOptionError(`${name}: expected a file in a folder that exists or can be made, got ${value} (${(error as Error).message.split('\n')[0]})`);
  }
  return path;
}

/** A bad option value found while parsing (the CLI turns it into exit code 2). */
export class UsageOptionError extends Error {
  override readonly name = 'UsageOptionError';
}
