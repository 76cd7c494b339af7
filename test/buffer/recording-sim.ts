/**
 * A minimal recorder for the seam tests. Capture pushes frames and audio at their times. At each
 * trigger a recording takes its pre-roll (a reader from `startSeq`) and drains it through a
 * {@link StorageDrain} in virtual time while capture keeps pushing; at its stop it calls
 * `stopAt(nextSeq)`, writes its backlog and closes. Several recordings may drain at once.
 */
import { PreRecordBuffer, StorageDrain, type BufferEntry, type BufferEntryInput, type BufferReader, type PreRollSelection } from '../../src/buffer/index.js';

export interface CapturePush {
  readonly atUs: number;
  readonly entry: BufferEntryInput;
}

export interface RecordingPlan {
  readonly triggerUs: number;
  readonly stopUs: number;
  readonly overlap: 'allow' | 'trim';
}

export interface WrittenEntry {
  readonly seq: number;
  readonly kind: 'video' | 'audio';
  readonly captureUs: number;
  readonly durationUs: number;
  readonly pushedUs: number;
  readonly bytes: number;
  readonly writtenUs: number;
  readonly payloadIntact: boolean;
}

export interface RecordingResult {
  readonly plan: RecordingPlan;
  readonly selection: PreRollSelection;
  readonly previousLastFrameUs: number | null;
  readonly written: WrittenEntry[];
}

export interface SimResult {
  readonly recordings: RecordingResult[];
  /** Pushes that stored nothing, with the reason. */
  readonly failed: { readonly atUs: number; readonly entry: BufferEntryInput; readonly reason: string }[];
}

/** Video payloads are stamped with their capture time, audio with capture time + 1. */
export function stamp(size: number, tag: number): Uint8Array {
  const payload = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) payload[i] = (tag * 131 + i * 7 + 1) & 0xff;
  return payload;
}

function intact(entry: BufferEntry): boolean {
  const expected = stamp(entry.payload.length, entry.kind === 'video' ? entry.captureUs : entry.captureUs + 1);
  return entry.payload.every((byte, i) => byte === expected[i]);
}

interface Active {
  readonly result: RecordingResult;
  readonly reader: BufferReader;
  stopped: boolean;
  /** Whether a keyframe was written yet: a recording cannot start on a P-frame. */
  started: boolean;
}

/** Runs capture `pushes` (sorted by `atUs`) with recordings `plans` (sorted; each stops before the next starts). */
export function simulate(buffer: PreRecordBuffer, drain: StorageDrain, pushes: readonly CapturePush[], plans: readonly RecordingPlan[]): SimResult {
  const recordings: RecordingResult[] = [];
  const failed: SimResult['failed'] = [];
  const draining: Active[] = [];
  let current: Active | undefined;
  let previousLastFrameUs: number | null = null;
  let lastAcceptedVideoUs: number | null = null;

  const drainUntil = (nowUs: number): void => {
    for (const active of [...draining]) {
      const firstFrameUs = active.result.selection.firstFrameUs;
      drain.drainUntil(
        active.reader,
        nowUs,
        (entry, writtenUs) => {
          if (entry.kind === 'video') active.started = true;
          active.result.written.push({
            seq: entry.seq, kind: entry.kind, captureUs: entry.captureUs, durationUs: entry.durationUs,
            pushedUs: entry.pushedUs, bytes: entry.payload.length, writtenUs, payloadIntact: intact(entry),
          });
          return 'continue';
        },
        {
          // The read may start at audio that covers the first frame: skip what lies before it.
          // With nothing buffered it starts at the trigger: skip P-frames until a keyframe.
          skip: (e) => e.kind === 'video'
            ? (firstFrameUs !== null && e.captureUs < firstFrameUs) || (!active.started && !e.keyframe)
            : firstFrameUs !== null && e.captureUs + e.durationUs <= firstFrameUs,
        },
      );
      if (active.stopped && active.reader.peek() === undefined) {
        active.reader.close();
        draining.splice(draining.indexOf(active), 1);
      }
    }
  };

  const stop = (nowUs: number): void => {
    if (current === undefined) return;
    current.stopped = true;
    current.reader.stopAt(buffer.nextSeq);
    const startUs = current.result.selection.firstFrameUs ?? current.result.plan.triggerUs;
    if (lastAcceptedVideoUs !== null && lastAcceptedVideoUs >= startUs) previousLastFrameUs = lastAcceptedVideoUs;
    current = undefined;
    drainUntil(nowUs);
  };
  const trigger = (plan: RecordingPlan): void => {
    const selection = buffer.selectPreRoll({ triggerUs: plan.triggerUs, overlap: plan.overlap, previousLastFrameUs });
    const result: RecordingResult = { plan, selection, previousLastFrameUs, written: [] };
    recordings.push(result);
    current = { result, reader: buffer.openReader(selection.startSeq ?? buffer.nextSeq, plan.triggerUs), stopped: false, started: false };
    draining.push(current);
  };

  // One timeline: clock actions at an instant run before the entries pushed at it.
  const controls = plans.flatMap((plan) => [
    { atUs: plan.triggerUs, run: () => trigger(plan) },
    { atUs: plan.stopUs, run: () => stop(plan.stopUs) },
  ]);
  let pushIndex = 0;
  let controlIndex = 0;
  let lastUs = 0;
  while (pushIndex < pushes.length || controlIndex < controls.length) {
    const push = pushes[pushIndex];
    const control = controls[controlIndex];
    if (control !== undefined && (push === undefined || control.atUs <= push.atUs)) {
      drainUntil(control.atUs);
      control.run();
      controlIndex += 1;
      continue;
    }
    const { atUs, entry } = push!;
    drainUntil(atUs);
    const pushed = buffer.push(entry, atUs);
    if (!pushed.ok) failed.push({ atUs, entry, reason: pushed.reason });
    else if (entry.kind === 'video') lastAcceptedVideoUs = entry.captureUs;
    lastUs = Math.max(lastUs, atUs);
    pushIndex += 1;
  }
  stop(lastUs);
  // Capture is over: the storage catches up with every backlog.
  while (draining.length > 0) {
    const doneUs = Math.max(...draining.map((active) => drain.backlogDoneUs(active.reader, lastUs)));
    const before = draining.length;
    drainUntil(doneUs);
    if (draining.length === before) throw new Error('the drain made no progress');
  }
  return { recordings, failed };
}

/** A capture stream: frames every `frameUs` (sizes from `frameBytes(i)`, keyframe every `gop`), audio chunks of `audioUs`. */
export function captureStream(options: {
  untilUs: number; frameUs: number; frameBytes: (index: number) => number; gop?: number; audioUs?: number; audioBytes?: number; lagUs?: number;
}): CapturePush[] {
  const { untilUs, frameUs, frameBytes, gop = 1, audioUs = 0, audioBytes = 640, lagUs = 0 } = options;
  const pushes: CapturePush[] = [];
  for (let i = 0, t = 0; t < untilUs; i += 1, t = i * frameUs) {
    pushes.push({
      atUs: t + lagUs,
      entry: { kind: 'video', captureUs: t, durationUs: frameUs, keyframe: i % gop === 0, payload: stamp(frameBytes(i), t), sampleCount: 0 },
    });
  }
  for (let t = 0; audioUs > 0 && t + audioUs <= untilUs; t += audioUs) {
    pushes.push({
      atUs: t + audioUs,
      entry: { kind: 'audio', captureUs: t, durationUs: audioUs, keyframe: true, payload: stamp(audioBytes, t + 1), sampleCount: Math.round(audioUs / 62.5) },
    });
  }
  return pushes.sort((x, y) => x.atUs - y.atUs || (x.entry.kind === 'audio' ? -1 : 1));
}
