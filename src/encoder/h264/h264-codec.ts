/**
 * The H.264 codec behind the codec seam (contract §9): each sensor frame is decoded (sharp for
 * JPEG/PNG, the H.264 decoder for an encoded source), scaled, burnt in (the MJPEG pixel path's
 * own steps), converted to I420 and given to one libx264 process per camera (x264-settings.ts).
 * Its packets are length-prefixed access units; an IDR carries its SPS and PPS, so the container
 * builds its avcC from the first. With an H.264 source at the device's size and no burn-in, the
 * source's access units pass through untouched, keyframes as they are.
 */
import sharp from 'sharp';
import { BodycamError, errorMessage } from '../../errors/index.js';
import { checkFrame } from '../../fixture/index.js';
import { EncodedPacket, type PacketResult, type VideoCodec, type VideoEncoder, type VideoEncoderSettings } from '../../media/index.js';
import { holdsIdr, parseAvcC, splitLengthPrefixed } from '../../media/h264/index.js';
import { BurnIn } from '../burn-in.js';
import { FfmpegPipe, requireFfmpeg } from './ffmpeg-pipe.js';
import { FlvTagReader, type FlvVideoTag } from './flv-tags.js';
import { sourceFrameDecoder } from './h264-decoder.js';
import { rawStreamFrame, rawStreamHeader } from './raw-video-stream.js';
import { rgbToI420 } from './rgb-to-i420.js';
import { KeyframeClock, x264Arguments } from './x264-settings.js';

/** Frames prepared at once (decode, scale, burn-in) while the encoder process works: two per core of this 2-core target, and the pipe holds one. */
const H264_FRAMES_IN_FLIGHT = 4;

type Prepared = { readonly ok: true; readonly i420: Uint8Array } | Extract<PacketResult, { ok: false }>;

function createH264Encoder(settings: VideoEncoderSettings): VideoEncoder {
  const { profile, frameDurationUs, outputWidth, outputHeight, sourceVideo } = settings;
  const sameSize = outputWidth === settings.sourceWidth && outputHeight === settings.sourceHeight;
  // A source with B-frames is never passed through: a bodycam's encoder makes none, and its buffer
  // evicts whole GOPs in capture order. It is decoded in presentation order and re-encoded.
  if (sourceVideo !== undefined && sourceVideo.decodeOrder === undefined && sameSize && !profile.video.burnIn) return passthroughEncoder(settings, sourceVideo.avcC);
  if (outputWidth % 2 !== 0 || outputHeight % 2 !== 0) {
    throw BodycamError.badInput({ place: 'device profile: video' }, 'an even width and height for H.264 (4:2:0)', `${outputWidth}x${outputHeight}`);
  }
  requireFfmpeg('the H.264 encoder (video.codec "h264")');
  const decoder = sourceVideo === undefined ? null : sourceFrameDecoder(sourceVideo, settings.sourceWidth, settings.sourceHeight);
  const pipe = new FfmpegPipe<FlvVideoTag>('the H.264 encoder', x264Arguments({
    width: outputWidth, height: outputHeight, frameDurationUs, bitrateKbps: profile.video.bitrateKbps,
  }), framesOnly(new FlvTagReader()));
  pipe.writeHeader(rawStreamHeader({ codec: 'i420', width: outputWidth, height: outputHeight }));
  const burnIn = profile.video.burnIn
    ? new BurnIn({ origin: settings.origin, deviceId: profile.deviceId, officerId: profile.officerId }, outputWidth, outputHeight) : null;
  const keyframes = new KeyframeClock(Math.round(profile.video.keyframeIntervalSeconds * 1_000_000), Math.round(frameDurationUs * 2.5));
  const paths: Record<string, number> = decoder?.reordering === true ? { key: 0, delta: 0, bFrameSource: 0 } : { key: 0, delta: 0 };
  let order: Promise<unknown> = Promise.resolve();
  let lastUs = -1;
  let closed = false;

  const prepare = async (frame: Uint8Array, captureUs: number, decoded: Promise<Uint8Array> | null): Promise<Prepared> => {
    let image = frame;
    if (decoded !== null) {
      image = await decoded; // a decoder failure is the process's: it ends the run
    } else {
      const defect = checkFrame(frame, { width: settings.sourceWidth, height: settings.sourceHeight });
      if (defect !== null) return { ok: false, reason: defect.reason, detail: defect.detail };
    }
    let rgb: Buffer;
    try {
      let pipeline = sharp(image, { failOn: 'warning', sequentialRead: true }).removeAlpha().toColourspace('srgb');
      if (!sameSize) pipeline = pipeline.resize(outputWidth, outputHeight, { fit: 'cover', position: 'centre', kernel: 'lanczos3' });
      rgb = await pipeline.raw().toBuffer();
    } catch (error) {
      return { ok: false, reason: 'corrupt', detail: errorMessage(error).split('\n')[0] ?? 'undecodable' };
    }
    burnIn?.drawInto(rgb, 3, captureUs);
    return { ok: true, i420: rgbToI420(rgb, outputWidth, outputHeight) };
  };

  return {
    paths,
    framesInFlight: H264_FRAMES_IN_FLIGHT,
    inOrder: true,
    decoderConfig: null,
    encode: async (frame, captureUs) => {
      // The decoder takes every frame in call order (the driver calls in capture order): submit now.
      const decoded = decoder === null ? null : decoder.decode(frame);
      const prepared = prepare(frame, captureUs, decoded);
      // Frames reach the encoder process in call order, whatever order their preparation ends in.
      const turn = order.then(async () => {
        const ready = await prepared;
        if (!ready.ok) return ready;
        if (captureUs <= lastUs) {
          return { ok: false as const, reason: 'encode-failed' as const, detail: `captured at ${captureUs} µs, not after the last frame the H.264 encoder took (${lastUs} µs): a GOP encoder takes frames in capture order` };
        }
        lastUs = captureUs;
        const { key, encoderUs } = keyframes.next(captureUs);
        return { ok: true as const, key, tag: pipe.submit(rawStreamFrame(encoderUs, ready.i420, true)) };
      });
      order = turn.catch(() => undefined);
      const submitted = await turn;
      if (!submitted.ok) return submitted;
      const tag = await submitted.tag;
      if (tag.kind !== 'frame' || tag.key !== submitted.key || tag.compositionMs !== 0) {
        throw BodycamError.runtime(`the H.264 encoder gave a ${tag.kind === 'frame' ? (tag.key ? 'key' : 'delta') : 'config'} packet for the frame at ${captureUs} µs, where the device asked for a ${submitted.key ? 'key' : 'delta'} frame`);
      }
      paths[submitted.key ? 'key' : 'delta'] = (paths[submitted.key ? 'key' : 'delta'] ?? 0) + 1;
      if (paths.bFrameSource !== undefined) paths.bFrameSource += 1;
      return { ok: true, packet: new EncodedPacket(tag.data, submitted.key ? 'key' : 'delta', captureUs, frameDurationUs) };
    },
    close: async (how) => {
      if (closed) return;
      closed = true;
      await Promise.all([how === 'finish' ? pipe.close() : pipe.kill(), decoder?.close(how)]);
    },
  };
}

/** Only frame tags reach the waiting frames: the sequence header (the avcC) answers none. */
function framesOnly(reader: FlvTagReader): { push(bytes: Uint8Array): FlvVideoTag[] } {
  return { push: (bytes) => reader.push(bytes).filter((tag) => tag.kind === 'frame') };
}

/** The source's access units as the device's packets, byte for byte; keyframes where the source has IDRs. */
function passthroughEncoder(settings: VideoEncoderSettings, avcC: Uint8Array): VideoEncoder {
  const lengthSize = parseAvcC(avcC).lengthSize;
  const paths = { passthrough: 0 };
  return {
    paths,
    framesInFlight: H264_FRAMES_IN_FLIGHT,
    inOrder: true,
    decoderConfig: avcC,
    encode: async (frame, captureUs) => {
      let key: boolean;
      try {
        key = holdsIdr(splitLengthPrefixed(frame, lengthSize));
      } catch (error) {
        return { ok: false, reason: 'corrupt', detail: errorMessage(error) };
      }
      paths.passthrough += 1;
      return { ok: true, packet: new EncodedPacket(frame, key ? 'key' : 'delta', captureUs, settings.frameDurationUs) };
    },
  };
}

/** H.264 through libx264 (or passed through from an H.264 source). */
export const H264_CODEC: VideoCodec = Object.freeze({ name: 'h264', createEncoder: createH264Encoder });
