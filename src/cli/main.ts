/** The `bodycam` command line (commander). Exit codes follow contract §8. */
import { Command, CommanderError, Option } from 'commander';
import { BodycamError } from '../errors/index.js';
import { runJob } from '../sim/run-job.js';
import { formatRunSummary, progressBar, reportError } from './output.js';

/** Version printed by `bodycam --version`. */
export const VERSION = '0.1.0';

/** Builds the command tree; `io` lets tests capture output. */
export function buildProgram(io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Command {
  const program = new Command('bodycam')
    .description('A deterministic model of a body-worn camera: replay footage, get recordings with their pre-roll.')
    .version(VERSION)
    .addOption(new Option('--debug', 'print stack traces with errors'))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run bodycam --help for usage)');

  program
    .command('run')
    .description('replay a fixture (default: the bundled one) through the device and write its recordings')
    .argument('[source]', 'fixture folder (or its fixture.json); default: the scenario\'s fixture, else the bundled fixture')
    .option('--scenario <file>', 'scenario JSON (bodycam-scenario/1); default: the fixture\'s own scenario')
    .option('--config <file>', 'device profile JSON (contract §5 keys); overrides the scenario\'s device block')
    .option('--out <dir>', 'output folder', 'bodycam-out')
    .option('--json', 'print one JSON summary on stdout instead of text')
    .action(async (source: string | undefined, options: { scenario?: string; config?: string; out: string; json?: boolean }) => {
      const startedMs = performance.now();
      const bar = options.json === true ? { update: () => undefined, done: () => undefined } : progressBar('replaying');
      const result = await runJob({
        ...(source === undefined ? {} : { source }),
        ...(options.scenario === undefined ? {} : { scenarioFile: options.scenario }),
        ...(options.config === undefined ? {} : { configFile: options.config }),
        outDir: options.out,
        onProgress: bar.update,
      });
      bar.done();
      const wallMs = performance.now() - startedMs;
      if (options.json === true) {
        io.stdout.write(`${JSON.stringify({
          format: 'bodycam-run-summary/1',
          source: result.sourcePath,
          scenario: result.scenarioFile,
          outDir: result.outDir,
          events: result.eventsFile,
          eventCount: result.eventCount,
          endUs: result.endUs,
          recordings: result.recordings,
        }, null, 2)}\n`);
      } else {
        io.stdout.write(formatRunSummary(result, wallMs));
      }
    });

  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    return reportError(error instanceof BodycamError ? error : error, debug, io.stderr);
  }
}
