/** The `bodycam` command line (commander). Exit codes follow contract §8. */
import { Command, CommanderError, Option } from 'commander';
import { type CliIo, UsageOptionError } from './cli-io.js';
import { registerCheckCommand } from './commands/check-command.js';
import { registerFixtureCommand } from './commands/fixture-command.js';
import { registerRunCommand } from './commands/run-command.js';
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
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run bodycam --help for usage)');
  registerRunCommand(program, io);
  registerFixtureCommand(program, io);
  registerCheckCommand(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
    for (const sub of command.commands) sub.exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  }
  return program;
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
