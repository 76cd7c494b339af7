/**
 * `bodycam verify FILE_OR_DIR`: check recordings, a store or an export package (exit 0 all good, 1 altered
 * or not signed by a trust anchor, 2 bad input or nothing to verify).
 */
import type { Command } from 'commander';
import { BodycamError } from '../../errors/index.js';
import type { CliIo } from '../cli-io.js';

/** Registers `verify` on `program`. */
export function registerVerifyCommand(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description('check every recording\'s hash and signature (and a store\'s or package\'s audit chain); exit 1 names what was altered')
    .argument('<path>', 'a run\'s output folder, a recordings folder, a manifest, a .mkv/.mkv.enc, a back-office store or an export package')
    .option('--trusted-keys <path>', 'trust anchors from outside what is verified: a folder of <deviceId>.pub.pem and back-office.pub.pem, or one PEM file (without: integrity only)')
    .option('--witness <file>', 'a store\'s witness log (bodycam evidence witness), kept outside the store: its heads must still be in the store\'s history')
    .option('--json', 'print the report as JSON')
    .action(async (path: string, options: { trustedKeys?: string; witness?: string; json?: boolean }) => {
      // the evidence modules load when `verify` runs, not with the CLI
      const { failureSummary, formatVerifyReport, verifyPath } = await import('../../evidence/index.js');
      const report = verifyPath(path, {
        ...(options.trustedKeys === undefined ? {} : { trustedKeys: options.trustedKeys }),
        ...(options.witness === undefined ? {} : { witness: options.witness }),
      });
      io.stdout.write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report));
      if (!report.ok) throw new BodycamError('expectation-failed', `verify: ${failureSummary(report)}`);
    });
}
