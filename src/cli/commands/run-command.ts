/** `bodycam run`: replay a fixture through the device and write its recordings. */
import type { Command } from 'commander';
import { addKeyOptions } from '../key-options.js';
import type { CliIo } from '../cli-io.js';
import type { RunCommandOptions } from './run-action.js';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Registers `run` on `program`. */
export function registerRunCommand(program: Command, io: CliIo): void {
  const command = program
    .command('run')
    .description('replay a fixture (default: the bundled one) through the device and write its recordings')
    .argument('[source]', 'fixture folder (or its fixture.json), or a team scenario (JSON with "devices"); default: the scenario\'s fixture, else the bundled fixture')
    .option('--scenario <file>', 'scenario JSON (bodycam-scenario/1); default: the fixture\'s own scenario. Repeat to run several: each writes to <out>/<scenario name>/', collect)
    .option('--config <file>', 'device profile JSON (contract §5 keys); overrides the scenario\'s device block')
    .option('--out <dir>', 'output folder', 'bodycam-out')
    .option('--json', 'print one JSON summary on stdout instead of text')
    .option('--allow-outside-fixture', 'read fixture paths and symlinks that lead outside the fixture\'s folder (refused by default: a fixture is self-contained)');
  addKeyOptions(command, 'the device\'s')
    .option('--jobs <n>', 'with several scenarios: how many run at once on worker threads (default: the number of cores); with a team scenario: its cameras split over n worker threads (default 1), the same bytes as one')
    .option('--shard <i/n>', 'with several scenarios: run only shard i of n, split the way vitest splits test files; with a team scenario: only slice i of n of its cameras')
    // the replay's modules load here, when `run` runs (run-action.ts)
    .action(async (source: string | undefined, options: RunCommandOptions) => {
      const { runCommandAction } = await import('./run-action.js');
      await runCommandAction(io, source, options);
    });
}
