/**
 * Markers as Matroska chapters (Chapters / EditionEntry / ChapterAtom, ChapterTimeStart in ns of
 * the file's timeline, a ChapterDisplay name), written at finalize and found through the SeekHead,
 * so players list them; a file cut off before finalize has none and still plays.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import { MatroskaId, readElementHeader } from '../../src/container/ebml/index.js';
import { ffprobeJson, ffprobeStreams, frameTimes, makeJpegs, requireTool, tempDir, writeRecording, writeTemp } from './helpers.js';

let jpegs: Uint8Array[] = [];
let dir = '';

beforeAll(async () => {
  requireTool('ffprobe');
  jpegs = await makeJpegs(64, 48, 4);
  dir = tempDir();
});

const chapters = [
  { timeUs: 1_200_000, name: 'Marker 1 (2026-11-22T14:00:52+01:00)' },
  { timeUs: 2_533_300, name: 'Marker 2 (2026-11-22T14:00:53+01:00)' },
];

function recording(finalizeUs?: number | null) {
  return writeRecording({
    frameTimesUs: frameTimes(90, 30), jpegs,
    audio: { sampleRate: 8000, channels: 1, chunkSamples: 160, startUs: 0 },
    options: { clusterTargetUs: 500_000 },
    chapters,
    ...(finalizeUs === undefined ? {} : { finalizeUs }),
  }).bytes;
}

interface ProbedChapter { start_time: string; tags?: { title?: string } }

describe('markers as chapters', () => {
  it('ffprobe lists each chapter at its time, to the nanosecond the file holds, with its name', () => {
    const file = writeTemp(dir, 'chapters.mkv', recording());
    const probed = ffprobeJson(file, ['-show_chapters']) as { chapters: ProbedChapter[] };
    expect(probed.chapters.map((chapter) => [Number(chapter.start_time), chapter.tags?.title])).toEqual([
      [1.2, 'Marker 1 (2026-11-22T14:00:52+01:00)'],
      [2.5333, 'Marker 2 (2026-11-22T14:00:53+01:00)'],
    ]);
  });

  it('the SeekHead points at the Chapters element, after the clusters', () => {
    const bytes = recording();
    const file = readMatroska(bytes);
    expect(file.finalized).toBe(true);
    expect(file.chapters).toEqual(chapters);
    const seek = file.seekPositions.get(MatroskaId.Chapters);
    expect(seek).toBeDefined();
    const header = readElementHeader(bytes, file.segmentDataOffset + (seek ?? 0));
    expect(header !== 'truncated' && header !== 'invalid' ? header.id : header).toBe(MatroskaId.Chapters);
  });

  it('a file without markers has no Chapters element', () => {
    const bytes = writeRecording({ frameTimesUs: frameTimes(30, 30), jpegs, audio: null }).bytes;
    const file = readMatroska(bytes);
    expect(file.chapters).toEqual([]);
    expect(file.seekPositions.has(MatroskaId.Chapters)).toBe(false);
    const probed = ffprobeJson(writeTemp(dir, 'none.mkv', bytes), ['-show_chapters']) as { chapters: unknown[] };
    expect(probed.chapters).toEqual([]);
  });

  it('a file cut off before finalize keeps no chapters and still plays its whole clusters', () => {
    const unfinished = recording(null);
    const cut = writeTemp(dir, 'cut.mkv', unfinished.subarray(0, Math.floor(unfinished.length * 0.7)));
    const probed = ffprobeJson(cut, ['-show_chapters']) as { chapters: unknown[] };
    expect(probed.chapters).toEqual([]);
    expect(ffprobeStreams(cut).streams.map((stream) => stream.codec_name)).toEqual(['mjpeg', 'pcm_s16le']);
  });

  it('refuses a chapter outside the file or out of order, and an empty name', () => {
    const make = (list: { timeUs: number; name: string }[]) => () => writeRecording({ frameTimesUs: frameTimes(30, 30), jpegs, audio: null, chapters: list });
    expect(make([{ timeUs: -1, name: 'x' }])).toThrow(/chapters\[0\]\.timeUs/);
    expect(make([{ timeUs: 2_000_000, name: 'x' }])).toThrow(/chapters\[0\]\.timeUs: expected .*at most the duration/);
    expect(make([{ timeUs: 500_000, name: 'a' }, { timeUs: 400_000, name: 'b' }])).toThrow(/chapters\[1\]\.timeUs/);
    expect(make([{ timeUs: 500_000, name: '' }])).toThrow(/chapters\[0\]\.name/);
  });
});
