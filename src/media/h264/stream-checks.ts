/**
 * Checks over a stream of length-prefixed H.264 frames in decode order: which are key frames,
 * which hold B slices (a bodycam encodes none, so a device re-encodes such a source rather than
 * passing it through), and a parameter set that changes mid-stream (one avcC describes a whole
 * recording). Pure.
 */
import { type AvcConfig, parameterSets, sameBytes } from './avc-config.js';
import { holdsIdr, splitLengthPrefixed } from './nal-units.js';
import { sliceKind } from './sps.js';

/** The first frame that breaks a rule, and how. */
export interface StreamFault {
  readonly frameIndex: number;
  readonly expected: string;
  readonly found: string;
}

/** What a stream's frames are: key (IDR) or not, each, and which hold B slices. */
export interface StreamFacts {
  readonly keyframes: readonly boolean[];
  /** How many frames hold a B slice. */
  readonly bFrames: number;
  /** The first frame (decode order) holding a B slice, or null. */
  readonly firstBFrame: number | null;
}

/**
 * Walks `frames` against `config`: every frame must split into NAL units, and any SPS/PPS it
 * carries in-band must be the config's (byte for byte). Returns the first fault, or the frames'
 * key flags and B-frame count.
 */
export function checkStream(frames: readonly Uint8Array[], config: AvcConfig): StreamFault | StreamFacts {
  const keyframes: boolean[] = [];
  let bFrames = 0;
  let firstBFrame: number | null = null;
  for (let index = 0; index < frames.length; index += 1) {
    let units: Uint8Array[];
    try {
      units = splitLengthPrefixed(frames[index] as Uint8Array, config.lengthSize);
    } catch (error) {
      return { frameIndex: index, expected: `NAL units with ${config.lengthSize}-byte lengths`, found: (error as Error).message };
    }
    if (units.some((unit) => sliceKind(unit) === 'B')) {
      bFrames += 1;
      firstBFrame ??= index;
    }
    const inBand = parameterSets(units);
    const changed = changedSet(inBand.sps, config.sps, 'SPS') ?? changedSet(inBand.pps, config.pps, 'PPS');
    if (changed !== null) return { frameIndex: index, expected: `the stream's one ${changed} (as its avcC holds it)`, found: `a different ${changed} mid-stream` };
    keyframes.push(holdsIdr(units));
  }
  return { keyframes, bFrames, firstBFrame };
}

function changedSet(inBand: readonly Uint8Array[], known: readonly Uint8Array[], name: string): string | null {
  return inBand.every((unit) => known.some((other) => sameBytes(unit, other))) ? null : name;
}

/** True when `result` is a fault. */
export function isStreamFault(result: StreamFault | StreamFacts): result is StreamFault {
  return 'frameIndex' in result;
}
