/** Terminal output helpers: error lines, a progress bar, and the run summary. */
import { exitCodeFor, isBodycamError } from '../errors/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import type { RunJobResult } from '../sim/index.js';
import type { FleetRunResult } from '../fleet/index.js';
import { formatUs } from '../time/microseconds.js';

/** Prints an error as one line (the stack only with --debug) and returns the exit code. */
export function reportError(error: unknown, debug: boolean, stderr: NodeJS.WritableStream = process.stderr): number {
  if (isBodycamError(error)) {
    stderr.write(`bodycam: ${error.message}\n`);
    if (debug && error.stack !== undefined) stderr.write(`${error.stack}\n`);
    return exitCodeFor(error.code);
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  stderr.write(`bodycam: internal error: ${message} (run with --debug for details)\n`);
  if (debug && error instanceof Error && error.stack !== undefined) stderr.write(`${error.stack}\n`);
  return 3;
}

/** A progress display: `update` with the fraction done (0..1), `done` at the end. */
export interface Progress {
  readonly update: (fraction: number) => void;
  readonly done: () => void;
  /** Wipes the bar's line, so that other output can be written; the next update draws it again. */
  readonly clear: () => void;
}

/** The command's stderr as a progress bar draws on it (a TTY or not). */
export function stderrOf(io: { readonly stderr: NodeJS.WritableStream }): Pick<NodeJS.WriteStream, 'isTTY' | 'write'> {
  return io.stderr as unknown as Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;
}

/** A progress that shows nothing (`--json`, or a caller that wants none). */
export const NO_PROGRESS: Progress = { update: () => undefined, done: () => undefined, clear: () => undefined };

/** `m:ss` of a host duration, for an ETA. */
function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * An error as `--json` prints it on stdout (`bodycam-error/1`): the error's code (`bad-input`,
 * `usage`, `runtime`, ...), its one-line message, the exit code, and the file and place for bad input.
 */
export function errorJson(code: string, message: string, exitCode: number, location: { file?: string | undefined; place?: string | undefined } = {}): string {
  return `${JSON.stringify({
    format: 'bodycam-error/1',
    error: {
      code, message, exitCode,
      ...(location.file === undefined ? {} : { file: location.file }),
      ...(location.place === undefined ? {} : { place: location.place }),
    },
  }, null, 2)}\n`;
}

/**
 * A progress bar on stderr, shown only on a TTY and only once the work has taken a second, so
 * short runs and pipes stay quiet. After the bar, an ETA from the rate so far (time taken ×
 * what is left ÷ what is done). The host clock here paces the display, never the replay.
 */
export function progressBar(
  label: string,
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
  nowMs: () => number = () => performance.now(),
): Progress {
  if (stream.isTTY !== true) return NO_PROGRESS;
  const startedMs = nowMs();
  let lastDrawMs = 0;
  let shown = false;
  const draw = (fraction: number, eta: string): void => {
    const width = 30;
    const filled = Math.round(fraction * width);
    // padded to a fixed width, so a shorter ETA (or none, at the end) clears the longer one before it
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%${eta.padEnd(12)}`);
  };
  return {
    update: (fraction) => {
      const now = nowMs();
      if (now - startedMs < 1000 || now - lastDrawMs < 100) return;
      lastDrawMs = now;
      shown = true;
      const elapsedMs = now - startedMs;
      draw(fraction, fraction > 0 && fraction < 1 ? `  ETA ${minutesSeconds((elapsedMs * (1 - fraction)) / fraction)}` : '');
    },
    done: () => {
      if (shown) {
        draw(1, '');
        stream.write('\n');
      }
    },
    clear: () => {
      if (!shown) return;
      stream.write(`\r${' '.repeat(label.length + 48)}\r`);
      lastDrawMs = 0;
    },
  };
}

/**
 * The progress of several jobs as one bar: each job reports its own fraction, the bar shows their
 * mean (a job that settled counts as done).
 */
export function jobsProgress(progress: Progress, jobCount: number): { job: (index: number, fraction: number) => void; settled: (index: number) => void } {
  const fractions = new Array<number>(Math.max(1, jobCount)).fill(0);
  const show = (): void => progress.update(fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length);
  return {
    job: (index, fraction) => {
      fractions[index] = Math.min(1, Math.max(0, fraction));
      show();
    },
    settled: (index) => {
      fractions[index] = 1;
      show();
    },
  };
}

const seconds = (us: number | null): string => (us === null ? '-' : formatUs(us));

/** The human summary of a run. */
export function formatRunSummary(result: RunJobResult, wallMs: number): string {
  const lines: string[] = [];
  const replayedUs = result.endUs;
  const speed = wallMs > 0 ? (replayedUs / 1000 / wallMs).toFixed(1) : '-';
  lines.push(`Replayed ${result.sourceName}: ${result.framesReplayed} frames, ${seconds(replayedUs)} of fixture time in ${(wallMs / 1000).toFixed(2)} s (${speed}x real time)`);
  const reordered = result.framesEncoded.bFrameSource;
  if (reordered !== undefined) lines.push(B_FRAME_NOTE(reordered));
  if (result.recordings.length === 0) lines.push('No recordings.');
  for (const manifest of result.recordings) lines.push(...formatRecording(manifest, result.outDir));
  lines.push(`Events: ${result.eventsFile} (${result.eventCount} events)`);
  return `${lines.join('\n')}\n`;
}

/**
 * Said once per run whose source has B-frames: the device cannot pass them through (its encoder
 * makes none and its buffer evicts GOPs in capture order), so it decodes and re-encodes.
 */
export const B_FRAME_NOTE = (frames: number): string =>
  `Video: the source has B-frames; its ${frames} frames were decoded in presentation order and re-encoded by the device's encoder (a bodycam encodes no B-frames, so none pass through)`;

/** The text summary of a team's run: each camera's recordings under its id, then the bus log. */
export function formatFleetSummary(result: FleetRunResult, wallMs: number): string {
  const lines: string[] = [];
  const speed = wallMs > 0 ? (result.endUs / 1000 / wallMs).toFixed(1) : '-';
  lines.push(`Replayed a team of ${result.devices.length} cameras: ${seconds(result.endUs)} of scenario time in ${(wallMs / 1000).toFixed(2)} s (${speed}x real time)`);
  for (const device of result.devices) {
    lines.push(`Camera ${device.id} (officer ${device.officerId}, ${device.group === null ? 'no group' : `group ${device.group}`}): ${device.recordings.length === 0 ? 'no recordings' : `${device.recordings.length} recording${device.recordings.length === 1 ? '' : 's'}`}`);
    for (const manifest of device.recordings) lines.push(...formatRecording(manifest, device.outDir).map((line) => `  ${line}`));
    lines.push(`  Events: ${device.eventsFile} (${device.eventCount} events)`);
  }
  const sends = result.busLog.filter((event) => event.type === 'bus.send').length;
  lines.push(`Trigger bus: ${result.busLogFile} (${sends} send${sends === 1 ? '' : 's'}, ${result.busLog.length - sends} deliveries)`);
  return `${lines.join('\n')}\n`;
}

function formatRecording(m: RecordingManifest, outDir: string): string[] {
  const limited = m.preRoll.limitedBy === null ? '' : ` (limited by ${m.preRoll.limitedBy})`;
  const status = m.complete ? '' : ' [INCOMPLETE: cut off]';
  const sync = m.avSync === undefined || m.avSync === null ? '' : ` (a/v start ${m.avSync.startErrorUs ?? '-'} µs, end ${m.avSync.endErrorUs ?? '-'} µs, drift ${m.avSync.maxDriftUs} µs)`;
  const audio = m.audio === null ? 'no audio' : `${m.audio.samples} audio samples at ${m.audio.sampleRate} Hz${sync}`;
  return [
    `Recording ${m.id}${status}`,
    `  trigger ${seconds(m.trigger.atUs)} by ${m.trigger.source === 'signal' ? `signal ${m.trigger.signal ?? ''} from ${m.trigger.sender ?? ''}` : m.trigger.source}, stop ${seconds(m.stop.atUs)} (${m.stop.reason})`,
    `  pre-roll ${seconds(m.preRoll.actualUs)} of ${seconds(m.preRoll.requestedUs)}${limited}`,
    `  ${m.video.frames} frames ${m.video.width}x${m.video.height}, first ${seconds(m.video.firstFrameUs)}, last ${seconds(m.video.lastFrameUs)}; ${audio}`,
    ...(m.lost === undefined || m.lost === null ? [] : [
      `  LOST ${m.lost.frames} frames${m.lost.audio === undefined ? '' : ` and ${m.lost.audio.samples} audio samples`} captured from ${seconds(m.lost.fromUs)} to ${seconds(m.lost.toUs)} (${m.lost.reason})`,
    ]),
    `  ${outDir}/recordings/${m.file} (${m.bytes} bytes)`,
  ];
}
