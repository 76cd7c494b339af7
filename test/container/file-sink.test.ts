import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { FileByteSink, MatroskaWriter, MemoryByteSink, readMatroska, type ByteSink } from '../../src/container/index.js';
import { makeSinePcm, sha256, tempDir } from './helpers.js';

function writeSample(sink: ByteSink): void {
  const writer = new MatroskaWriter(sink, { video: { width: 32, height: 32 }, audio: { sampleRate: 8000, channels: 1, bitDepth: 16 }, writingApp: 'sink-test' });
  for (let index = 0; index < 60; index += 1) {
    writer.addAudio(index * 40_000, makeSinePcm(index * 320, 320, 1, 8000));
    writer.addVideoFrame(index * 40_000 + 20_000, Uint8Array.of(0xff, 0xd8, index, 0xff, 0xd9), true);
  }
  writer.finalize(2_440_000);
}

describe('FileByteSink', () => {
  it('appends, patches in place, and writes the same bytes as the memory sink', () => {
    const path = join(tempDir(), 'sample.mkv');
    const file = FileByteSink.create(path);
    writeSample(file);
    const position = file.position;
    file.sync();
    file.close();
    file.close(); // closing twice is allowed
    const memory = new MemoryByteSink(0);
    writeSample(memory);
    const onDisk = new Uint8Array(readFileSync(path));
    expect(onDisk.length).toBe(position);
    expect(sha256(onDisk)).toBe(sha256(memory.toBytes()));
    expect(readMatroska(onDisk)).toMatchObject({ finalized: true, clusters: 3 });
  });

  it('refuses to clobber an existing file unless told to, and names the file', () => {
    const path = join(tempDir(), 'exists.mkv');
    writeFileSync(path, 'old');
    let caught: unknown;
    try { FileByteSink.create(path); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(BodycamError);
    expect((caught as BodycamError).code).toBe('runtime');
    expect((caught as BodycamError).file).toBe(path);
    const sink = FileByteSink.create(path, { overwrite: true });
    sink.write(Uint8Array.of(1, 2, 3, 4));
    sink.patch(1, Uint8Array.of(9, 9));
    expect(() => sink.patch(3, Uint8Array.of(1, 1))).toThrow(/offset: expected a range inside the 4 bytes written/);
    sink.close();
    expect(Array.from(readFileSync(path))).toEqual([1, 9, 9, 4]);
    expect(() => sink.write(Uint8Array.of(5))).toThrow(/the sink is closed/);
  });
});

describe('MemoryByteSink', () => {
  it('grows across many writes and patches only what was written', () => {
    const sink = new MemoryByteSink(1);
    const expected: number[] = [];
    for (let index = 0; index < 500; index += 1) {
      const chunk = Uint8Array.from({ length: index % 37 }, (_, at) => (index + at) & 0xff);
      sink.write(chunk);
      expected.push(...chunk);
    }
    sink.patch(0, Uint8Array.of(0xaa));
    expected[0] = 0xaa;
    expect(sink.position).toBe(expected.length);
    expect(Array.from(sink.toBytes())).toEqual(expected);
    expect(sink.view().length).toBe(expected.length);
    expect(() => sink.patch(expected.length, Uint8Array.of(1))).toThrow(BodycamError);
  });
});
