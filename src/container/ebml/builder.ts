/**
 * A small builder for EBML element trees. Describe elements as plain nodes, then `encodeEbml`
 * sizes the whole tree once and writes it into one buffer: payloads are copied exactly once,
 * with `Uint8Array.set`, which is what keeps 100 KB frames cheap.
 */
import { assertArgument } from '../../errors/index.js';
import { EbmlId } from './element-ids.js';
import { encodeAscii, encodeDateMs, encodeFloat64, encodeSigned, encodeUnsigned, encodeUtf8 } from './values.js';
import { elementIdLength, maxVintValue, vintLengthFor, writeElementId, writeVint, encodeUnknownSizeVint } from './vint.js';

/** An element holding bytes: one buffer, or parts written back to back (no concatenation). */
export interface EbmlLeaf {
  readonly id: number;
  readonly data: Uint8Array | readonly Uint8Array[];
  /** Force the data-size VINT length (used to fill an exact number of bytes). */
  readonly sizeLength?: number;
}

/** A master element holding child elements. */
export interface EbmlMaster {
  readonly id: number;
  readonly children: readonly EbmlNode[];
  readonly sizeLength?: number;
}

/** One element of a tree to encode. */
export type EbmlNode = EbmlLeaf | EbmlMaster;

/** Node constructors, one per EBML type. */
export const ebml = {
  /** Unsigned integer, shortest form or exactly `length` bytes (for values patched in later). */
  uint: (id: number, value: number | bigint, length?: number): EbmlLeaf => ({ id, data: encodeUnsigned(value, length) }),
  int: (id: number, value: number | bigint): EbmlLeaf => ({ id, data: encodeSigned(value) }),
  float: (id: number, value: number): EbmlLeaf => ({ id, data: encodeFloat64(value) }),
  ascii: (id: number, text: string): EbmlLeaf => ({ id, data: encodeAscii(text) }),
  utf8: (id: number, text: string): EbmlLeaf => ({ id, data: encodeUtf8(text) }),
  date: (id: number, unixMs: number): EbmlLeaf => ({ id, data: encodeDateMs(unixMs) }),
  binary: (id: number, data: Uint8Array | readonly Uint8Array[]): EbmlLeaf => ({ id, data }),
  master: (id: number, children: readonly EbmlNode[], sizeLength?: number): EbmlMaster =>
    sizeLength === undefined ? { id, children } : { id, children, sizeLength },
  /** A Void element of exactly `totalBytes` bytes (at least 2), zero-filled: reserved space. */
  void: (totalBytes: number): EbmlLeaf => {
    assertArgument(Number.isInteger(totalBytes) && totalBytes >= 2, 'totalBytes', 'an integer of at least 2', totalBytes);
    // A 1-byte size holds up to 126; past that an 8-byte size keeps the arithmetic simple.
    const sizeLength = totalBytes - 2 <= maxVintValue(1) ? 1 : 8;
    return { id: EbmlId.Void, data: new Uint8Array(totalBytes - 1 - sizeLength), sizeLength };
  },
};

function isMaster(node: EbmlNode): node is EbmlMaster {
  return 'children' in node;
}

function leafDataSize(node: EbmlLeaf): number {
  if (node.data instanceof Uint8Array) return node.data.length;
  let size = 0;
  for (const part of node.data) size += part.length;
  return size;
}

/** Sizes every node once (children before parents), so encoding is linear in the tree. */
function measure(node: EbmlNode, dataSizes: Map<EbmlNode, number>): number {
  let dataSize: number;
  if (isMaster(node)) {
    dataSize = 0;
    for (const child of node.children) dataSize += measure(child, dataSizes);
  } else {
    dataSize = leafDataSize(node);
  }
  dataSizes.set(node, dataSize);
  return elementIdLength(node.id) + (node.sizeLength ?? vintLengthFor(dataSize)) + dataSize;
}

function write(node: EbmlNode, target: Uint8Array, offset: number, dataSizes: Map<EbmlNode, number>): number {
  const dataSize = dataSizes.get(node) ?? 0;
  let cursor = writeElementId(target, offset, node.id);
  cursor = writeVint(target, cursor, dataSize, node.sizeLength ?? vintLengthFor(dataSize));
  if (isMaster(node)) {
    for (const child of node.children) cursor = write(child, target, cursor, dataSizes);
  } else if (node.data instanceof Uint8Array) {
    target.set(node.data, cursor);
    cursor += node.data.length;
  } else {
    for (const part of node.data) {
      target.set(part, cursor);
      cursor += part.length;
    }
  }
  return cursor;
}

/** Total encoded size of the nodes, in bytes. */
export function ebmlSize(nodes: EbmlNode | readonly EbmlNode[]): number {
  const list = Array.isArray(nodes) ? (nodes as readonly EbmlNode[]) : [nodes as EbmlNode];
  const dataSizes = new Map<EbmlNode, number>();
  let total = 0;
  for (const node of list) total += measure(node, dataSizes);
  return total;
}

/** Encodes the nodes back to back into one new buffer. */
export function encodeEbml(nodes: EbmlNode | readonly EbmlNode[]): Uint8Array {
  const list = Array.isArray(nodes) ? (nodes as readonly EbmlNode[]) : [nodes as EbmlNode];
  const dataSizes = new Map<EbmlNode, number>();
  let total = 0;
  for (const node of list) total += measure(node, dataSizes);
  const target = new Uint8Array(total);
  let cursor = 0;
  for (const node of list) cursor = write(node, target, cursor, dataSizes);
  return target;
}

/**
 * Encodes the nodes as a list of parts to be written back to back (with `writev`): element
 * headers and small leaves are packed into one buffer, while leaf data of `referenceFromBytes`
 * or more is referenced, not copied. A cluster of 100 KB frames costs no payload copy this way.
 */
export function encodeEbmlParts(nodes: EbmlNode | readonly EbmlNode[], referenceFromBytes = 4096): Uint8Array[] {
  assertArgument(Number.isSafeInteger(referenceFromBytes) && referenceFromBytes >= 1, 'referenceFromBytes', 'a positive integer', referenceFromBytes);
  const list = Array.isArray(nodes) ? (nodes as readonly EbmlNode[]) : [nodes as EbmlNode];
  const dataSizes = new Map<EbmlNode, number>();
  let total = 0;
  for (const node of list) total += measure(node, dataSizes);
  let referencedBytes = 0;
  const countReferenced = (node: EbmlNode): void => {
    if (isMaster(node)) {
      for (const child of node.children) countReferenced(child);
    } else {
      for (const part of leafParts(node)) if (part.length >= referenceFromBytes) referencedBytes += part.length;
    }
  };
  for (const node of list) countReferenced(node);

  const packed = new Uint8Array(total - referencedBytes);
  const parts: Uint8Array[] = [];
  let cursor = 0;
  let packedStart = 0;
  const endPacked = (): void => {
    if (cursor > packedStart) parts.push(packed.subarray(packedStart, cursor));
    packedStart = cursor;
  };
  const walk = (node: EbmlNode): void => {
    const dataSize = dataSizes.get(node) ?? 0;
    cursor = writeElementId(packed, cursor, node.id);
    cursor = writeVint(packed, cursor, dataSize, node.sizeLength ?? vintLengthFor(dataSize));
    if (isMaster(node)) {
      for (const child of node.children) walk(child);
      return;
    }
    for (const part of leafParts(node)) {
      if (part.length >= referenceFromBytes) {
        endPacked();
        parts.push(part);
      } else {
        packed.set(part, cursor);
        cursor += part.length;
      }
    }
  };
  for (const node of list) walk(node);
  endPacked();
  return parts;
}

function leafParts(node: EbmlLeaf): readonly Uint8Array[] {
  return node.data instanceof Uint8Array ? [node.data] : node.data;
}

/** An element header (ID and data size) on its own, for elements whose data is written apart. */
export function encodeElementHeader(id: number, dataSize: number, sizeLength?: number): Uint8Array {
  const length = sizeLength ?? vintLengthFor(dataSize);
  const target = new Uint8Array(elementIdLength(id) + length);
  writeVint(target, writeElementId(target, 0, id), dataSize, length);
  return target;
}

/** An element header with the 8-byte unknown size, for a Segment still being written. */
export function encodeUnknownSizeHeader(id: number): Uint8Array {
  const size = encodeUnknownSizeVint(8);
  const target = new Uint8Array(elementIdLength(id) + size.length);
  writeElementId(target, 0, id);
  target.set(size, target.length - size.length);
  return target;
}
