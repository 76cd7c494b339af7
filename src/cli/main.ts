/** The `bodycam` command line (commander). Exit codes follow contract §8. */
import { Command, CommanderError, Option } from 'commander';
import { isBodycamError } from '../errors/index.js';
import { type CliIo, UsageOptionError } from './cli-io.js';
import { registerCheckCommand } from './commands/check-command.js';
import { registerEvidenceCommand } from './commands/evidence-command.js';
import { registerFixtureCommand } from './commands/fixture-command.js';
import { registerRecordingCommands } from './commands/recording-commands.js';
import { registerLiveCommand } from './commands/live-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerVerifyCommand } from './commands/verify-command.js';
import { addHelpExamples, commandPath } from './help-examples.js';
import { errorJson, reportError } from './output.js';

/** Version printed by `bodycam --version`. */
export const VERSION = '0.1.0';

/** Builds the command tree; `io` lets tests capture output. */
export function buildProgram(io: CliIo = process): Command {
  const program = new Command('bodycam')
    .description('A deterministic model of a body-worn camera: replay footage, get recordings with their pre-roll.')
    .version(VERSION)
    .addOption(new Option('--debug', 'print stack traces with errors'))
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput(outputFor(io, ''));
  registerRunCommand(program, io);
  registerFixtureCommand(program, io);
  registerCheckCommand(program, io);
  registerRecordingCommands(program, io);
  registerVerifyCommand(program, io);
  registerEvidenceCommand(program, io);
  registerLiveCommand(program, io);
  const configure = (command: Command): void => {
    for (const sub of command.commands) {
      sub.exitOverride().showSuggestionAfterError(true).configureOutput(outputFor(io, commandPath(sub)));
      configure(sub);
    }
  };
  configure(program);
  addHelpExamples(program);
  return program;
}

/**
 * Commander's error as one line: its message and its "(Did you mean run?)" on the line after are
 * joined, so the suggestion is kept within contract §8's one line.
 */
export function oneLine(text: string): string {
  return text.trim().split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
}

/** Help goes to stdout; a usage error is one line on stderr (contract §8), pointing at the command's help. */
function outputFor(io: CliIo, path: string) {
  const help = path === '' ? 'bodycam --help' : `bodycam ${path} --help`;
  return {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) => write(`bodycam: ${oneLine(text)} (see ${help})\n`),
  };
}

/** `io` with its stdout watched, so an error's JSON is written only when nothing else was. */
function watchedIo(io: CliIo): { io: CliIo; wroteStdout: () => boolean } {
  let wrote = false;
  const stdout = new Proxy(io.stdout, {
    get(target, property) {
      if (property === 'write') {
        return (...args: Parameters<NodeJS.WritableStream['write']>) => {
          wrote = true;
          return target.write(...args);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { io: { stdout, stderr: io.stderr }, wroteStdout: () => wrote };
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const watched = watchedIo(io);
  const program = buildProgram(watched.io);
  const debug = argv.includes('--debug');
  // With --json, stdout holds one JSON document whatever happens: an error's, when the command wrote none.
  const json = argv.includes('--json');
  const asJson = (code: string, message: string, exitCode: number, location: { file?: string | undefined; place?: string | undefined } = {}): void => {
    if (json && !watched.wroteStdout()) io.stdout.write(errorJson(code, message, exitCode, location));
  };
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      asJson('usage', oneLine(error.message).replace(/^error: /, ''), 2);
      return 2;
    }
    if (error instanceof UsageOptionError) {
      io.stderr.write(`bodycam: ${error.message}\n`);
      asJson('usage', error.message, 2);
      return 2;
    }
    const exitCode = reportError(error, debug, io.stderr);
    const bodycamError = isBodycamError(error) ? error : null;
    asJson(bodycamError?.code ?? 'internal', bodycamError?.message ?? (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)), exitCode,
      bodycamError === null ? {} : { file: bodycamError.file, place: bodycamError.place });
    return exitCode;
  }
}
