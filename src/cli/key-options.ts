/** `--device-key` and `--back-office-key`, shared by `run` and `live`: a device's keys are given the same way to both. */
import type { Command } from 'commander';
import type { DeviceEvidenceOptions } from '../evidence/index.js';

/** The key options as commander parses them. */
export interface KeyOptions {
  readonly deviceKey?: string;
  readonly backOfficeKey?: string;
}

/** Adds the two key options to `command`; `whose` says whose signing key it is (`the device's`, `every device's`). */
export function addKeyOptions(command: Command, whose: string): Command {
  return command
    .option('--device-key <file>', `${whose} Ed25519 private key (PEM) to sign manifests; default: the device's simulation key (not secret)`)
    .option('--back-office-key <file>', 'the back office\'s X25519 public key (PEM) to encrypt to, with encryptAtRest; default: the simulation back office');
}

/** The key files, as runJob and LiveFleet take them. */
export function evidenceOf(options: KeyOptions): Pick<DeviceEvidenceOptions, 'deviceKeyFile' | 'backOfficeKeyFile'> {
  return {
    ...(options.deviceKey === undefined ? {} : { deviceKeyFile: options.deviceKey }),
    ...(options.backOfficeKey === undefined ? {} : { backOfficeKeyFile: options.backOfficeKey }),
  };
}
