/** `bodycam repair` and `bodycam export-audio`: work on a recording file. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeWavMono16 } from '../../encoder/index.js';
import { BodycamError } from '../../errors/index.js';
import { repairRecording } from '../../recorder/index.js';
import { matroskaSource } from '../../source/index.js';
import { formatUs } from '../../time/index.js';
import type { CliIo } from '../cli-io.js';

/** Registers `repair` and `export-audio` on `program`. */
export function registerRecordingCommands(program: Command, io: CliIo): void {
  program
    .command('repair')
    .description('rebuild a cut-off recording (power cut, killed process) as a finalized file beside it; the original is kept')
    .argument('<file>', 'the .mkv recording')
    .option('--out <file>', 'where to write the repaired file (default: <name>.repaired.mkv beside it)')
    .action((file: string, options: { out?: string }) => {
      const report = repairRecording(resolve(file), options.out === undefined ? undefined : resolve(options.out));
      const m = report.manifest;
      const dropped = report.droppedBytes > 0 ? `; dropped ${report.droppedBytes} bytes of a partial last cluster` : '';
      io.stdout.write(`Repaired ${file}: ${m.video.frames} frames, ${m.audio?.samples ?? 0} audio samples, ${formatUs(report.durationUs)}${dropped}\n`
        + `  ${report.file}\n  ${report.manifestFile}\n`);
    });

  program
    .command('export-audio')
    .description('write the audio track of a recording as a 16-bit mono WAV')
    .argument('<recording>', 'the .mkv recording')
    .requiredOption('--out <file>', 'the WAV file to write')
    .action(async (recording: string, options: { out: string }) => {
      const path = resolve(recording);
      if (!existsSync(path)) throw BodycamError.badInput({ file: path }, 'a Matroska recording', 'nothing at that path');
      const source = await matroskaSource(path);
      if (source.audio === null) throw BodycamError.badInput({ file: path, place: 'Tracks' }, 'an audio track', 'none');
      writeWavMono16(resolve(options.out), source.audio.samples, source.audio.sampleRate);
      io.stdout.write(`Wrote ${source.audio.samples.length} samples at ${source.audio.sampleRate} Hz `
        + `(${formatUs(Math.round((source.audio.samples.length * 1e6) / source.audio.sampleRate))}) to ${options.out}\n`);
    });
}
