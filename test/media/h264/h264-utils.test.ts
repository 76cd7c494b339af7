/**
 * The pure H.264 utilities against streams that ffmpeg's libx264 wrote: the SPS fields agree with
 * ffprobe, the avcC we build is the one ffmpeg's Matroska muxer stored, framing round-trips, and
 * the stream checks find a B-frame and an SPS change by frame.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../../src/container/index.js';
import {
  NalType, annexBToLengthPrefixed, buildAvcC, checkStream, isStreamFault, lengthPrefixedToAnnexB, nalType, parameterSets, parseAvcC,
  parseSps, sliceKind, splitAnnexB, splitLengthPrefixed, toLengthPrefixed,
} from '../../../src/media/h264/index.js';
import { requireTestTool, run, tempDir } from '../../helpers/tools.js';

let dir = '';

/** Encodes `seconds` of testsrc at `size` with libx264 into `name` (format from the extension). */
function encode(name: string, size: string, extra: readonly string[] = []): string {
  const out = join(dir, name);
  run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-t', '0.8', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-threads', '1',
    '-g', '10', '-bf', '0', ...extra, '-y', out]);
  return out;
}

function ffprobeStream(file: string): Record<string, string> {
  const text = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,profile,level', '-of', 'default=nw=1', file]);
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split('=') as [string, string]));
}

beforeAll(() => {
  requireTestTool('ffmpeg');
  dir = tempDir('h264-utils');
});

describe('H.264 utilities on libx264 output', () => {
  it('reads the SPS as ffprobe does, cropping included (176x100 is 11x7 macroblocks, cropped)', () => {
    const file = encode('crop.h264', '176x100', ['-profile:v', 'high']);
    const units = splitAnnexB(readFileSync(file));
    const sps = units.find((unit) => nalType(unit) === NalType.sps);
    if (sps === undefined) throw new Error('no SPS');
    const info = parseSps(sps);
    const probe = ffprobeStream(file);
    expect([info.width, info.height]).toEqual([Number(probe.width), Number(probe.height)]);
    expect([info.width, info.height]).toEqual([176, 100]);
    expect(info.profileIdc).toBe(100);
    expect(info.levelIdc).toBe(Number(probe.level));
    expect(probe.profile).toBe('High');
  });

  it('builds the avcC that ffmpeg stores as CodecPrivate, and parses it back', () => {
    for (const profile of ['baseline', 'main', 'high']) {
      const mkv = encode(`${profile}.mkv`, '160x90', ['-profile:v', profile]);
      const file = readMatroska(readFileSync(mkv), { file: mkv });
      const track = file.tracks.find((t) => t.type === 'video');
      expect(track?.codecId).toBe('V_MPEG4/ISO/AVC');
      const stored = track?.codecPrivate;
      if (stored === undefined) throw new Error('no CodecPrivate');
      const config = parseAvcC(stored);
      expect(config.lengthSize).toBe(4);
      expect(Buffer.from(buildAvcC(config.sps, config.pps, config.lengthSize)).toString('hex')).toBe(Buffer.from(stored).toString('hex'));
      expect(parseSps(config.sps[0] as Uint8Array)).toMatchObject({ width: 160, height: 90 });
    }
  });

  it('turns Annex B into length-prefixed frames and back, byte for byte, and finds the IDR frames', () => {
    const stream = readFileSync(encode('gop.h264', '160x90'));
    const units = splitAnnexB(stream);
    expect(units.length).toBeGreaterThan(20);
    const prefixed = annexBToLengthPrefixed(stream);
    expect(splitLengthPrefixed(prefixed).map((u) => Buffer.from(u).toString('hex'))).toEqual(units.map((u) => Buffer.from(u).toString('hex')));
    // Back to Annex B with 4-byte start codes, then again: the same units.
    expect(splitAnnexB(lengthPrefixedToAnnexB(prefixed)).length).toBe(units.length);
    for (const size of [1, 2] as const) {
      const small = units.filter((u) => u.length < 2 ** (8 * size));
      expect(splitLengthPrefixed(toLengthPrefixed(small, size), size).length).toBe(small.length);
    }
    // 20 frames with -g 10: IDR slices at frames 0 and 10, P slices elsewhere.
    const slices = units.filter((u) => sliceKind(u) !== null);
    expect(slices).toHaveLength(20);
    expect(slices.map((u, i) => (nalType(u) === NalType.idrSlice ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10]);
    expect(new Set(slices.map((u) => sliceKind(u)))).toEqual(new Set(['I', 'P']));
  });

  it('refuses a length that runs past the frame, naming the byte', () => {
    expect(() => splitLengthPrefixed(Uint8Array.from([0, 0, 0, 9, 0x65, 1]))).toThrow(/NAL unit at byte 0 says 9 bytes; 2 remain/);
    expect(() => parseAvcC(Uint8Array.from([0, 1, 2]))).toThrow(/avcC of version 1/);
  });

  it('counts the B-frames and finds the first mid-stream SPS change, by frame index', () => {
    const framesOf = (mkv: string): { frames: Uint8Array[]; config: ReturnType<typeof parseAvcC> } => {
      const file = readMatroska(readFileSync(mkv), { file: mkv });
      const track = file.tracks.find((t) => t.type === 'video');
      return {
        frames: file.blocks.filter((b) => b.trackNumber === track?.number).map((b) => b.payload),
        config: parseAvcC(track?.codecPrivate ?? new Uint8Array()),
      };
    };
    const plain = framesOf(encode('plain.mkv', '160x90'));
    const facts = checkStream(plain.frames, plain.config);
    if (isStreamFault(facts)) throw new Error(facts.found);
    expect(facts.keyframes.map((k, i) => (k ? i : -1)).filter((i) => i >= 0)).toEqual([0, 10]);

    const withB = framesOf(encode('bframes.mkv', '160x90', ['-bf', '2', '-x264-params', 'b-adapt=0']));
    // decode order: I P B B P B B ...: the B-frames are counted (a device re-encodes such a source), not refused.
    const bFacts = checkStream(withB.frames, withB.config);
    if (isStreamFault(bFacts)) throw new Error(bFacts.found);
    const bSlices = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pict_type', '-of', 'csv=p=0', join(dir, 'bframes.mkv')])
      .trim().split('\n').filter((type) => type === 'B').length;
    expect(bSlices).toBeGreaterThan(4);
    expect(bFacts).toMatchObject({ firstBFrame: 2, bFrames: bSlices });
    expect(facts).toMatchObject({ firstBFrame: null, bFrames: 0 });

    // The same stream with an in-band SPS of another size at frame 12.
    const other = framesOf(encode('other.mkv', '320x180')).config;
    const changed = [...plain.frames];
    changed[12] = toLengthPrefixed([...(other.sps as Uint8Array[]), ...splitLengthPrefixed(plain.frames[12] as Uint8Array)]);
    expect(checkStream(changed, plain.config)).toMatchObject({ frameIndex: 12, found: 'a different SPS mid-stream' });
    // Repeating the stream's own SPS/PPS in-band is not a change.
    const repeated = [...plain.frames];
    repeated[10] = toLengthPrefixed([...parameterSets([...plain.config.sps, ...plain.config.pps]).sps, ...plain.config.pps, ...splitLengthPrefixed(plain.frames[10] as Uint8Array)]);
    expect(isStreamFault(checkStream(repeated, plain.config))).toBe(false);
  });
});
