/**
 * The reference model of the whole recording pipeline (issue 14): the buffer's reference model
 * (test/buffer/reference-buffer.ts: plain arrays), a card that writes one entry after another in
 * virtual time, and recordings that hold what the card wrote. Every rule is written the obvious
 * way, as contract §4 and §12 state it:
 *
 * - frames are keyframes or P-frames (GOPs of any length, up to longer than the whole buffer); a
 *   recording starts with a keyframe: P-frames it reads before its first keyframe are skipped
 *   (never written, and they cost the card nothing); `preRollStart` picks the pre-roll's keyframe;
 * - a frame is pushed at its capture instant, after the card has written everything it finished
 *   by then (written entries free their room); control actions at an instant come first;
 * - a frame captured less than 100 µs after the last one kept is refused (`too-close`);
 * - a trigger takes the pre-roll the rule gives and reads from there; a stop ends the range at the
 *   next frame; the card writes an entry no earlier than its push, the trigger and the end of the
 *   previous write, taking ceil(bytes * 1e6 / rate) µs; each recording has its own card queue;
 * - a recording loses exactly the frames captured while it runs that the buffer refuses, and, when
 *   it is cut off (power cut, storage failure), what the card had not written plus the frames
 *   written but not yet in a whole cluster of the file.
 *
 * Where a cut-off file ends depends on the container's cluster boundaries; the model takes that
 * count from the real file (`fileFramesAtCut`) and the test checks the file is a prefix of what
 * the card wrote.
 */
import type { PreRollStart, PushFailureReason } from '../../src/buffer/index.js';
import { TRIGGER_HEADROOM_FRAMES } from '../../src/camera/camera-host.js';
import { ReferenceBuffer, type ModelReader } from '../buffer/reference-buffer.js';

/** The device's settings that the pipeline depends on. */
export interface PipelineParams {
  readonly bufferBytes: number;
  readonly preRecordUs: number;
  readonly slotCount: number;
  readonly bytesPerSecond: number;
  readonly overlap: 'allow' | 'trim';
  readonly preRollStart: PreRollStart;
}

/** One thing that happens at an instant. Frames carry an index, stamped into their payload. */
export type PipelineOp =
  | { readonly kind: 'frame'; readonly atUs: number; readonly index: number; readonly size: number; readonly keyframe?: boolean }
  | { readonly kind: 'trigger' | 'stop' | 'power-cut' | 'power-on' | 'storage-fail' | 'storage-ok'; readonly atUs: number };

/** A frame lost to a recording, and why. */
export interface ModelLoss {
  readonly index: number;
  readonly captureUs: number;
  readonly reason: string;
}

/** What the model says one recording holds. */
export interface ModelRecording {
  readonly triggerUs: number;
  /** Frame indices the card wrote, in order (for a cut-off recording, the file holds a prefix). */
  readonly written: number[];
  readonly lost: ModelLoss[];
  complete: boolean;
  /** The first frame and the end of the span (stop or cut): every frame captured in between is written or lost. */
  firstFrameUs: number | null;
  endUs: number | null;
  preRollLimitedBy: string | null;
  preRollActualUs: number;
  /** It started while an earlier recording was still being written. */
  overlapped: boolean;
}

interface OpenRecording {
  readonly result: ModelRecording;
  readonly reader: ModelReader;
  readonly openedUs: number;
  writeEndUs: number;
  stopped: boolean;
}

/** Minimum spacing of frames a recording can hold (the container's 0.1 ms tick). */
export const MIN_FRAME_SPACING_US = 100;

/** Runs the model; `fileFramesAtCut(i)` is how many frames recording `i`'s cut-off file holds. */
export function runModel(params: PipelineParams, ops: readonly PipelineOp[], endUs: number, fileFramesAtCut: (recording: number) => number): ModelRecording[] {
  const buffer = new ReferenceBuffer(params.bufferBytes, params.preRecordUs, params.slotCount, params.preRollStart);
  const recordings: ModelRecording[] = [];
  const open: OpenRecording[] = [];
  let current: OpenRecording | null = null;
  let buffering = true;
  let storageFailed = false;
  let lastVideoUs: number | null = null;
  let previousLastFrameUs: number | null = null;
  const captureOf = new Map<number, { index: number; captureUs: number; keyframe: boolean }>();
  /** Every frame refused since the last power cut: one inside a later pre-roll is that recording's loss too. */
  let drops: ModelLoss[] = [];
  /** The largest frame pushed since the last power cut: a trigger first frees that much room (times the headroom). */
  let largestFrameBytes = 0;

  const writeDurationUs = (bytes: number): number => Math.ceil((bytes * 1_000_000) / params.bytesPerSecond);

  /** The card writes, for every open recording, each entry whose write has ended by `nowUs`. */
  const drain = (nowUs: number): void => {
    for (const rec of [...open]) {
      for (;;) {
        const readable = rec.reader.nextSeq < Math.min(rec.reader.endSeq, buffer.nextSeq);
        const entry = readable ? buffer.held.find((e) => e.seq === rec.reader.nextSeq) : undefined;
        if (entry === undefined) break;
        if (rec.result.written.length === 0 && !entry.keyframe) {
          // A recording starts with a keyframe: P-frames before its first are not written; one
          // captured after the trigger is a frame the recording should have had: lost.
          if (entry.captureUs >= rec.result.triggerUs) rec.result.lost.push({ index: captureOf.get(entry.seq)!.index, captureUs: entry.captureUs, reason: 'no-keyframe' });
          rec.reader.nextSeq += 1;
          continue;
        }
        const endUs = Math.max(entry.pushedUs, rec.openedUs, rec.writeEndUs) + writeDurationUs(entry.payload.length);
        if (endUs > nowUs) break;
        rec.writeEndUs = endUs;
        rec.result.written.push(captureOf.get(entry.seq)!.index);
        rec.result.firstFrameUs ??= entry.captureUs;
        rec.reader.nextSeq += 1;
      }
      if (rec.stopped && rec.reader.nextSeq >= rec.reader.endSeq) close(rec, true);
    }
  };

  const close = (rec: OpenRecording, complete: boolean): void => {
    rec.result.complete = complete;
    open.splice(open.indexOf(rec), 1);
    buffer.readers.splice(buffer.readers.indexOf(rec.reader), 1);
  };

  /** A power cut or storage failure: every open recording ends where it is. */
  const cutOff = (atUs: number, reason: string): void => {
    drain(atUs);
    for (const rec of [...open]) {
      const number = recordings.indexOf(rec.result);
      const inFile = fileFramesAtCut(number);
      const lostUs: ModelLoss[] = [];
      for (const index of rec.result.written.slice(inFile)) lostUs.push({ index, captureUs: captureUsOf(index), reason });
      let started = rec.result.written.length > 0;
      for (let seq = rec.reader.nextSeq; seq < Math.min(rec.reader.endSeq, buffer.nextSeq); seq += 1) {
        const frame = captureOf.get(seq)!;
        // Still waiting for its first keyframe: a P-frame before the trigger is not this recording's.
        if (!started && !frame.keyframe && frame.captureUs < rec.result.triggerUs) continue;
        started ||= frame.keyframe;
        lostUs.push({ index: frame.index, captureUs: frame.captureUs, reason });
      }
      rec.result.lost.push(...lostUs);
      rec.result.written.splice(inFile);
      if (rec === current) {
        previousLastFrameUs = inFile > 0 ? captureUsOf(rec.result.written[inFile - 1]!) : null;
        current = null;
      }
      rec.result.endUs ??= atUs;
      close(rec, false);
    }
  };

  const captureUsByIndex = new Map<number, number>();
  const captureUsOf = (index: number): number => captureUsByIndex.get(index)!;

  const push = (op: Extract<PipelineOp, { kind: 'frame' }>): void => {
    captureUsByIndex.set(op.index, op.atUs);
    if (!buffering) return;
    drain(op.atUs);
    const lose = (reason: string): void => {
      current?.result.lost.push({ index: op.index, captureUs: op.atUs, reason });
      drops.push({ index: op.index, captureUs: op.atUs, reason });
    };
    if (lastVideoUs !== null && op.atUs - lastVideoUs < MIN_FRAME_SPACING_US) return lose('too-close');
    const result = buffer.push(
      { kind: 'video', captureUs: op.atUs, durationUs: 0, keyframe: op.keyframe ?? true, payload: framePayload(op.index, op.size), sampleCount: 0 },
      op.atUs,
    );
    if (!result.ok) return lose(result.reason satisfies PushFailureReason);
    lastVideoUs = op.atUs;
    largestFrameBytes = Math.max(largestFrameBytes, op.size);
    captureOf.set(result.seq, { index: op.index, captureUs: op.atUs, keyframe: op.keyframe ?? true });
    drain(op.atUs);
  };

  const controls: Record<Exclude<PipelineOp['kind'], 'frame'>, (atUs: number) => void> = {
    trigger: (atUs) => {
      if (current !== null || storageFailed) return;
      drain(atUs);
      buffer.makeRoom(TRIGGER_HEADROOM_FRAMES * largestFrameBytes);
      const selection = buffer.select({ triggerUs: atUs, overlap: params.overlap, previousLastFrameUs });
      const fromSeq = selection.startSeq ?? buffer.nextSeq;
      const reader: ModelReader = { nextSeq: fromSeq, endSeq: Infinity, fromSeq };
      buffer.readers.push(reader);
      const result: ModelRecording = {
        triggerUs: atUs, written: [], lost: [], complete: false, firstFrameUs: null, endUs: null,
        preRollLimitedBy: selection.limitedBy, preRollActualUs: selection.actualUs, overlapped: open.length > 0,
      };
      recordings.push(result);
      const firstUs = selection.firstFrameUs ?? atUs;
      result.lost.push(...drops.filter((d) => d.captureUs >= firstUs && d.captureUs < atUs));
      current = { result, reader, openedUs: atUs, writeEndUs: -Infinity, stopped: false };
      open.push(current);
      drain(atUs);
    },
    stop: (atUs) => {
      if (current === null) return;
      current.stopped = true;
      current.reader.endSeq = buffer.nextSeq;
      current.result.endUs = atUs;
      previousLastFrameUs = lastVideoUs;
      current = null;
      drain(atUs);
    },
    'power-cut': (atUs) => {
      buffering = false;
      cutOff(atUs, 'power-cut');
      buffer.clear();
      drops = [];
      largestFrameBytes = 0;
    },
    'power-on': () => {
      buffering = true;
    },
    'storage-fail': (atUs) => {
      storageFailed = true;
      cutOff(atUs, 'storage');
    },
    'storage-ok': () => {
      storageFailed = false;
    },
  };

  for (const op of ops) {
    if (op.kind === 'frame') push(op);
    else controls[op.kind](op.atUs);
  }
  // The end of the input: the running recording stops, then the card writes every backlog.
  controls.stop(endUs);
  drain(Number.MAX_SAFE_INTEGER);
  if (open.length > 0) throw new Error('model: a recording never finished draining');
  return recordings;
}

/** A frame's payload: its index in the first 4 bytes, then a pattern from it. */
export function framePayload(index: number, size: number): Uint8Array {
  const payload = new Uint8Array(size);
  new DataView(payload.buffer).setUint32(0, index, true);
  for (let i = 4; i < size; i += 1) payload[i] = (index * 131 + i * 7) & 0xff;
  return payload;
}

/** The index stamped into a payload, or -1 when the rest of the payload is not that frame's pattern. */
export function payloadIndex(payload: Uint8Array): number {
  if (payload.length < 4) return -1;
  const index = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0, true);
  for (let i = 4; i < payload.length; i += 1) if (payload[i] !== ((index * 131 + i * 7) & 0xff)) return -1;
  return index;
}
