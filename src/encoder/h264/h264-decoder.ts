/**
 * An encoded source's decoder: one ffmpeg process per camera that takes the source's H.264 access
 * units in order and gives each frame back as a PNG (stored, uncompressed), which the pixel path
 * reads as it reads a PNG fixture frame. One thread and low-delay output: a frame comes out
 * before the next goes in (no B-frames in the sources this project takes).
 */
import { type EncodedSourceVideo } from '../../media/index.js';
import { FfmpegPipe, requireFfmpeg } from './ffmpeg-pipe.js';
import { PngStreamReader } from './png-frames.js';
import { rawStreamFrame, rawStreamHeader } from './raw-video-stream.js';

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
