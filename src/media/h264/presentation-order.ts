/**
 * Decode order and presentation order of a coded video stream, from each frame's presentation
 * time as the container gives it (in decode order). With B-frames the two differ: a frame is
 * decoded after the later frame it refers to. The camera captures in presentation order, so a
 * fixture's capture times are its presentation times sorted. Container-independent and pure: a
 * Matroska reader (block timestamps), an MP4 demuxer (composition times) or ffprobe's packet list
 * all feed it the same way.
 */

/** A frame whose presentation time cannot be placed. */
export interface OrderFault {
  /** The frame's index in decode order. */
  readonly frameIndex: number;
  readonly expected: string;
  readonly found: string;
}

/** Both orders of a stream. */
export interface PresentationOrder {
  /** For each decode index, the frame's rank in presentation order. */
  readonly rankOf: readonly number[];
  /** For each presentation rank, the frame's decode index. */
  readonly decodeIndexOf: readonly number[];
  /** The presentation times in presentation order (strictly increasing), as given. */
  readonly presentationUs: readonly number[];
  /** True when some frame is decoded out of presentation order (B-frames, reordering). */
  readonly reordered: boolean;
}

/**
 * Sorts the frames by presentation time. Every time must be an integer (µs, any sign: an MP4 edit
 * list or a B-frame delay can make the first ones negative) and no two frames may share one.
 */
export function presentationOrder(ptsUs: readonly number[]): PresentationOrder | OrderFault {
  for (let i = 0; i < ptsUs.length; i += 1) {
    const pts = ptsUs[i];
    if (pts === undefined || !Number.isSafeInteger(pts)) return { frameIndex: i, expected: 'a presentation time in integer µs', found: String(pts) };
  }
  const decodeIndexOf = ptsUs.map((_, i) => i).sort((a, b) => (ptsUs[a] ?? 0) - (ptsUs[b] ?? 0) || a - b);
  const rankOf = new Array<number>(ptsUs.length);
  let reordered = false;
  for (let rank = 0; rank < decodeIndexOf.length; rank += 1) {
    const index = decodeIndexOf[rank] as number;
    rankOf[index] = rank;
    if (index !== rank) reordered = true;
    if (rank > 0) {
      const before = decodeIndexOf[rank - 1] as number;
      if (ptsUs[before] === ptsUs[index]) {
        return { frameIndex: Math.max(before, index), expected: `a presentation time of its own (frame ${Math.min(before, index)} in decode order is presented at it too)`, found: `${ptsUs[index]} µs` };
      }
    }
  }
  return { rankOf, decodeIndexOf, presentationUs: decodeIndexOf.map((i) => ptsUs[i] as number), reordered };
}

/** True when `result` is a fault. */
export function isOrderFault(result: PresentationOrder | OrderFault): result is OrderFault {
  return 'frameIndex' in result;
}
