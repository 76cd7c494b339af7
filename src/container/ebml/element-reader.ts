/**
 * Reading EBML element headers from bytes, without copying. Callers walk a master element's
 * children with `readElementHeader` and decide per ID what to do; failures are returned, not
 * thrown, so the Matroska reader can tell a cut-off file from a broken one.
 */
import { readElementId, readVint, type VintFailure } from './vint.js';

/** An element's header as found in the bytes. Offsets are absolute. */
export interface ElementHeader {
  readonly id: number;
  /** Offset of the ID's first byte. */
  readonly offset: number;
  /** Offset of the first data byte. */
  readonly dataOffset: number;
  /** Data size in bytes, or `null` for the reserved unknown size. */
  readonly dataSize: number | null;
  /** Offset just past the data (`null` for unknown size). May lie past the end of the bytes. */
  readonly end: number | null;
}

/** Reads the element header at `offset`, reading no byte at or past `limit`. */
export function readElementHeader(bytes: Uint8Array, offset: number, limit: number = bytes.length): ElementHeader | VintFailure {
  const id = readElementId(bytes, offset, limit);
  if (typeof id === 'string') return id;
  const size = readVint(bytes, offset + id.length, limit);
  if (typeof size === 'string') return size;
  const dataOffset = offset + id.length + size.length;
  if (size.unknown) return { id: id.id, offset, dataOffset, dataSize: null, end: null };
  return { id: id.id, offset, dataOffset, dataSize: size.value, end: dataOffset + size.value };
}

/** The data bytes of an element with a known size that lies wholly inside `bytes` (a view, no copy). */
export function elementData(bytes: Uint8Array, header: ElementHeader): Uint8Array {
  return bytes.subarray(header.dataOffset, header.end ?? header.dataOffset);
}

/** `0x1A45DFA3`-style rendering of an element ID, for messages. */
export function formatElementId(id: number): string {
  return `0x${id.toString(16).toUpperCase().padStart(2, '0')}`;
}
