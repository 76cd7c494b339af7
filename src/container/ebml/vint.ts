/**
 * EBML variable-size integers (RFC 8794 §4): element data sizes and element IDs.
 *
 * A VINT of length L (1..8) has L-1 leading zero bits, a marker bit, then 7·L data bits. For data
 * sizes, all data bits set to one is reserved for "unknown size"; so the largest size a length L
 * can hold is 2^(7L) - 2. Values here are JS numbers: sizes above 2^53 - 1 are refused.
 */
import { assertArgument } from '../../errors/index.js';

/** Longest VINT this module reads or writes (EBMLMaxSizeLength 8, the Matroska default). */
export const MAX_VINT_LENGTH = 8;
/** Longest element ID (EBMLMaxIDLength 4, fixed by Matroska). */
export const MAX_ID_LENGTH = 4;
/** The 8-byte unknown-size VINT `0x01FFFFFFFFFFFFFF`, used for the Segment while it is written. */
export const UNKNOWN_SIZE_VINT: Uint8Array = Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** A VINT read from bytes. `unknown` is true for the reserved all-ones data size. */
export interface VintRead {
  /** The data bits as a number (meaningless when `unknown`). */
  readonly value: number;
  /** Length of the VINT in bytes. */
  readonly length: number;
  readonly unknown: boolean;
}

/** An element ID read from bytes: the raw ID bytes as a number, marker included. */
export interface ElementIdRead {
  readonly id: number;
  readonly length: number;
}

/** Why a read failed: the bytes end before the VINT does, or the bytes are not a valid VINT. */
export type VintFailure = 'truncated' | 'invalid';

/** Largest data size a VINT of `length` bytes can hold (2^(7·length) - 2). */
export function maxVintValue(length: number): number {
  return 2 ** (7 * length) - 2;
}

/** The shortest VINT length that holds `value` as a data size (never the reserved all-ones). */
export function vintLengthFor(value: number): number {
  assertArgument(Number.isSafeInteger(value) && value >= 0, 'value', 'a non-negative safe integer', value);
  let length = 1;
  while (value > maxVintValue(length)) length += 1;
  return length;
}

/**
 * Writes `value` as a data-size VINT of `length` bytes into `target` at `offset`; returns the
 * offset after it. Throws a usage error when the value does not fit.
 */
export function writeVint(target: Uint8Array, offset: number, value: number, length: number = vintLengthFor(value)): number {
  assertArgument(Number.isInteger(length) && length >= 1 && length <= MAX_VINT_LENGTH, 'length', 'an integer from 1 to 8', length);
  assertArgument(Number.isSafeInteger(value) && value >= 0 && value <= maxVintValue(length), 'value',
    `a size from 0 to ${maxVintValue(length)} (fits a ${length}-byte VINT)`, value);
  let rest = value;
  for (let index = length - 1; index >= 1; index -= 1) {
    target[offset + index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  target[offset] = rest | (0x80 >> (length - 1));
  return offset + length;
}

/** A data-size VINT for `value`, `length` bytes long (shortest by default). */
export function encodeVint(value: number, length?: number): Uint8Array {
  const bytes = new Uint8Array(length ?? vintLengthFor(value));
  writeVint(bytes, 0, value, bytes.length);
  return bytes;
}

/** The reserved unknown-size VINT of `length` bytes (all data bits one). */
export function encodeUnknownSizeVint(length = MAX_VINT_LENGTH): Uint8Array {
  assertArgument(Number.isInteger(length) && length >= 1 && length <= MAX_VINT_LENGTH, 'length', 'an integer from 1 to 8', length);
  const bytes = new Uint8Array(length).fill(0xff);
  bytes[0] = (0xff >> (length - 1)) & 0xff;
  return bytes;
}

/** Length of the VINT whose first byte is `first` (0 when the first byte is 0x00: invalid here). */
export function vintLengthFromFirstByte(first: number): number {
  if (first === 0) return 0;
  return Math.clz32(first) - 23;
}

/** Reads a data-size VINT at `offset`, not reading at or past `end`. */
export function readVint(bytes: Uint8Array, offset: number, end: number = bytes.length): VintRead | VintFailure {
  if (offset >= end) return 'truncated';
  const first = bytes[offset] ?? 0;
  const length = vintLengthFromFirstByte(first);
  if (length === 0) return 'invalid';
  if (offset + length > end) return 'truncated';
  const firstData = first & (0xff >> length);
  let value = firstData;
  let allOnes = firstData === 0xff >> length;
  for (let index = 1; index < length; index += 1) {
    const byte = bytes[offset + index] ?? 0;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  if (allOnes) return { value, length, unknown: true };
  if (!Number.isSafeInteger(value)) return 'invalid';
  return { value, length, unknown: false };
}

/** Encodes an element ID (given with its marker bits, e.g. `0x1A45DFA3`) as its 1 to 4 bytes. */
export function encodeElementId(id: number): Uint8Array {
  const length = elementIdLength(id);
  const bytes = new Uint8Array(length);
  let rest = id;
  for (let index = length - 1; index >= 0; index -= 1) {
    bytes[index] = rest & 0xff;
    rest >>>= 8;
  }
  return bytes;
}

/** Byte length of a valid element ID; throws a usage error for an ID whose marker bit is wrong. */
export function elementIdLength(id: number): number {
  assertArgument(Number.isInteger(id) && id > 0 && id <= 0xffffffff, 'id', 'an element ID of 1 to 4 bytes', id);
  const length = id <= 0xff ? 1 : id <= 0xffff ? 2 : id <= 0xffffff ? 3 : 4;
  const first = Math.floor(id / 2 ** (8 * (length - 1)));
  assertArgument(vintLengthFromFirstByte(first) === length, 'id', `an element ID whose first byte marks ${length} bytes`, `0x${id.toString(16)}`);
  return length;
}

/** Writes an element ID into `target` at `offset`; returns the offset after it. */
export function writeElementId(target: Uint8Array, offset: number, id: number): number {
  const length = elementIdLength(id);
  let rest = id;
  for (let index = length - 1; index >= 0; index -= 1) {
    target[offset + index] = rest & 0xff;
    rest >>>= 8;
  }
  return offset + length;
}

/**
 * Reads an element ID at `offset`. Invalid: a first byte of 0x00, an ID longer than 4 bytes, or
 * data bits all zero or all one (RFC 8794 §5), except 0x80: Matroska's ChapterDisplay predates
 * that rule and keeps the ID (RFC 9559 §5.1.7.1.4.9), so players and we read it.
 */
/** ChapterDisplay's ID, the one all-zero-data ID Matroska uses. */
const CHAPTER_DISPLAY_ID = 0x80;

export function readElementId(bytes: Uint8Array, offset: number, end: number = bytes.length): ElementIdRead | VintFailure {
  if (offset >= end) return 'truncated';
  const first = bytes[offset] ?? 0;
  const length = vintLengthFromFirstByte(first);
  if (length === 0 || length > MAX_ID_LENGTH) return 'invalid';
  if (offset + length > end) return 'truncated';
  let id = 0;
  let allZero = (first & (0xff >> length)) === 0;
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let index = 0; index < length; index += 1) {
    const byte = bytes[offset + index] ?? 0;
    id = id * 256 + byte;
    if (index > 0) {
      if (byte !== 0) allZero = false;
      if (byte !== 0xff) allOnes = false;
    }
  }
  if ((allZero && id !== CHAPTER_DISPLAY_ID) || allOnes) return 'invalid';
  return { id, length };
}
