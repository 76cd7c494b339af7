/**
 * A fixture replayed in a loop (live mode): when it ends, frames continue from frame 0 with their
 * capture times offset by whole loops, so fixture time never goes backwards. The loop length is
 * the fixture's end, rounded up so that a loop holds a whole number of audio samples (the audio
 * loops with the video and its sample clock stays exact). Pure.
 */
import { assertArgument } from '../errors/index.js';

/** The timing of a looped fixture. */
export interface FixtureLoop {
  readonly frameCount: number;
  /** Capture times of the fixture's frames (loop 0), strictly increasing. */
  readonly captureUs: readonly number[];
  /** Length of one loop, µs: loop `k` is offset by `k * loopUs`. */
  readonly loopUs: number;
}

/** One frame of the endless stream. */
export interface LoopedFrame {
  /** Position in the endless stream (0, 1, 2, ...). */
  readonly position: number;
  readonly loop: number;
  /** The fixture's frame index. */
  readonly index: number;
  readonly captureUs: number;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** The smallest length at or after `endUs` that holds a whole number of samples at `sampleRate` (µs). */
export function loopLengthUs(endUs: number, sampleRate: number | null): number {
  assertArgument(Number.isSafeInteger(endUs) && endUs > 0, 'endUs', 'a positive integer number of microseconds', endUs);
  if (sampleRate === null) return endUs;
  assertArgument(Number.isSafeInteger(sampleRate) && sampleRate > 0, 'sampleRate', 'a positive integer', sampleRate);
  const stepUs = 1_000_000 / gcd(sampleRate, 1_000_000);
  return Math.ceil(endUs / stepUs) * stepUs;
}

/** The loop of a fixture whose frames are captured at `captureUs` and which ends at `endUs`. */
export function fixtureLoop(captureUs: readonly number[], endUs: number, sampleRate: number | null): FixtureLoop {
  assertArgument(captureUs.length > 0, 'captureUs', 'at least one frame');
  const lastUs = captureUs[captureUs.length - 1] ?? 0;
  assertArgument(endUs > lastUs, 'endUs', `an end after the last frame (${lastUs} µs)`, endUs);
  return { frameCount: captureUs.length, captureUs, loopUs: loopLengthUs(endUs, sampleRate) };
}

/** Frame `position` of the endless stream. */
export function loopedFrame(loop: FixtureLoop, position: number): LoopedFrame {
  assertArgument(Number.isSafeInteger(position) && position >= 0, 'position', 'a non-negative integer', position);
  const loopIndex = Math.floor(position / loop.frameCount);
  const index = position - loopIndex * loop.frameCount;
  return { position, loop: loopIndex, index, captureUs: loopIndex * loop.loopUs + (loop.captureUs[index] ?? 0) };
}
