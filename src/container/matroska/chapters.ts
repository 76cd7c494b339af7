/**
 * The device's markers as Matroska chapters (RFC 9559 §20): one EditionEntry whose ChapterAtoms
 * start at each marker, named, so that players (VLC, mpv, ffprobe -show_chapters) list them.
 * ChapterTimeStart is in nanoseconds of the file's timeline (not TimestampScale ticks). UIDs are
 * the chapter's number, so the same markers give the same bytes.
 */
import { assertArgument } from '../../errors/index.js';
import { isMicroseconds } from '../../time/index.js';
import { MatroskaId, ebml, encodeEbml } from '../ebml/index.js';

/** One chapter: where it starts on the file's timeline, and the name players show. */
export interface MatroskaChapter {
  /** Microseconds from the file's origin (the same timeline as its blocks). */
  readonly timeUs: number;
  readonly name: string;
}

/** Checks chapters against the file: integer µs within [0, duration], in order, each named. */
export function validateChapters(chapters: readonly MatroskaChapter[], durationUs: number): void {
  assertArgument(Array.isArray(chapters), 'chapters', 'an array of { timeUs, name }', chapters);
  let previousUs = 0;
  chapters.forEach((chapter, index) => {
    const place = `chapters[${index}]`;
    assertArgument(isMicroseconds(chapter.timeUs), `${place}.timeUs`, 'a non-negative integer number of microseconds', chapter.timeUs);
    assertArgument(chapter.timeUs <= durationUs, `${place}.timeUs`, `a time at most the duration, ${durationUs} µs`, chapter.timeUs);
    assertArgument(chapter.timeUs >= previousUs, `${place}.timeUs`, `a time at or after the previous chapter's ${previousUs} µs`, chapter.timeUs);
    assertArgument(typeof chapter.name === 'string' && chapter.name !== '', `${place}.name`, 'a non-empty name', chapter.name);
    previousUs = chapter.timeUs;
  });
}

/** The Chapters element for `chapters` (already validated). */
export function encodeChapters(chapters: readonly MatroskaChapter[]): Uint8Array {
  const atoms = chapters.map((chapter, index) => ebml.master(MatroskaId.ChapterAtom, [
    ebml.uint(MatroskaId.ChapterUID, index + 1),
    ebml.uint(MatroskaId.ChapterTimeStart, chapter.timeUs * 1000),
    ebml.master(MatroskaId.ChapterDisplay, [
      ebml.utf8(MatroskaId.ChapString, chapter.name),
      ebml.ascii(MatroskaId.ChapLanguage, 'und'),
    ]),
  ]));
  return encodeEbml(ebml.master(MatroskaId.Chapters, [
    ebml.master(MatroskaId.EditionEntry, [ebml.uint(MatroskaId.EditionUID, 1), ebml.uint(MatroskaId.EditionFlagDefault, 1), ...atoms]),
  ]));
}
