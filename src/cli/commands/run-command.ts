/** `bodycam run`: replay a fixture through the device and write its recordings. */
import type { Command } from 'commander';
import { runJob } from '../../sim/index.js';
import type { CliIo } from '../cli-io.js';
import { formatRunSummary, progressBar } from '../output.js';

/** Registers `run` on `program`. */
export function registerRunCommand(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('replay a fixture (default: the bundled one) through the device and write its recordings')
    .argument('[source]', 'fixture folder (or its fixture.json); default: the scenario\'s fixture, else the bundled fixture')
    .option('--scenario <file>', 'scenario JSON (bodycam-scenario/1); default: the fixture\'s own scenario')
    .option('--config <file>', 'device profile JSON (contract §5 keys); overrides the scenario\'s device block')
    .option('--out <dir>', 'output folder', 'bodycam-out')
    .option('--json', 'print one JSON summary on stdout instead of text')
    .option('--device-key <file>', 'the device\'s Ed25519 private key (PEM) to sign manifests; default: its simulation key (not secret)')
    .option('--back-office-key <file>', 'the back office\'s X25519 public key (PEM) to encrypt to, with encryptAtRest; default: the simulation back office')
    .action(async (source: string | undefined, options: { scenario?: string; config?: string; out: string; json?: boolean; deviceKey?: string; backOfficeKey?: string }) => {
      const startedMs = performance.now();
      const bar = options.json === true ? { update: () => undefined, done: () => undefined } : progressBar('replaying');
      const result = await runJob({
        ...(source === undefined ? {} : { source }),
        ...(options.scenario === undefined ? {} : { scenarioFile: options.scenario }),
        ...(options.config === undefined ? {} : { configFile: options.config }),
        outDir: options.out,
        onProgress: bar.update,
        evidence: {
          ...(options.deviceKey === undefined ? {} : { deviceKeyFile: options.deviceKey }),
          ...(options.backOfficeKey === undefined ? {} : { backOfficeKeyFile: options.backOfficeKey }),
        },
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
}
