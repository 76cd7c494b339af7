/**
 * EBML element data types (RFC 8794 §7): unsigned and signed integers (0 to 8 bytes, big-endian),
 * floats (4 or 8 bytes, IEEE 754), ASCII and UTF-8 strings, and dates (signed nanoseconds since
 * 2001-01-01T00:00:00 UTC). Encoders write the shortest form unless told a length; decoders
 * return `undefined` for a data length the type does not allow.
 */
import { assertArgument } from '../../errors/index.js';

/** 2001-01-01T00:00:00 UTC in Unix milliseconds: the EBML date epoch. */
export const EBML_EPOCH_UNIX_MS = 978_307_200_000;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Bytes needed for an unsigned integer (at least 1: we never write empty integers). */
function unsignedLength(value: bigint): number {
  let length = 1;
  while (length < 8 && value >= 1n << BigInt(8 * length)) length += 1;
  return length;
}

/** An unsigned integer, big-endian, shortest (at least 1 byte) or exactly `length` bytes. */
export function encodeUnsigned(value: number | bigint, length?: number): Uint8Array {
  const big = typeof value === 'bigint' ? value : BigInt(checkSafeInteger(value, 'value'));
  assertArgument(big >= 0n && big < 1n << 64n, 'value', 'an unsigned integer below 2^64', String(value));
  const needed = unsignedLength(big);
  const size = length ?? needed;
  assertArgument(Number.isInteger(size) && size >= needed && size <= 8, 'length', `an integer from ${needed} to 8`, length);
  const bytes = new Uint8Array(size);
  let rest = big;
  for (let index = size - 1; index >= 0; index -= 1) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** A signed integer, two's complement big-endian, shortest form (at least 1 byte). */
export function encodeSigned(value: number | bigint): Uint8Array {
  const big = typeof value === 'bigint' ? value : BigInt(checkSafeInteger(value, 'value'));
  assertArgument(big >= -(1n << 63n) && big < 1n << 63n, 'value', 'a signed 64-bit integer', String(value));
  let length = 1;
  while (length < 8 && (big < -(1n << BigInt(8 * length - 1)) || big >= 1n << BigInt(8 * length - 1))) length += 1;
  const bytes = new Uint8Array(length);
  let rest = BigInt.asUintN(8 * length, big);
  for (let index = length - 1; index >= 0; index -= 1) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** A 64-bit IEEE 754 float, big-endian (we always write 8 bytes, RFC 8794 §7.3). */
export function encodeFloat64(value: number): Uint8Array {
  assertArgument(Number.isFinite(value), 'value', 'a finite number', value);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, false);
  return bytes;
}

/** An EBML String: printable ASCII only (0x20 to 0x7E, RFC 8794 §7.4). */
export function encodeAscii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    assertArgument(code >= 0x20 && code <= 0x7e, 'text', 'printable ASCII (0x20 to 0x7E)', text);
    bytes[index] = code;
  }
  return bytes;
}

/** An EBML UTF-8 string. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/**
 * An EBML Date from Unix milliseconds: 8 bytes, signed nanoseconds since 2001-01-01T00:00:00 UTC.
 * BigInt because the nanosecond count exceeds 2^53.
 */
export function encodeDateMs(unixMs: number): Uint8Array {
  checkSafeInteger(unixMs, 'unixMs');
  const nanoseconds = (BigInt(unixMs) - BigInt(EBML_EPOCH_UNIX_MS)) * 1_000_000n;
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, nanoseconds, false);
  return bytes;
}

/** Reads an unsigned integer of 0 to 8 bytes (empty is 0). Above 2^53 the result is rounded. */
export function decodeUnsigned(data: Uint8Array): number | undefined {
  if (data.length > 8) return undefined;
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  return value;
}

/** Reads a signed integer of 0 to 8 bytes (empty is 0). */
export function decodeSigned(data: Uint8Array): number | undefined {
  if (data.length > 8) return undefined;
  if (data.length === 0) return 0;
  let value = 0n;
  for (const byte of data) value = (value << 8n) | BigInt(byte);
  return Number(BigInt.asIntN(8 * data.length, value));
}

/** Reads a float of 0, 4 or 8 bytes (empty is 0). */
export function decodeFloat(data: Uint8Array): number | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 0) return 0;
  if (data.length === 4) return view.getFloat32(0, false);
  if (data.length === 8) return view.getFloat64(0, false);
  return undefined;
}

/** Reads an ASCII or UTF-8 string; trailing NUL padding is dropped (RFC 8794 §13). */
export function decodeString(data: Uint8Array): string {
  let end = data.length;
  const firstNul = data.indexOf(0);
  if (firstNul >= 0) end = firstNul;
  return utf8Decoder.decode(data.subarray(0, end));
}

/** Reads a Date (0 or 8 bytes) as Unix milliseconds, rounded down to the millisecond. */
export function decodeDateMs(data: Uint8Array): number | undefined {
  if (data.length === 0) return EBML_EPOCH_UNIX_MS;
  if (data.length !== 8) return undefined;
  const nanoseconds = new DataView(data.buffer, data.byteOffset, 8).getBigInt64(0, false);
  const ms = nanoseconds >= 0n ? nanoseconds / 1_000_000n : -((-nanoseconds + 999_999n) / 1_000_000n);
  return Number(ms) + EBML_EPOCH_UNIX_MS;
}

function checkSafeInteger(value: number, name: string): number {
  assertArgument(Number.isSafeInteger(value), name, 'a safe integer', value);
  return value;
}
