import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { readMatroska } from '../../src/container/index.js';
import {
  EbmlId, MatroskaId, ebml, encodeEbml, encodeUnknownSizeHeader, type EbmlNode,
} from '../../src/container/ebml/index.js';
import { ffprobeJson, frameTimes, requireTool, tempDir, writeRecording } from './helpers.js';

let dir = '';
let ffmpegFile = '';

beforeAll(() => {
  requireTool('ffmpeg');
  requireTool('ffprobe');
  dir = tempDir();
  ffmpegFile = join(dir, 'ffmpeg.mkv');
  const run = spawnSync('ffmpeg', [
    '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=3',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-c:v', 'mjpeg', '-c:a', 'pcm_s16le', ffmpegFile,
  ], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr}`);
});

const badInput = (action: () => unknown, message: RegExp): BodycamError => {
  let caught: unknown;
  try { action(); } catch (error) { caught = error; }
  expect(caught).toBeInstanceOf(BodycamError);
  expect((caught as BodycamError).code).toBe('bad-input');
  expect((caught as BodycamError).message).toMatch(message);
  return caught as BodycamError;
};

/** A minimal hand-made file: header, unknown-size Segment, Tracks, then the given raw bytes. */
function handMade(after: Uint8Array[]): Uint8Array {
  const parts = [
    encodeEbml(ebml.master(EbmlId.EBML, [ebml.ascii(EbmlId.DocType, 'matroska'), ebml.uint(EbmlId.DocTypeReadVersion, 2)])),
    encodeUnknownSizeHeader(MatroskaId.Segment),
    encodeEbml(ebml.master(MatroskaId.Tracks, [ebml.master(MatroskaId.TrackEntry, [
      ebml.uint(MatroskaId.TrackNumber, 1), ebml.uint(MatroskaId.TrackType, 1), ebml.ascii(MatroskaId.CodecID, 'V_MJPEG'),
      ebml.master(MatroskaId.Video, [ebml.uint(MatroskaId.PixelWidth, 8), ebml.uint(MatroskaId.PixelHeight, 8)]),
    ])])),
    ...after,
  ];
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
  return bytes;
}
const simpleBlock = (relative: number, flags: number, payload: number[]): EbmlNode =>
  ebml.binary(MatroskaId.SimpleBlock, Uint8Array.of(0x81, (relative >> 8) & 0xff, relative & 0xff, flags, ...payload));

describe('reading ffmpeg-written MJPEG/PCM Matroska', () => {
  it('finds the tracks, every packet with ffprobe\'s timestamps and sizes, and the Duration', () => {
    const bytes = new Uint8Array(readFileSync(ffmpegFile));
    const file = readMatroska(bytes, { file: ffmpegFile });
    expect(file.tracks.map((track) => [track.type, track.codecId])).toEqual([['video', 'V_MJPEG'], ['audio', 'A_PCM/INT/LIT']]);
    expect(file.tracks[0]).toMatchObject({ width: 160, height: 120 });
    expect(file.tracks[1]).toMatchObject({ sampleRate: 44_100, channels: 1, bitDepth: 16 });
    expect(file).toMatchObject({ finalized: true, truncated: false, validBytes: bytes.length, info: { durationUs: 3_000_000 } });
    expect(file.tags.ENCODER).toMatch(/^Lavf/);
    const packets = (ffprobeJson(ffmpegFile, ['-show_entries', 'packet=stream_index,pts_time,size']).packets ?? []) as { stream_index: number; pts_time: string; size: string }[];
    for (const [index, track] of [[0, 1], [1, 2]] as const) {
      const expected = packets.filter((packet) => packet.stream_index === index);
      const got = file.blocks.filter((block) => block.trackNumber === track);
      expect(got.length).toBe(expected.length);
      expect(got.map((block) => block.timestampUs)).toEqual(expected.map((packet) => Math.round(Number(packet.pts_time) * 1e6)));
      expect(got.map((block) => block.payload.length)).toEqual(expected.map((packet) => Number(packet.size)));
    }
    expect(file.blocks.filter((block) => block.trackNumber === 1).length).toBe(75);
    expect(file.blocks.every((block) => block.keyframe)).toBe(true);
    // Every MJPEG payload is a whole JPEG.
    for (const block of file.blocks.filter((b) => b.trackNumber === 1)) {
      expect([block.payload[0], block.payload[1], block.payload.at(-2), block.payload.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    }
  });

  it('stops cleanly in a cut-off ffmpeg file', () => {
    const bytes = new Uint8Array(readFileSync(ffmpegFile));
    const full = readMatroska(bytes);
    const cut = readMatroska(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(cut).toMatchObject({ truncated: true, finalized: false });
    expect(cut.blocks.length).toBeGreaterThan(0);
    expect(cut.blocks.length).toBeLessThan(full.blocks.length);
    expect(cut.blocks.map((block) => block.timestampUs)).toEqual(full.blocks.slice(0, cut.blocks.length).map((block) => block.timestampUs));
  });
});

describe('reading a piped (non-seekable) ffmpeg file', () => {
  it('reads its unknown-size Segment to the end, as whole but not finalized', () => {
    const run = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25:duration=2',
      '-f', 'lavfi', '-i', 'sine=sample_rate=8000:duration=2', '-c:v', 'mjpeg', '-c:a', 'pcm_s16le', '-f', 'matroska', '-']);
    expect(run.status).toBe(0);
    const bytes = new Uint8Array(run.stdout);
    const file = readMatroska(bytes);
    expect(file).toMatchObject({ finalized: false, truncated: false, validBytes: bytes.length, info: { durationUs: null } });
    expect(file.blocks.filter((block) => block.trackNumber === 1).map((block) => block.timestampUs)).toEqual(frameTimes(50, 25));
    expect(file.blocks.filter((block) => block.trackNumber === 2).reduce((sum, block) => sum + block.payload.length / 2, 0)).toBe(16_000);
  });
});

describe('reading hand-made structures', () => {
  it('reads unknown-size clusters, skips Void and CRC-32, and reads BlockGroups (no ReferenceBlock: keyframe)', () => {
    const clusterBody = (timestamp: number, blocks: EbmlNode[]): Uint8Array[] => [
      encodeUnknownSizeHeader(MatroskaId.Cluster),
      encodeEbml([ebml.binary(EbmlId.CRC32, new Uint8Array(4)), ebml.uint(MatroskaId.Timestamp, timestamp), ebml.void(5), ...blocks]),
    ];
    const bytes = handMade([
      ...clusterBody(0, [simpleBlock(0, 0x80, [1]), simpleBlock(40, 0x00, [2])]),
      ...clusterBody(80, [
        ebml.master(MatroskaId.BlockGroup, [ebml.binary(MatroskaId.Block, Uint8Array.of(0x81, 0, 0, 0, 3))]),
        ebml.master(MatroskaId.BlockGroup, [ebml.binary(MatroskaId.Block, Uint8Array.of(0x81, 0, 40, 0, 4)), ebml.int(MatroskaId.ReferenceBlock, -40)]),
      ]),
    ]);
    const file = readMatroska(bytes);
    expect(file).toMatchObject({ clusters: 2, truncated: false, finalized: false, validBytes: bytes.length, info: { timestampScaleNs: 1_000_000 } });
    expect(file.blocks.map((block) => [block.timestampUs, block.keyframe, block.payload[0]])).toEqual([
      [0, true, 1], [40_000, false, 2], [80_000, true, 3], [120_000, false, 4],
    ]);
    // Cut inside the second (unknown-size) cluster: only the first cluster's blocks survive.
    const cut = readMatroska(bytes.subarray(0, bytes.length - 3));
    expect(cut).toMatchObject({ clusters: 1, truncated: true });
    expect(cut.blocks.map((block) => block.payload[0])).toEqual([1, 2]);
  });

  it('treats a zero-filled tail as a cut, and other trailing garbage as bad input', () => {
    const { bytes } = writeRecording({ frameTimesUs: frameTimes(40, 20), jpegs: [Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)], audio: null, finalizeUs: null });
    const withZeros = new Uint8Array(bytes.length + 4096);
    withZeros.set(bytes);
    const file = readMatroska(withZeros);
    expect(file).toMatchObject({ truncated: true, validBytes: bytes.length, clusters: 1 });
    const withGarbage = withZeros.slice();
    withGarbage[bytes.length + 100] = 0x42;
    badInput(() => readMatroska(withGarbage, { file: 'rec.mkv' }), new RegExp(`^rec\\.mkv: byte ${bytes.length}: expected a Matroska element, found bytes 00 00 00 00$`));
  });

  it('refuses laced blocks with a clear error', () => {
    const bytes = handMade([encodeEbml(ebml.master(MatroskaId.Cluster, [ebml.uint(MatroskaId.Timestamp, 0), simpleBlock(0, 0x86, [0, 1, 2])]))]);
    const error = badInput(() => readMatroska(bytes, { file: 'laced.mkv' }), /laced\.mkv: byte \d+: expected an unlaced block \(laced blocks are not supported\), found EBML lacing/);
    expect(error.file).toBe('laced.mkv');
  });
});

describe('refusing what is not Matroska', () => {
  it('garbage, an empty file, a PNG and a foreign DocType', () => {
    badInput(() => readMatroska(Uint8Array.of(1, 2, 3, 4, 5, 6), { file: 'junk.bin' }), /^junk\.bin: byte 0: expected an EBML header, found bytes 01 02 03 04$/);
    badInput(() => readMatroska(new Uint8Array(0), { file: 'empty.mkv' }), /byte 0: expected an EBML header, found an empty file/);
    badInput(() => readMatroska(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), /expected an EBML header, found bytes 89 50 4E 47/);
    const foreign = encodeEbml(ebml.master(EbmlId.EBML, [ebml.ascii(EbmlId.DocType, 'notmkv')]));
    badInput(() => readMatroska(foreign), /byte 5: expected DocType "matroska", found "notmkv"/);
  });

  it('a file cut inside its EBML header is truncated, not garbage', () => {
    const { bytes } = writeRecording({ frameTimesUs: [0], jpegs: [Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)], audio: null });
    expect(readMatroska(bytes.subarray(0, 3))).toMatchObject({ truncated: true, blocks: [], tracks: [], validBytes: 0 });
    expect(readMatroska(bytes.subarray(0, 20))).toMatchObject({ truncated: true, blocks: [] });
  });
});
