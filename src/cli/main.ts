/** The `bodycam` command line (commander). Exit codes follow contract §8. */
import { Command, CommanderError, Option } from 'commander';
import { type CliIo, UsageOptionError } from './cli-io.js';
import { registerCheckCommand } from './commands/check-command.js';
import { registerEvidenceCommand } from './commands/evidence-command.js';
import { registerFixtureCommand } from './commands/fixture-command.js';
import { registerRecordingCommands } from './commands/recording-commands.js';
import { registerLiveCommand } from './commands/live-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerVerifyCommand } from './commands/verify-command.js';
import { reportError } from './output.js';

/** Version printed by `bodycam --version`. */
export const VERSION = '0.1.0';

/** Builds the command tree; `io` lets tests capture output. */
export function buildProgram(io: CliIo = process): Command {
  const program = new Command('bodycam')
    .description('A deterministic model of a body-worn camera: replay footage, get recordings with their pre-roll.')
    .version(VERSION)
    .addOption(new Option('--debug', 'print stack traces with errors'))
    .exitOverride()
    .configureOutput(outputFor(io));
  registerRunCommand(program, io);
  registerFixtureCommand(program, io);
  registerCheckCommand(program, io);
  registerRecordingCommands(program, io);
  registerVerifyCommand(program, io);
  registerEvidenceCommand(program, io);
  registerLiveCommand(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(outputFor(io));
    for (const sub of command.commands) sub.exitOverride().configureOutput(outputFor(io));
  }
  return program;
}

/** Help goes to stdout; a usage error is one line on stderr (contract §8). */
function outputFor(io: CliIo) {
  return {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) => write(`bodycam: ${text.trim().split('\n')[0] ?? ''} (see bodycam --help)\n`),
  };
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof UsageOptionError) {
      io.stderr.write(`bodycam: ${error.message}\n`);
      return 2;
    }
    return reportError(error, debug, io.stderr);
  }
}
