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

/** A bad option value found while parsing (the CLI turns it into exit code 2). */
export class UsageOptionError extends Error {
  override readonly name = 'UsageOptionError';
}
