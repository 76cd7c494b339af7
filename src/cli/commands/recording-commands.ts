/** `bodycam repair` and `bodycam export-audio`: work on a recording file. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BodycamError } from '../../errors/index.js';
import { formatUs } from '../../time/microseconds.js';
import type { CliIo } from '../cli-io.js';

/** Registers `repair` and `export-audio` on `program`. */
export function registerRecordingCommands(program: Command, io: CliIo): void {
  program
    .command('repair')
    .description('rebuild a cut-off recording (power cut, killed process) as a finalized file in DIR/repaired/ (never in recordings/); the original is kept, a complete one is left alone')
    .argument('<file>', 'the .mkv or .mp4 (fragmented) recording')
    .option('--out <dir>', 'the folder to write <id>.repaired.mkv (or .mp4) and .json into (default: repaired/ beside the run\'s recordings/)')
    .option('--device-key <file>', 'the device\'s Ed25519 private key (PEM) to sign the repaired manifest; default: its simulation key (not secret)')
    .action(async (file: string, options: { out?: string; deviceKey?: string }) => {
      // what a command needs loads when it runs, not with the CLI (docs/performance.md, "The test suite")
      const [{ loadPrivateKeyFile, signManifest, simulationDeviceKey }, { repairRecording }] = await Promise.all([
        import('../../evidence/index.js'), import('../../recorder/index.js'),
      ]);
      // Load the key first: a bad key file is refused before anything is written.
      const deviceKey = options.deviceKey === undefined ? null : loadPrivateKeyFile(resolve(options.deviceKey), 'ed25519');
      let signedWith = '';
      const outcome = await repairRecording(resolve(file), {
        ...(options.out === undefined ? {} : { outDir: resolve(options.out) }),
        sign: (manifest) => {
          const key = deviceKey ?? simulationDeviceKey(manifest.deviceId);
          signedWith = deviceKey === null ? `the simulation key of ${manifest.deviceId} (NOT secret; pass --device-key for the device's own)` : `the device key ${options.deviceKey ?? ''}`;
          return signManifest(manifest, key);
        },
      });
      if (outcome.kind === 'complete') {
        io.stdout.write(`${file} is complete (${outcome.reason}): nothing to repair, nothing written\n`);
        return;
      }
      const m = outcome.manifest;
      const dropped = outcome.droppedBytes > 0 ? `; dropped ${outcome.droppedBytes} bytes of a partial last ${/\.mp4$/i.test(outcome.file) ? 'fragment' : 'cluster'}` : '';
      io.stdout.write(`Repaired ${file}: ${m.video.frames} frames, ${m.audio?.samples ?? 0} audio samples, ${formatUs(outcome.durationUs)}${dropped}\n`
        + `  ${outcome.file}\n  ${outcome.manifestFile} (complete: false, repaired: true; signed with ${signedWith})\n`
        + outcome.notes.map((note) => `  note: ${note}\n`).join(''));
    });

  program
    .command('export-audio')
    .description('write the audio track of a recording as a 16-bit mono WAV')
    .argument('<recording>', 'the .mkv recording')
    .requiredOption('--out <file>', 'the WAV file to write')
    .action(async (recording: string, options: { out: string }) => {
      const path = resolve(recording);
      if (!existsSync(path)) throw BodycamError.badInput({ file: path }, 'a Matroska recording', 'nothing at that path');
      const [{ matroskaSource }, { writeWavMono16 }] = await Promise.all([import('../../source/index.js'), import('../../encoder/index.js')]);
      const source = await matroskaSource(path);
      if (source.audio === null) throw BodycamError.badInput({ file: path, place: 'Tracks' }, 'an audio track', 'none');
      writeWavMono16(resolve(options.out), source.audio.samples, source.audio.sampleRate);
      io.stdout.write(`Wrote ${source.audio.samples.length} samples at ${source.audio.sampleRate} Hz `
        + `(${formatUs(Math.round((source.audio.samples.length * 1e6) / source.audio.sampleRate))}) to ${options.out}\n`);
    });
}
