/**
 * Encoding one whole Cluster (Timestamp + SimpleBlocks) with its size known, and the Cues that
 * point at clusters. The cluster comes out as parts for one `writev`: headers packed together,
 * payloads referenced, so a frame is not copied again on its way to the file.
 */
import { MatroskaId, ebml, encodeEbml, encodeEbmlParts, encodeVint, type EbmlNode } from '../ebml/index.js';

/** Largest block timestamp relative to its cluster: SimpleBlock timestamps are int16. */
export const MAX_RELATIVE_TICKS = 0x7fff;

/** One frame ready for a cluster. */
export interface MuxBlock {
  readonly trackNumber: number;
  /** Absolute timestamp in ticks of the TimestampScale. */
  readonly ticks: number;
  readonly keyframe: boolean;
  readonly payload: Uint8Array;
}

/** An encoded cluster and the offset of its first block inside the cluster's data. */
export interface EncodedCluster {
  /** The cluster's bytes, in order: write them back to back. */
  readonly parts: readonly Uint8Array[];
  /** CueRelativePosition of the first block: bytes from the start of the Cluster's data. */
  readonly firstBlockRelativePosition: number;
}

/** A seek point: one cluster, located by its Segment Position. */
export interface CueEntry {
  readonly ticks: number;
  readonly trackNumber: number;
  readonly clusterSegmentPosition: number;
  readonly relativePosition: number;
}

const KEYFRAME_FLAG = 0x80;

/**
 * Encodes a Cluster whose Timestamp is `clusterTicks`. Every block must satisfy
 * `0 <= ticks - clusterTicks <= MAX_RELATIVE_TICKS` (the writer guarantees it).
 */
export function encodeCluster(clusterTicks: number, blocks: readonly MuxBlock[]): EncodedCluster {
  const timestamp = ebml.uint(MatroskaId.Timestamp, clusterTicks);
  const children: EbmlNode[] = [timestamp];
  for (const block of blocks) {
    const relative = block.ticks - clusterTicks;
    if (relative < 0 || relative > MAX_RELATIVE_TICKS) {
      throw new RangeError(`block at tick ${block.ticks} is outside the int16 range of cluster ${clusterTicks}`);
    }
    const track = encodeVint(block.trackNumber);
    const header = new Uint8Array(track.length + 3);
    header.set(track, 0);
    header[track.length] = relative >> 8;
    header[track.length + 1] = relative & 0xff;
    header[track.length + 2] = block.keyframe ? KEYFRAME_FLAG : 0;
    children.push(ebml.binary(MatroskaId.SimpleBlock, [header, block.payload]));
  }
  const timestampBytes = 2 + (timestamp.data as Uint8Array).length;
  return { parts: encodeEbmlParts(ebml.master(MatroskaId.Cluster, children)), firstBlockRelativePosition: timestampBytes };
}

/** Encodes the Cues element for `entries` (at least one). */
export function encodeCues(entries: readonly CueEntry[]): Uint8Array {
  return encodeEbml(ebml.master(MatroskaId.Cues, entries.map((entry) => ebml.master(MatroskaId.CuePoint, [
    ebml.uint(MatroskaId.CueTime, entry.ticks),
    ebml.master(MatroskaId.CueTrackPositions, [
      ebml.uint(MatroskaId.CueTrack, entry.trackNumber),
      ebml.uint(MatroskaId.CueClusterPosition, entry.clusterSegmentPosition),
      ebml.uint(MatroskaId.CueRelativePosition, entry.relativePosition),
    ]),
  ]))));
}
