/** The one error type: messages are always one line, whatever bytes a broken input puts in them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodycamError, exitCodeFor } from '../../src/errors/index.js';

describe('BodycamError', () => {
  it('formats bad input as file: place: expected X, found Y', () => {
    const error = BodycamError.badInput({ file: 'a.json', place: 'events[2].at' }, 'a number of seconds', '"soon"');
    expect(error.message).toBe('a.json: events[2].at: expected a number of seconds, found "soon"');
    expect(exitCodeFor(error.code)).toBe(2);
  });

  it('escapes control characters quoted from a file, so the message stays one line', () => {
    const error = BodycamError.badInput({ file: 'x.wav', place: 'f\nm\u0007 chunk' }, 'a chunk', 'bytes\r\n\u0000\u009b\tend');
    expect(error.message).toBe('x.wav: f\\nm\\x07 chunk: expected a chunk, found bytes\\r\\n\\x00\\x9b\\tend');
  });

  it('never contains a line break or control character, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (place, found) => {
      const { message } = BodycamError.badInput({ file: 'f', place }, 'x', found);
      expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }), { numRuns: 500 });
  });
});
