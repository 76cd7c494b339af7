/**
 * Fixture frames kept in memory: a looping fixture is read again every loop, and a fleet's
 * devices over one fixture read the same frames at the same moments. Reading a frame from disk
 * costs several trips through libuv's small thread pool, which the encoder also needs; from
 * memory it costs nothing. The cache stops growing at a byte budget (frames past it are read from
 * disk each time), so a long high-resolution fixture cannot exhaust memory.
 */
import type { FrameSource } from '../source/index.js';

/** The default budget of a source's frame cache: 256 MiB. */
export const DEFAULT_FRAME_CACHE_BYTES = 256 * 1024 * 1024;

/** `source` with its `readFrame` answered from memory after the first read of each frame. */
export function withFrameCache(source: FrameSource, maxBytes = DEFAULT_FRAME_CACHE_BYTES): FrameSource {
  const cache = new Map<number, Promise<Uint8Array>>();
  let cachedBytes = 0;
  const readFrame = (index: number): Promise<Uint8Array> => {
    const hit = cache.get(index);
    if (hit !== undefined) return hit;
    if (cachedBytes >= maxBytes) return source.readFrame(index);
    const read = source.readFrame(index);
    cache.set(index, read);
    read.then((bytes) => {
      cachedBytes += bytes.byteLength;
    }, () => cache.delete(index));
    return read;
  };
  return { ...source, readFrame };
}
