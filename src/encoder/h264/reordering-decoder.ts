/**
 * The decoder of a source with B-frames: one ffmpeg process per camera that takes the source's
 * access units in decode order (as stored) and gives its frames back in presentation order, one
 * PNG each, which is the order the camera captures them in. The source loops (a live device
 * replays its fixture without end), so decode position `f` is access unit `f mod n` of loop
 * `floor(f / n)`.
 *
 * - Every access unit goes in with the timestamp of its presentation position (rank + loop * n,
 *   in µs of the pipe's 1 µs timescale), and `showinfo` reports each frame's timestamp as it comes
 *   out: the k-th frame out must be presentation position k, or the run ends with exit 3 naming
 *   the file and the frame (the stream's presentation times disagree with its pictures' order,
 *   which only decoding shows). So the order is checked, not assumed.
 * - A decoder holds up to 16 frames back to reorder them (H.264's largest DPB); `-strict 1` makes
 *   ffmpeg's decoder hold back as many as the stream may need even when its SPS does not say
 *   (no VUI), so it never guesses and outputs a frame early. The decoder is fed `LEAD` access units
 *   ahead of the frame asked for, which is always enough for it to come out; at most that many
 *   frames wait decoded.
 */
import { BodycamError } from '../../errors/index.js';
import { type EncodedSourceVideo, type SourceDecodeOrder } from '../../media/index.js';
import { holdsIdr, parseAvcC, splitLengthPrefixed } from '../../media/h264/index.js';
import { FfmpegPipe, requireFfmpeg } from './ffmpeg-pipe.js';
import { PngStreamReader } from './png-frames.js';
import { rawStreamFrame, rawStreamHeader } from './raw-video-stream.js';

/** Access units fed ahead of the frame asked for: H.264's 16-frame reorder window and some slack. */
const LEAD = 20;

const SHOWINFO = /Parsed_showinfo_\d+ @ [^\]]+\] n:\s*(\d+) pts:\s*(-?\d+)/;

/** Decodes a B-frame source to PNG images in presentation order; see the module comment. */
export class ReorderingH264Decoder {
  private readonly pipe: FfmpegPipe<Uint8Array>;
  private readonly order: SourceDecodeOrder;
  private readonly lengthSize: number;
  private readonly images = new Map<number, Promise<Uint8Array>>();
  private readonly shownPts = new Map<number, number>();
  private readonly ptsWaiters = new Map<number, (pts: number) => void>();
  private fed = 0;
  private taken = 0;

  constructor(source: EncodedSourceVideo & { readonly decodeOrder: SourceDecodeOrder }, width: number, height: number) {
    requireFfmpeg('decoding an H.264 source with B-frames');
    this.order = source.decodeOrder;
    this.lengthSize = parseAvcC(source.avcC).lengthSize;
    this.pipe = new FfmpegPipe('the H.264 decoder', [
      '-hide_banner', '-nostats', '-v', 'info', '-threads', '1', '-strict', '1',
      '-probesize', '32', '-analyzeduration', '0', '-f', 'matroska', '-i', 'pipe:0',
      '-map', '0:v:0', '-fps_mode', 'passthrough', '-an', '-vf', 'showinfo', '-threads', '1',
      '-c:v', 'png', '-compression_level', '0', '-pix_fmt', 'rgb24', '-flush_packets', '1', '-f', 'image2pipe', 'pipe:1',
    ], new PngStreamReader(), (line) => this.onStderrLine(line));
    this.pipe.writeHeader(rawStreamHeader({ codec: 'h264', width, height, avcC: source.avcC }));
    void this.pipe.whenExited.then(() => {
      for (const resolve of this.ptsWaiters.values()) resolve(Number.NaN);
      this.ptsWaiters.clear();
    });
  }

  /** The PNG of the next frame in presentation order (the first loop's frame 0 first). */
  async next(): Promise<Uint8Array> {
    const position = this.taken;
    this.taken += 1;
    while (this.fed <= position + LEAD) this.feed();
    const image = this.images.get(position) as Promise<Uint8Array>;
    this.images.delete(position);
    const [png, pts] = await Promise.all([image, this.ptsOf(position)]);
    if (pts !== position) {
      // Found only while decoding, after recordings have begun: a fault that ends the run (exit 3,
      // recordings cut off as by a power cut), never a silently dropped frame.
      const n = this.order.frameCount;
      throw BodycamError.runtime(`${this.order.file}: video frame ${position % n} (presentation order): the H.264 decoder showed ${Number.isNaN(pts)
        ? 'no frame' : `frame ${pts % n}`} there: the stream's presentation times disagree with its pictures' order (remux it with correct timestamps, or import it without --codec copy)`);
    }
    return png;
  }

  /** See {@link FfmpegPipe.close} and {@link FfmpegPipe.kill}: frames decoded ahead and never asked for are let go. */
  close(how: 'finish' | 'abort'): Promise<void> {
    void how;
    // The decoder runs ahead of the camera (and around the loop): what it still holds is not wanted.
    return this.pipe.kill();
  }

  private feed(): void {
    const n = this.order.frameCount;
    const loop = Math.floor(this.fed / n);
    const decodeIndex = this.fed - loop * n;
    const unit = this.order.accessUnit(decodeIndex);
    const presentationPosition = (this.order.rankOf[decodeIndex] ?? 0) + loop * n;
    const image = this.pipe.submit(rawStreamFrame(presentationPosition, unit, holdsIdr(splitLengthPrefixed(unit, this.lengthSize))));
    image.catch(() => undefined); // frames never asked for may fail when the process is stopped
    this.images.set(this.fed, image);
    this.fed += 1;
  }

  private ptsOf(position: number): Promise<number> {
    const known = this.shownPts.get(position);
    if (known !== undefined) {
      this.shownPts.delete(position);
      return Promise.resolve(known);
    }
    return new Promise((resolve) => this.ptsWaiters.set(position, resolve));
  }

  private onStderrLine(line: string): boolean {
    if (line.includes('Parsed_showinfo_')) {
      const match = SHOWINFO.exec(line);
      if (match !== null) {
        const n = Number(match[1]);
        const pts = Number(match[2]);
        const waiter = this.ptsWaiters.get(n);
        if (waiter === undefined) {
          this.shownPts.set(n, pts);
        } else {
          this.ptsWaiters.delete(n);
          waiter(pts);
        }
      }
      return true;
    }
    // ffmpeg's own stream reports at info level are not errors either.
    return !/error|invalid|fail/i.test(line);
  }
}
