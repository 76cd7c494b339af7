/** The expectation language rejects what it does not know, in one line naming expect[i].key. */
import { describe, expect, it } from 'vitest';
import { parseExpectations } from '../../src/check/index.js';
import { BodycamError } from '../../src/errors/index.js';

function rejection(raw: unknown): string {
  try {
    parseExpectations([{ recordings: 1 }, raw], 's.json');
  } catch (error) {
    expect(error).toBeInstanceOf(BodycamError);
    expect((error as BodycamError).code).toBe('bad-input');
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a bad-input error');
}

describe('parseExpectations', () => {
  it('keeps the contract forms and normalises them to µs', () => {
    const parsed = parseExpectations([
      { recordings: 2 },
      { recording: 1, preRollSeconds: 30, tolerance: 0.034 },
      { recording: 1, stopReason: 'button' },
      { at: 45.1, led: 'record', color: 'red' },
      { noFrameDrops: true },
    ], 's.json');
    expect(parsed.map((e) => e.spec)).toEqual([
      { kind: 'recording-count', count: 2 },
      { kind: 'recording-time', recording: 1, field: 'preRoll', expectedUs: 30_000_000, toleranceUs: 34_000, unit: 'seconds' },
      { kind: 'recording-stop-reason', recording: 1, reason: 'button' },
      { kind: 'led-at', look: { led: 'record', color: 'red', solid: null }, atUs: 45_100_000 },
      { kind: 'frame-drops', count: 0, reason: null },
    ]);
    expect(parsed.map((e) => e.place)).toEqual(['expect[0]', 'expect[1].preRollSeconds', 'expect[2].stopReason', 'expect[3]', 'expect[4]']);
  });

  it('turns one recording object with several properties into one assertion each', () => {
    const parsed = parseExpectations([{ recording: 2, frames: 10, stopReason: 'button', firstFrameUs: 5 }], 's.json');
    expect(parsed.map((e) => e.place)).toEqual(['expect[0].firstFrameUs', 'expect[0].frames', 'expect[0].stopReason']);
  });

  it('rejects unknown keys, naming expect[i].key and the closest known key', () => {
    expect(rejection({ recording: 1, preRollSecond: 30 })).toMatch(/^s\.json: expect\[1\]\.preRollSecond: expected only the keys recording, preRollSeconds, .* found unknown key "preRollSecond" \(did you mean "preRollSeconds"\?\)$/);
    expect(rejection({ at: 1, led: 'record', color: 'red', colour: 'red' })).toContain('expect[1].colour:');
    expect(rejection({ led: 'record', color: 'red', within: 0.1, after: { gestur: 'record-press' } })).toContain('s.json: expect[1].after: expected exactly one of the keys gesture, press');
    expect(rejection({ led: 'record', color: 'red', within: 0.1, after: { gesture: 'record-press', nth: 1 } })).toContain('expect[1].after.nth: expected only the keys gesture, occurrence');
  });

  it('rejects objects with no kind, or two', () => {
    expect(rejection({ tolerance: 1 })).toBe('s.json: expect[1]: expected exactly one of the keys recordings, recording, led, state, gesture, noFrameDrops, frameDrops, faults (like {"recordings": 1}), found no such key (keys: tolerance)');
    expect(rejection({ recordings: 1, noFrameDrops: true })).toContain('found "recordings" and "noFrameDrops"');
    expect(rejection(3)).toBe('s.json: expect[1]: expected an assertion object like {"recordings": 1}, found 3');
  });

  it('rejects bad values with what was expected', () => {
    expect(rejection({ recording: 0, frames: 1 })).toBe('s.json: expect[1].recording: expected a recording number from 1 (in trigger order), found 0');
    expect(rejection({ recording: 1, stopReason: 'bored' })).toContain('expect[1].stopReason: expected one of "button"');
    // outputs carry only the contract's reasons; the finer ones are stop details
    expect(rejection({ recording: 1, stopReason: 'dock' })).toContain('expect[1].stopReason: expected one of "button"');
    expect(rejection({ recording: 1, stopDetail: 'bored' })).toContain('expect[1].stopDetail: expected one of "write-failure"');
    // a mistyped fault code would make an assertion that can never fail
    expect(rejection({ faults: 0, code: 'storgae-fail' })).toContain('expect[1].code: expected one of "storage-fail"');
    expect(rejection({ noFrameDrops: false })).toBe('s.json: expect[1].noFrameDrops: expected true (to expect drops, write {"frameDrops": N}), found false');
    expect(rejection({ recording: 1, preRollUs: 1.5 })).toContain('expect[1].preRollUs: expected a whole number of microseconds');
    expect(rejection({ at: -1, state: 'recording' })).toContain('expect[1].at: expected a time in seconds');
    expect(rejection({ at: 1, state: 'filming' })).toContain('expect[1].state: expected one of "off", "booting", "standby", "recording"');
  });

  it('rejects combinations that do not mean anything', () => {
    expect(rejection({ recording: 1 })).toBe('s.json: expect[1]: expected a property to check besides "recording", like "preRollSeconds" or "stopReason", found none');
    expect(rejection({ recording: 1, stopReason: 'button', tolerance: 0.1 })).toContain('expect[1].tolerance: expected a tolerance only beside a time');
    expect(rejection({ recording: 1, preRollSeconds: 30, preRollUs: 30 })).toContain('expect[1].preRollUs: expected either "preRollSeconds" or "preRollUs"');
    expect(rejection({ recording: 1, preRollSeconds: 30, tolerance: 1, toleranceUs: 1 })).toContain('expect[1].toleranceUs:');
    expect(rejection({ led: 'record', color: 'red' })).toContain('expect[1]: expected exactly one of "at" (seconds), "after"');
    expect(rejection({ led: 'record', color: 'red', at: 1, during: { recording: 1 } })).toContain('found more than one');
    expect(rejection({ led: 'record', color: 'red', during: { recording: 1 }, within: 1 })).toContain('expect[1].within:');
    expect(rejection({ gesture: 'marker', count: 1, within: 1 })).toContain('expect[1].count: expected either "within" or "count"');
  });
});
