/**
 * The live view of an H.264 camera. The page shows JPEG frames (multipart MJPEG); an H.264 camera's
 * packets are not pictures on their own, so while the device streams its packets are decoded, in
 * order, by one ffmpeg process (the project's H.264 decoder, as an H.264 source is decoded) and
 * each picture is encoded as a JPEG for the viewers. The recording keeps the camera's H.264 packets;
 * only the view is decoded. The view starts at a key packet (IDR): a delta packet without its key
 * would decode to grey, as a player joining a stream mid-GOP shows.
 */
import sharp from 'sharp';
import { H264Decoder } from '../encoder/h264/index.js';
import { errorMessage } from '../errors/index.js';
import type { EncodedPacket } from '../media/index.js';
import { buildAvcC, holdsIdr, parameterSets, parseAvcC, splitLengthPrefixed } from '../media/h264/index.js';

/** JPEG quality of the view's frames (what an MJPEG preview of a camera looks like). */
const VIEW_JPEG_QUALITY = 80;

/** True when `data` is a JPEG (an MJPEG camera's packet goes to the view as it is). */
export function isJpeg(data: Uint8Array): boolean {
  return data[0] === 0xff && data[1] === 0xd8;
}

/** Decodes an H.264 camera's packets into JPEG frames for the live view; see the module comment. */
export class H264Preview {
  private decoder: H264Decoder | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failed = false;
  private synced = false;

  /**
   * @param fallbackAvcC the avcC to use when a key packet carries no SPS/PPS in-band (a passed-through source's)
   * @param emit receives each JPEG, in capture order
   * @param onFailure told once if the decoder fails; the view then stops (the device goes on)
   */
  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly fallbackAvcC: Uint8Array | null,
    private readonly emit: (captureUs: number, jpeg: Uint8Array) => void,
    private readonly onFailure: (message: string) => void,
  ) {}

  /** A packet the camera took while it streams. */
  push(packet: EncodedPacket): void {
    if (this.failed) return;
    if (!this.synced) {
      if (!packet.isKey) return;
      this.synced = true;
    }
    let decoded: Promise<Uint8Array>;
    try {
      decoded = this.decoderFor(packet).decode(packet.data, packet.isKey);
    } catch (error) {
      this.fail(errorMessage(error));
      return;
    }
    decoded.catch(() => undefined);
    const previous = this.chain;
    this.chain = (async () => {
      await previous;
      try {
        const png = await decoded;
        const jpeg = await sharp(png).jpeg({ quality: VIEW_JPEG_QUALITY }).toBuffer();
        if (!this.failed) this.emit(packet.captureUs, new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength));
      } catch (error) {
        this.fail(errorMessage(error));
      }
    })();
  }

  /** Streaming stopped: the next view starts again at a key packet. */
  pause(): void {
    this.synced = false;
  }

  /** Ends the decoder process. */
  async close(): Promise<void> {
    this.failed = true;
    const decoder = this.decoder;
    this.decoder = null;
    await decoder?.close('abort').catch(() => undefined);
  }

  private decoderFor(packet: EncodedPacket): H264Decoder {
    if (this.decoder !== null) return this.decoder;
    const lengthSize = this.fallbackAvcC === null ? 4 : parseAvcC(this.fallbackAvcC).lengthSize;
    const units = splitLengthPrefixed(packet.data, lengthSize);
    const inBand = parameterSets(units);
    const avcC = inBand.sps.length > 0 && inBand.pps.length > 0 ? buildAvcC(inBand.sps, inBand.pps, lengthSize) : this.fallbackAvcC;
    if (avcC === null || !holdsIdr(units)) throw new Error('the first key packet of the view carries no SPS/PPS and the camera has no avcC');
    this.decoder = new H264Decoder({ codec: 'h264', avcC }, this.width, this.height);
    return this.decoder;
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(message);
    void this.close();
  }
}
