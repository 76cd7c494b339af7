/** `bodycam fixture import`: turn any video ffmpeg reads into a fixture folder. */
import type { Command } from 'commander';
import { formatUs } from '../../time/microseconds.js';
import { type CliIo, UsageOptionError, numberOption } from '../cli-io.js';
import { progressBar, stderrOf } from '../output.js';

function parseSize(value: string | undefined): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (match === null) throw new UsageOptionError(`--size: expected WxH such as 1280x720, got ${JSON.stringify(value)}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Registers `fixture import` on `program`. */
export function registerFixtureCommand(program: Command, io: CliIo): void {
  const fixture = program.command('fixture').description('make and inspect fixtures');
  fixture
    .command('import')
    .description('import a video (anything ffmpeg reads) as a fixture folder, with its real frame timestamps and audio')
    .argument('<video>', 'the video file')
    .requiredOption('--out <dir>', 'the fixture folder to create')
    .option('--fps <n>', 'resample to a constant frame rate (default: keep every frame and its timestamp)')
    .option('--size <WxH>', 'scale every frame to this size')
    .option('--from <seconds>', 'start of the excerpt in the video')
    .option('--to <seconds>', 'end of the excerpt in the video')
    .option('--force', 'replace the output folder if it exists')
    .option('--codec <codec>', '"copy": keep an H.264 video\'s frames and times as they are (an H.264 fixture, no re-encode); default: decode every frame to JPEG')
    .action(async (video: string, options: { out: string; fps?: string; size?: string; from?: string; to?: string; force?: boolean; codec?: string }) => {
      if (options.codec !== undefined && options.codec !== 'copy') throw new UsageOptionError(`--codec: expected copy, got ${JSON.stringify(options.codec)}`);
      const fps = numberOption('--fps', options.fps, 'a frame rate');
      const fromSeconds = numberOption('--from', options.from, 'seconds');
      const toSeconds = numberOption('--to', options.to, 'seconds');
      const size = parseSize(options.size);
      // the importer (sharp, ffmpeg's driver) loads when `fixture import` runs, not with the CLI
      const { importFixture } = await import('../../importer/index.js');
      const bar = progressBar('importing', stderrOf(io));
      const result = await importFixture({
        video,
        outDir: options.out,
        ...(fps === undefined ? {} : { fps }),
        ...(size === undefined ? {} : { size }),
        ...(fromSeconds === undefined ? {} : { fromSeconds }),
        ...(toSeconds === undefined ? {} : { toSeconds }),
        force: options.force === true,
        ...(options.codec === 'copy' ? { codec: 'copy' as const } : {}),
        onProgress: bar.update,
      });
      bar.done();
      const audio = result.audio === null ? 'no audio' : `audio ${result.audio.samples} samples at ${result.audio.sampleRate} Hz from ${formatUs(result.audio.startUs)}`;
      io.stdout.write(`Imported ${result.frames} frames ${result.width}x${result.height} (${result.fps} fps nominal), ${audio}\n`);
      if (result.nudgedFrames > 0) io.stdout.write(`  ${result.nudgedFrames} frames shared a timestamp and were moved 1 µs later\n`);
      io.stdout.write(`  ${result.dir}\n  edit ${result.dir}/scenario.json, then: bodycam run ${result.dir}\n`);
    });
}
