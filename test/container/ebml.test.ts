import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import {
  EBML_EPOCH_UNIX_MS, EbmlId, MatroskaId, UNKNOWN_SIZE_VINT, decodeDateMs, decodeFloat, decodeSigned, decodeString, decodeUnsigned,
  ebml, ebmlSize, encodeAscii, encodeDateMs, encodeEbml, encodeEbmlParts, encodeElementId, encodeFloat64, encodeSigned, encodeUnknownSizeVint,
  encodeUnsigned, encodeUtf8, encodeVint, readElementHeader, readElementId, readVint, vintLengthFor,
  type EbmlNode,
} from '../../src/container/ebml/index.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
const bytesOf = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

describe('VINT sizes (RFC 8794 §4, §6)', () => {
  it('renders 2 at lengths 1 to 4 as in the RFC table "VINT Examples Depicting the Same Integer Value"', () => {
    expect(hex(encodeVint(2, 1))).toBe('82');
    expect(hex(encodeVint(2, 2))).toBe('4002');
    expect(hex(encodeVint(2, 3))).toBe('200002');
    expect(hex(encodeVint(2, 4))).toBe('10000002');
    for (const vector of ['82', '4002', '200002', '10000002']) {
      expect(readVint(bytesOf(vector), 0)).toEqual({ value: 2, length: vector.length / 2, unknown: false });
    }
  });

  it('keeps 127 and 16383 off the reserved all-ones patterns (RFC 8794 §6.3 table)', () => {
    expect(hex(encodeVint(126))).toBe('fe');
    expect(hex(encodeVint(127))).toBe('407f');
    expect(hex(encodeVint(16_382))).toBe('7ffe');
    expect(hex(encodeVint(16_383))).toBe('203fff');
    expect(vintLengthFor(2 ** 49 - 2)).toBe(7);
    expect(vintLengthFor(2 ** 49 - 1)).toBe(8);
  });

  it('reads and writes the unknown size, including the 8-byte 0x01FFFFFFFFFFFFFF', () => {
    expect(hex(UNKNOWN_SIZE_VINT)).toBe('01ffffffffffffff');
    expect(hex(encodeUnknownSizeVint(8))).toBe('01ffffffffffffff');
    expect(hex(encodeUnknownSizeVint(1))).toBe('ff');
    expect(hex(encodeUnknownSizeVint(2))).toBe('7fff');
    expect(readVint(bytesOf('01ffffffffffffff'), 0)).toMatchObject({ length: 8, unknown: true });
    expect(readVint(bytesOf('ff'), 0)).toMatchObject({ length: 1, unknown: true });
    expect(readVint(bytesOf('4fff'), 0)).toEqual({ value: 0x0fff, length: 2, unknown: false });
  });

  it('tells a truncated VINT from an invalid one', () => {
    expect(readVint(bytesOf('4000'), 0, 1)).toBe('truncated');
    expect(readVint(new Uint8Array(0), 0)).toBe('truncated');
    expect(readVint(bytesOf('00ff'), 0)).toBe('invalid');
  });

  it('refuses sizes that do not fit the asked length', () => {
    expect(() => encodeVint(127, 1)).toThrow(BodycamError);
    expect(() => encodeVint(-1)).toThrow(/non-negative safe integer/);
  });

  it('round-trips every safe size at every length that holds it (property)', () => {
    fc.assert(fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 7 }), (value, extra) => {
      const length = Math.min(8, vintLengthFor(value) + extra);
      const read = readVint(encodeVint(value, length), 0);
      expect(read).toEqual({ value, length, unknown: false });
    }));
  });
});

describe('element IDs (RFC 8794 §5)', () => {
  it('encodes IDs with their marker bits and reads them back', () => {
    expect(hex(encodeElementId(EbmlId.EBML))).toBe('1a45dfa3');
    expect(hex(encodeElementId(MatroskaId.Segment))).toBe('18538067');
    expect(hex(encodeElementId(EbmlId.DocType))).toBe('4282');
    expect(hex(encodeElementId(MatroskaId.SimpleBlock))).toBe('a3');
    expect(hex(encodeElementId(MatroskaId.DefaultDuration))).toBe('23e383');
    expect(readElementId(bytesOf('1a45dfa3'), 0)).toEqual({ id: 0x1a45dfa3, length: 4 });
  });

  it('rejects the invalid IDs of the RFC table (all-zero and all-one data, no marker)', () => {
    // 0x80 is all-zero data too, but Matroska's ChapterDisplay keeps it (RFC 9559), so it is read
    expect(readElementId(bytesOf('80'), 0)).toEqual({ id: 0x80, length: 1 });
    expect(readElementId(bytesOf('4000'), 0)).toBe('invalid');
    expect(readElementId(bytesOf('ff'), 0)).toBe('invalid');
    expect(readElementId(bytesOf('00'), 0)).toBe('invalid');
    expect(readElementId(bytesOf('0810000000'), 0)).toBe('invalid'); // 5-byte IDs exceed EBMLMaxIDLength 4
    expect(readElementId(bytesOf('407f'), 0)).toEqual({ id: 0x407f, length: 2 }); // valid: shortest form of 127
    expect(() => encodeElementId(0x3f)).toThrow(/marks/);
  });

  it('round-trips any valid ID (property)', () => {
    const idArb = fc.integer({ min: 1, max: 4 }).chain((length) => fc.integer({ min: 1, max: 2 ** (7 * length) - 2 })
      .map((data) => data + 2 ** (8 * length - length))); // data bits under the marker bit
    fc.assert(fc.property(idArb, (id) => {
      const read = readElementId(encodeElementId(id), 0);
      expect(read).toEqual({ id, length: encodeElementId(id).length });
    }));
  });
});

describe('element data types (RFC 8794 §7)', () => {
  it('writes the DocType element of a real Matroska header', () => {
    expect(hex(encodeEbml(ebml.ascii(EbmlId.DocType, 'matroska')))).toBe('4282886d6174726f736b61');
  });

  it('writes integers in the shortest big-endian form', () => {
    expect(hex(encodeUnsigned(0))).toBe('00');
    expect(hex(encodeUnsigned(255))).toBe('ff');
    expect(hex(encodeUnsigned(256))).toBe('0100');
    expect(hex(encodeUnsigned(100_000))).toBe('0186a0');
    expect(hex(encodeUnsigned(5, 8))).toBe('0000000000000005');
    expect(hex(encodeUnsigned(2n ** 64n - 1n))).toBe('ffffffffffffffff');
    expect(hex(encodeSigned(-1))).toBe('ff');
    expect(hex(encodeSigned(127))).toBe('7f');
    expect(hex(encodeSigned(128))).toBe('0080');
    expect(hex(encodeSigned(-129))).toBe('ff7f');
    expect(decodeSigned(bytesOf('ff7f'))).toBe(-129);
    expect(decodeUnsigned(new Uint8Array(0))).toBe(0);
    expect(decodeUnsigned(new Uint8Array(9))).toBeUndefined();
  });

  it('writes floats as 8-byte IEEE 754 and reads 0, 4 and 8 bytes', () => {
    expect(hex(encodeFloat64(1))).toBe('3ff0000000000000');
    expect(hex(encodeFloat64(48_000))).toBe('40e7700000000000');
    expect(decodeFloat(bytesOf('40e7700000000000'))).toBe(48_000);
    expect(decodeFloat(bytesOf('473b8000'))).toBe(48_000);
    expect(decodeFloat(new Uint8Array(0))).toBe(0);
    expect(decodeFloat(new Uint8Array(3))).toBeUndefined();
  });

  it('dates count nanoseconds from 2001-01-01T00:00:00 UTC', () => {
    expect(EBML_EPOCH_UNIX_MS).toBe(Date.UTC(2001, 0, 1));
    expect(hex(encodeDateMs(Date.UTC(2001, 0, 1)))).toBe('0000000000000000');
    expect(hex(encodeDateMs(Date.UTC(2001, 0, 1, 0, 0, 1)))).toBe('000000003b9aca00'); // 1e9 ns
    expect(decodeDateMs(encodeDateMs(0))).toBe(0);
    expect(decodeDateMs(encodeDateMs(Date.UTC(2026, 10, 22, 13)))).toBe(Date.UTC(2026, 10, 22, 13));
    expect(decodeDateMs(new Uint8Array(0))).toBe(EBML_EPOCH_UNIX_MS);
  });

  it('strings: ASCII only for String, any text for UTF-8, NUL padding dropped', () => {
    expect(() => encodeAscii('é')).toThrow(/printable ASCII/);
    expect(decodeString(encodeUtf8('Käfer 🐞'))).toBe('Käfer 🐞');
    expect(decodeString(Uint8Array.of(0x61, 0x62, 0, 0))).toBe('ab');
  });

  it('round-trips integers, dates and floats (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), (value) => {
      expect(decodeUnsigned(encodeUnsigned(value))).toBe(Number(value));
    }));
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => {
      expect(decodeSigned(encodeSigned(value))).toBe(value);
    }));
    fc.assert(fc.property(fc.integer({ min: -8_000_000_000_000, max: 8_000_000_000_000 }), (ms) => {
      expect(decodeDateMs(encodeDateMs(ms))).toBe(ms);
    }));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
      expect(Object.is(decodeFloat(encodeFloat64(value)), value)).toBe(true);
    }));
  });
});

describe('element builder', () => {
  it('nests masters with exact sizes and writes part lists without joining them', () => {
    const tree = ebml.master(MatroskaId.Cluster, [
      ebml.uint(MatroskaId.Timestamp, 300),
      ebml.binary(MatroskaId.SimpleBlock, [Uint8Array.of(0x81, 0, 0, 0x80), Uint8Array.of(1, 2, 3)]),
    ]);
    const bytes = encodeEbml(tree);
    expect(hex(bytes)).toBe('1f43b675' + '8d' + 'e782012c' + 'a387' + '81000080' + '010203');
    expect(ebmlSize(tree)).toBe(bytes.length);
    const header = readElementHeader(bytes, 0);
    expect(header).toMatchObject({ id: MatroskaId.Cluster, dataOffset: 5, dataSize: 13, end: 18 });
  });

  it('writes a tree as parts whose concatenation is encodeEbml\'s bytes, referencing large leaves instead of copying them', () => {
    const leafArb = fc.record({ id: fc.constantFrom(MatroskaId.SimpleBlock, MatroskaId.Timestamp, EbmlId.Void),
      data: fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 3 }) });
    const treeArb = fc.array(fc.oneof(leafArb.map((leaf) => ebml.binary(leaf.id, leaf.data)),
      fc.array(leafArb, { maxLength: 4 }).map((leaves) => ebml.master(MatroskaId.Cluster, leaves.map((leaf) => ebml.binary(leaf.id, leaf.data))))),
    { minLength: 1, maxLength: 5 });
    fc.assert(fc.property(treeArb, fc.integer({ min: 1, max: 400 }), (nodes, referenceFromBytes) => {
      const parts = encodeEbmlParts(nodes, referenceFromBytes);
      const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        joined.set(part, at);
        at += part.length;
      }
      expect(hex(joined)).toBe(hex(encodeEbml(nodes)));
      expect(parts.every((part) => part.length > 0)).toBe(true);
      // Every leaf part at or over the threshold is one of the parts, by identity: not copied.
      const leafData = (node: EbmlNode): Uint8Array[] => ('children' in node ? node.children.flatMap(leafData)
        : node.data instanceof Uint8Array ? [node.data] : [...node.data]);
      for (const data of nodes.flatMap(leafData)) if (data.length >= referenceFromBytes) expect(parts).toContain(data);
    }));
    expect(() => encodeEbmlParts(ebml.uint(MatroskaId.Timestamp, 1), 0)).toThrow(/referenceFromBytes.*positive integer/);
  });

  it('makes Void elements of any exact size from 2 bytes up', () => {
    for (const total of [2, 3, 11, 128, 129, 130, 135, 1000]) {
      const bytes = encodeEbml(ebml.void(total));
      expect(bytes.length).toBe(total);
      expect(readElementHeader(bytes, 0)).toMatchObject({ id: EbmlId.Void, end: total });
    }
    expect(() => ebml.void(1)).toThrow(/at least 2/);
  });
});
