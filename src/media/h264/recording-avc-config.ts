/**
 * The avcC of one recording, as every H.264 container writer needs it: built from the first key
 * packet's in-band SPS/PPS (an encoder's IDR carries them) or the one the encoder gave (a
 * passthrough's source avcC); a later key packet whose in-band SPS/PPS differ is refused, because
 * one avcC describes a whole file. Pure.
 */
import { BodycamError } from '../../errors/index.js';
import type { PacketType } from '../encoded-packet.js';
import { type AvcConfig, buildAvcC, parameterSets, parseAvcC, sameBytes } from './avc-config.js';
import { splitLengthPrefixed } from './nal-units.js';

/** See the module comment. */
export class RecordingAvcConfig {
  private config: AvcConfig | null = null;

  /** @param known the avcC the encoder knew before its first packet, or null */
  constructor(private readonly known: Uint8Array | null) {}

  /**
   * Checks one video packet; returns the recording's avcC for its first packet (the file's header
   * is written with it) and null for every later one.
   * @throws BodycamError `runtime` for a first packet that is no key frame or gives no avcC, and for an SPS/PPS change
   */
  accept(timestampUs: number, data: Uint8Array, type: PacketType): Uint8Array | null {
    const lengthSize = this.config?.lengthSize ?? (this.known === null ? 4 : parseAvcC(this.known).lengthSize);
    const inBand = parameterSets(splitLengthPrefixed(data, lengthSize));
    if (this.config !== null) {
      if (changed(inBand.sps, this.config.sps) || changed(inBand.pps, this.config.pps)) {
        throw BodycamError.runtime(`the H.264 stream changed its SPS/PPS at ${timestampUs} µs into the recording; one recording holds one stream configuration`);
      }
      return null;
    }
    if (type !== 'key') throw BodycamError.runtime(`an H.264 recording must begin with a key frame; the first frame (at ${timestampUs} µs) is a delta frame`);
    const avcC = inBand.sps.length > 0 && inBand.pps.length > 0 ? buildAvcC(inBand.sps, inBand.pps, 4) : this.known;
    if (avcC === null) throw BodycamError.runtime(`the first key frame of an H.264 recording (at ${timestampUs} µs) carries no SPS/PPS and the encoder gave no avcC`);
    this.config = parseAvcC(avcC);
    return avcC;
  }
}

function changed(inBand: readonly Uint8Array[], known: readonly Uint8Array[]): boolean {
  return !inBand.every((unit) => known.some((other) => sameBytes(unit, other)));
}
