/** `bodycam check`: run scenarios and check their `expect` assertions; JUnit XML for CI. */
import type { Command } from 'commander';
import { BodycamError, type ErrorCode, exitCodeFor } from '../../errors/index.js';
import { type CliIo, jobsOption, outputFileOption } from '../cli-io.js';
import { verdictPaint } from '../colors.js';
import { NO_PROGRESS, progressBar, stderrOf } from '../output.js';

/** Options of `bodycam check`. */
interface CheckCommandOptions {
  readonly junit?: string;
  readonly jobs?: string;
  readonly shard?: string;
  readonly out: string;
  readonly config?: string;
  readonly json?: boolean;
  readonly allowOutsideFixture?: boolean;
}

/**
 * Registers `check` on `program`. A failed assertion ends the command with an `expectation-failed`
 * error (exit 1); a scenario that could not run, with its own error's code (exit 3 for a fault).
 */
export function registerCheckCommand(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('run scenarios and check their "expect" assertions (exit 1 if any fails)')
    .argument('<scenario...>', 'scenario files (bodycam-scenario/1); each runs on its "fixture", else the bundled fixture')
    .option('--junit <file>', 'write JUnit XML (one testsuite per scenario, one testcase per assertion)')
    .option('--jobs <n>', 'scenarios run at once on worker threads (default: the number of cores); with one team scenario: its cameras split over n worker threads')
    .option('--shard <i/n>', 'run only shard i of n, split the way vitest splits test files')
    .option('--out <dir>', 'output folder: each scenario writes to <dir>/<scenario name>/', 'bodycam-check')
    .option('--config <file>', 'device profile JSON applied to every scenario')
    .option('--json', 'print one JSON report on stdout instead of text')
    .option('--allow-outside-fixture', 'read fixture paths and symlinks that lead outside the fixture\'s folder (refused by default)')
    .action(async (scenarios: string[], options: CheckCommandOptions) => {
      // the replay's modules load when `check` runs, not with the CLI (docs/performance.md, "The test suite")
      const [{ checkRunJson, checkScenarios, formatCheckSummary, formatScenarioCheck, junitXml }, { parseShard }, { writeFileAtomic }] = await Promise.all([
        import('../../check/index.js'), import('../../parallel/index.js'), import('../../recorder/index.js'),
      ]);
      const jobs = jobsOption(options.jobs);
      const shard = options.shard === undefined ? undefined : parseShard(options.shard);
      const junitFile = options.junit === undefined ? undefined : outputFileOption('--junit', options.junit);
      const paint = verdictPaint(io.stdout as { isTTY?: boolean });
      const bar = options.json === true ? NO_PROGRESS : progressBar('checking', stderrOf(io));
      const run = await checkScenarios({
        scenarios,
        outDir: options.out,
        ...(jobs === undefined ? {} : { jobs }),
        ...(shard === undefined ? {} : { shard }),
        ...(options.config === undefined ? {} : { configFile: options.config }),
        ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
        onProgress: bar.update,
        ...(options.json === true ? {} : {
          onScenario: (check) => {
            bar.clear();
            io.stdout.write(formatScenarioCheck(check, paint));
          },
        }),
      });
      bar.done();
      if (shard !== undefined && run.scenarios.length === 0) {
        io.stderr.write(`bodycam: shard ${options.shard} holds none of the ${scenarios.length} scenarios (vitest's split); nothing to check\n`);
      }
      if (junitFile !== undefined) writeFileAtomic(junitFile, junitXml(run.scenarios));
      io.stdout.write(options.json === true ? checkRunJson(run) : formatCheckSummary(run));
      const errorCodes = run.scenarios.flatMap((check) => (check.errorCode === null ? [] : [check.errorCode as ErrorCode]));
      const worst = errorCodes.sort((a, b) => exitCodeFor(b) - exitCodeFor(a))[0];
      if (worst !== undefined) throw new BodycamError(worst, `${run.errors} of ${run.scenarios.length} scenarios could not run (see above)`);
      if (run.failed > 0) throw new BodycamError('expectation-failed', `${run.failed} of ${run.assertions} assertions failed`);
    });
}
