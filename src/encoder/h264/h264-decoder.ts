/**
 * An encoded source's decoder: one ffmpeg process per camera that takes the source's H.264 access
 * units in order and gives each frame back as a PNG (stored, uncompressed), which the pixel path
 * reads as it reads a PNG fixture frame. One thread and low-delay output: a frame comes out
 * before the next goes in, for a source without B-frames (one with them: reordering-decoder.ts).
 */
import { type EncodedSourceVideo } from '../../media/index.js';
import { holdsIdr, parseAvcC, splitLengthPrefixed } from '../../media/h264/index.js';
import { FfmpegPipe, requireFfmpeg } from './ffmpeg-pipe.js';
import { PngStreamReader } from './png-frames.js';
import { rawStreamFrame, rawStreamHeader } from './raw-video-stream.js';
import { ReorderingH264Decoder } from './reordering-decoder.js';

/** Decodes a source's H.264 frames to PNG images, in order. */
export class H264Decoder {
  private readonly pipe: FfmpegPipe<Uint8Array>;
  private frames = 0;

  constructor(source: EncodedSourceVideo, width: number, height: number) {
    requireFfmpeg('decoding an H.264 source');
    this.pipe = new FfmpegPipe('the H.264 decoder', [
      '-hide_banner', '-nostats', '-v', 'error', '-threads', '1', '-flags', 'low_delay',
      '-probesize', '32', '-analyzeduration', '0', '-f', 'matroska', '-i', 'pipe:0',
      '-map', '0:v:0', '-fps_mode', 'passthrough', '-an', '-threads', '1',
      '-c:v', 'png', '-compression_level', '0', '-pix_fmt', 'rgb24', '-flush_packets', '1', '-f', 'image2pipe', 'pipe:1',
    ], new PngStreamReader());
    this.pipe.writeHeader(rawStreamHeader({ codec: 'h264', width, height, avcC: source.avcC }));
  }

  /** The PNG of the next frame (frames must come in decode order, every one). */
  decode(accessUnit: Uint8Array, key: boolean): Promise<Uint8Array> {
    const timestampUs = this.frames;
    this.frames += 1;
    return this.pipe.submit(rawStreamFrame(timestampUs, accessUnit, key));
  }

  /** See {@link FfmpegPipe.close} and {@link FfmpegPipe.kill}. */
  close(how: 'finish' | 'abort'): Promise<void> {
    return how === 'finish' ? this.pipe.close() : this.pipe.kill();
  }
}

/** A decoder of an encoded source, whichever kind its stream needs. */
export interface SourceFrameDecoder {
  /**
   * The image of the next frame in capture order. `frame` is the source's access unit for it; a
   * B-frame source is decoded from its own decode order instead (every frame, in order).
   */
  decode(frame: Uint8Array): Promise<Uint8Array>;
  close(how: 'finish' | 'abort'): Promise<void>;
  /** True for a source with B-frames, decoded in its decode order and handed out in presentation order. */
  readonly reordering: boolean;
}

/** The decoder `source` needs: in order for an I/P stream, reordering for one with B-frames. */
export function sourceFrameDecoder(source: EncodedSourceVideo, width: number, height: number): SourceFrameDecoder {
  const { decodeOrder } = source;
  if (decodeOrder !== undefined) {
    const decoder = new ReorderingH264Decoder({ ...source, decodeOrder }, width, height);
    return { reordering: true, decode: () => decoder.next(), close: (how) => decoder.close(how) };
  }
  const decoder = new H264Decoder(source, width, height);
  const lengthSize = parseAvcC(source.avcC).lengthSize;
  return {
    reordering: false,
    decode: (frame) => decoder.decode(frame, holdsIdr(splitLengthPrefixed(frame, lengthSize))),
    close: (how) => decoder.close(how),
  };
}
