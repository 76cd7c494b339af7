/**
 * Reads ffmpeg's FLV output as it arrives: each tag's size comes before its data, so a packet is
 * known to be whole the moment its last byte arrives (a raw H.264 stream only ends a frame when
 * the next one starts). Video tags of AVC: the first is the sequence header (the avcC), the rest
 * one frame each, length-prefixed NAL units. Pure.
 */
import { concatBytes } from '../../container/bytes.js';

/** One video tag's content. */
export type FlvVideoTag =
  | { readonly kind: 'config'; readonly avcC: Uint8Array }
  | { readonly kind: 'frame'; readonly key: boolean; readonly compositionMs: number; readonly data: Uint8Array };

const FLV_HEADER_BYTES = 9 + 4; // header, then PreviousTagSize0
const TAG_HEADER_BYTES = 11;

/** Incremental FLV reader: push bytes, take the video tags that are whole. */
export class FlvTagReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private headerSeen = false;

  /** Adds bytes and returns every video tag now whole. Throws a RangeError on a stream that is not FLV/AVC. */
  push(bytes: Uint8Array): FlvVideoTag[] {
    this.buffer = this.buffer.length === 0 ? bytes.slice() : concatBytes(this.buffer, bytes);
    const tags: FlvVideoTag[] = [];
    let at = 0;
    if (!this.headerSeen) {
      if (this.buffer.length < FLV_HEADER_BYTES) return tags;
      if (this.buffer[0] !== 0x46 || this.buffer[1] !== 0x4c || this.buffer[2] !== 0x56) throw new RangeError('the encoder\'s output does not start with an FLV header');
      this.headerSeen = true;
      at = FLV_HEADER_BYTES;
    }
    for (;;) {
      if (at + TAG_HEADER_BYTES > this.buffer.length) break;
      const type = this.buffer[at] ?? 0;
      const size = ((this.buffer[at + 1] ?? 0) << 16) | ((this.buffer[at + 2] ?? 0) << 8) | (this.buffer[at + 3] ?? 0);
      const end = at + TAG_HEADER_BYTES + size + 4;
      if (end > this.buffer.length) break;
      if (type === 9) tags.push(videoTag(this.buffer.subarray(at + TAG_HEADER_BYTES, at + TAG_HEADER_BYTES + size)));
      at = end;
    }
    this.buffer = this.buffer.subarray(at);
    return tags;
  }

  /** Bytes received but not yet a whole tag. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}

function videoTag(body: Uint8Array): FlvVideoTag {
  const codec = (body[0] ?? 0) & 0x0f;
  if (codec !== 7 || body.length < 5) throw new RangeError(`an AVC video tag (codec 7), not codec ${codec}`);
  const key = ((body[0] ?? 0) >> 4) === 1;
  const packetType = body[1] ?? 0;
  const raw = ((body[2] ?? 0) << 16) | ((body[3] ?? 0) << 8) | (body[4] ?? 0);
  const compositionMs = raw >= 0x800000 ? raw - 0x1000000 : raw;
  const payload = body.slice(5);
  if (packetType === 0) return { kind: 'config', avcC: payload };
  return { kind: 'frame', key, compositionMs, data: payload };
}
