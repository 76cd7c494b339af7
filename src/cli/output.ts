/** Terminal output helpers: error lines, a progress bar, and the run summary. */
import { exitCodeFor, isBodycamError } from '../errors/index.js';
import type { RecordingManifest } from '../recorder/index.js';
import type { RunJobResult } from '../sim/index.js';
import { formatUs } from '../time/index.js';

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

/**
 * A progress bar on stderr, shown only on a TTY and only once the work has taken a second, so
 * short runs and pipes stay quiet. The host clock here paces the display, never the replay.
 */
export function progressBar(
  label: string,
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
  nowMs: () => number = () => performance.now(),
): { update: (fraction: number) => void; done: () => void } {
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const startedMs = nowMs();
  let lastDrawMs = 0;
  let shown = false;
  const draw = (fraction: number): void => {
    const width = 30;
    const filled = Math.round(fraction * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
  };
  return {
    update: (fraction) => {
      const now = nowMs();
      if (now - startedMs < 1000 || now - lastDrawMs < 100) return;
      lastDrawMs = now;
      shown = true;
      draw(fraction);
    },
    done: () => {
      if (shown) {
        draw(1);
        stream.write('\n');
      }
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
  if (result.recordings.length === 0) lines.push('No recordings.');
  for (const manifest of result.recordings) lines.push(...formatRecording(manifest, result.outDir));
  lines.push(`Events: ${result.eventsFile} (${result.eventCount} events)`);
  return `${lines.join('\n')}\n`;
}

function formatRecording(m: RecordingManifest, outDir: string): string[] {
  const limited = m.preRoll.limitedBy === null ? '' : ` (limited by ${m.preRoll.limitedBy})`;
  const status = m.complete ? '' : ' [INCOMPLETE: cut off]';
  const sync = m.avSync === undefined || m.avSync === null ? '' : ` (a/v start ${m.avSync.startErrorUs ?? '-'} µs, end ${m.avSync.endErrorUs ?? '-'} µs, drift ${m.avSync.maxDriftUs} µs)`;
  const audio = m.audio === null ? 'no audio' : `${m.audio.samples} audio samples at ${m.audio.sampleRate} Hz${sync}`;
  return [
    `Recording ${m.id}${status}`,
    `  trigger ${seconds(m.trigger.atUs)} by ${m.trigger.source}, stop ${seconds(m.stop.atUs)} (${m.stop.reason})`,
    `  pre-roll ${seconds(m.preRoll.actualUs)} of ${seconds(m.preRoll.requestedUs)}${limited}`,
    `  ${m.video.frames} frames ${m.video.width}x${m.video.height}, first ${seconds(m.video.firstFrameUs)}, last ${seconds(m.video.lastFrameUs)}; ${audio}`,
    ...(m.lost === undefined || m.lost === null ? [] : [`  LOST ${m.lost.frames} frames captured from ${seconds(m.lost.fromUs)} to ${seconds(m.lost.toUs)} (${m.lost.reason})`]),
    `  ${outDir}/recordings/${m.file} (${m.bytes} bytes)`,
  ];
}
