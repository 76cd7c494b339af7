/**
 * One encoded packet: the unit that travels from a codec (or a source that is already encoded)
 * to the pre-record buffer and on to a container writer. A value type that checks itself, in the
 * manner of mediabunny's EncodedPacket: a packet that exists is well formed.
 */
import { assertArgument } from '../errors/index.js';
import { isMicroseconds } from '../time/index.js';

/** A key packet decodes on its own; a delta packet needs the packets before it, back to a key. */
export const PACKET_TYPES = ['key', 'delta'] as const;
/** See {@link PACKET_TYPES}. */
export type PacketType = (typeof PACKET_TYPES)[number];

/** An encoded video frame (or audio chunk) with its capture time. */
export class EncodedPacket {
  /**
   * @param data the encoded bytes (not copied: the packet holds them as given)
   * @param type whether it decodes on its own
   * @param captureUs capture time of its first sample, integer µs of fixture time
   * @param durationUs how long it lasts, integer µs
   */
  constructor(
    readonly data: Uint8Array,
    readonly type: PacketType,
    readonly captureUs: number,
    readonly durationUs: number,
  ) {
    assertArgument(data instanceof Uint8Array && data.byteLength > 0, 'data', 'a non-empty Uint8Array', data);
    assertArgument((PACKET_TYPES as readonly unknown[]).includes(type), 'type', PACKET_TYPES.join(' or '), type);
    assertArgument(isMicroseconds(captureUs), 'captureUs', 'a non-negative integer number of microseconds', captureUs);
    assertArgument(isMicroseconds(durationUs), 'durationUs', 'a non-negative integer number of microseconds', durationUs);
    Object.freeze(this);
  }

  /** True for a key packet. */
  get isKey(): boolean {
    return this.type === 'key';
  }

  /** Bytes of the encoded data. */
  get byteLength(): number {
    return this.data.byteLength;
  }
}
