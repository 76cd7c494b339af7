import { closeSync, openSync, readFileSync, writeFileSync, writevSync as realWritevSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { writePartsAt } from '../../src/container/fd-io.js';
import { tempDir } from './helpers.js';

// The kernel rarely writes short to a regular file, so the test makes it: at most 7 bytes per call.
const shortWrites = vi.hoisted(() => ({ on: false, stuck: false, calls: 0, maxBuffers: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writevSync: (fd: number, buffers: readonly NodeJS.ArrayBufferView[], position?: number): number => {
      shortWrites.calls += 1;
      shortWrites.maxBuffers = Math.max(shortWrites.maxBuffers, buffers.length);
      if (shortWrites.stuck) return 0;
      if (!shortWrites.on) return fs.writevSync(fd, buffers, position);
      const first = buffers[0] as Uint8Array;
      return fs.writevSync(fd, [first.subarray(0, Math.min(7, first.length))], position);
    },
  };
});

function partsOf(sizes: readonly number[]): Uint8Array[] {
  let next = 0;
  return sizes.map((size) => Uint8Array.from({ length: size }, () => (next++ * 31) & 0xff));
}

function joined(parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

describe('writePartsAt', () => {
  it('writes the parts back to back at the offset, across short writes and empty parts', () => {
    const path = join(tempDir(), 'short.bin');
    writeFileSync(path, Buffer.alloc(10, 0xee));
    const parts = partsOf([3, 0, 20, 1, 0, 9, 64]);
    const fd = openSync(path, 'r+');
    shortWrites.on = true;
    shortWrites.calls = 0;
    try {
      expect(writePartsAt(fd, path, 4, parts)).toBe(97);
    } finally {
      shortWrites.on = false;
      closeSync(fd);
    }
    expect(shortWrites.calls).toBeGreaterThan(parts.length); // the loop really resumed mid-part
    expect(readFileSync(path)).toEqual(Buffer.concat([Buffer.alloc(4, 0xee), joined(parts)]));
  });

  it('splits more buffers than one writev takes (IOV_MAX) into several calls', () => {
    const path = join(tempDir(), 'many.bin');
    const parts = partsOf(Array.from({ length: 2500 }, (_, i) => 1 + (i % 5)));
    const fd = openSync(path, 'w');
    shortWrites.maxBuffers = 0;
    try {
      writePartsAt(fd, path, 0, parts);
    } finally {
      closeSync(fd);
    }
    expect(shortWrites.maxBuffers).toBe(1024);
    expect(readFileSync(path)).toEqual(joined(parts));
    expect(realWritevSync).toBeTypeOf('function');
  });

  it('fails instead of looping when the system writes nothing', () => {
    const path = join(tempDir(), 'stuck.bin');
    const fd = openSync(path, 'w');
    shortWrites.stuck = true;
    try {
      expect(() => writePartsAt(fd, path, 0, partsOf([4, 4]))).toThrow(/at byte 0: the system wrote 0 bytes/);
    } finally {
      shortWrites.stuck = false;
      closeSync(fd);
    }
  });

  it('names the file and the byte when the write fails, in one line', () => {
    const path = join(tempDir(), 'readonly.bin');
    writeFileSync(path, 'x');
    const fd = openSync(path, 'r');
    let caught: unknown;
    try {
      writePartsAt(fd, path, 1, partsOf([5]));
    } catch (error) {
      caught = error;
    } finally {
      closeSync(fd);
    }
    expect(caught).toBeInstanceOf(BodycamError);
    expect((caught as BodycamError).message).toMatch(new RegExp(`cannot write ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte 1: EBADF`));
    expect((caught as BodycamError).message).not.toContain('\n');
  });
});
