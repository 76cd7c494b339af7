/**
 * The MJPEG codec behind the codec seam (src/media): the {@link FrameEncoder} with the device's
 * video settings, its JPEGs as key packets (every JPEG decodes on its own), and the process's
 * frame cache unless the environment turns it off (frame-cache.ts).
 */
import { EncodedPacket, type VideoCodec, type VideoEncoder, type VideoEncoderSettings } from '../media/index.js';
import { sharedFrameCache } from './frame-cache.js';
import { FrameEncoder } from './frame-encoder.js';
import { sourceFrameDecoder } from './h264/h264-decoder.js';

function createMjpegEncoder(settings: VideoEncoderSettings): VideoEncoder {
  const { profile, frameDurationUs } = settings;
  const encoder = new FrameEncoder({
    sourceWidth: settings.sourceWidth,
    sourceHeight: settings.sourceHeight,
    outputWidth: settings.outputWidth,
    outputHeight: settings.outputHeight,
    jpegQuality: profile.video.jpegQuality,
    burnIn: profile.video.burnIn ? { origin: settings.origin, deviceId: profile.deviceId, officerId: profile.officerId } : null,
    passthrough: true,
    spliceBurnIn: profile.video.spliceBurnIn,
    blockWorkers: true,
    frameCache: sharedFrameCache(),
    maxFrameBytes: profile.video.maxBitrateKbps === null ? null
      : Math.floor((profile.video.maxBitrateKbps * 1000 * frameDurationUs) / 8 / 1_000_000),
  });
  // An H.264 source: each access unit is decoded (in order, every one) to a PNG the pixel path reads;
  // one with B-frames is decoded in its decode order and handed out in presentation order.
  const source = settings.sourceVideo;
  const decoder = source === undefined ? null : sourceFrameDecoder(source, settings.sourceWidth, settings.sourceHeight);
  let reordered = 0;
  return {
    // `bFrameSource`: frames decoded from a B-frame source in presentation order (every one is re-encoded).
    get paths() {
      return decoder?.reordering === true ? { ...encoder.paths, bFrameSource: reordered } : encoder.paths;
    },
    framesInFlight: encoder.framesInFlight,
    ...(decoder === null ? {} : { inOrder: true, close: (how: 'finish' | 'abort') => decoder.close(how) }),
    encode: async (frame, captureUs) => {
      const image = decoder === null ? frame : await decoder.decode(frame);
      if (decoder?.reordering === true) reordered += 1;
      const result = await encoder.encode(image, captureUs);
      if (!result.ok) return result;
      const packet = new EncodedPacket(result.jpeg, 'key', captureUs, frameDurationUs);
      return result.release === undefined ? { ok: true, packet } : { ok: true, packet, release: result.release };
    },
  };
}

/** Motion JPEG: every frame a key packet. */
export const MJPEG_CODEC: VideoCodec = Object.freeze({ name: 'mjpeg', intraOnly: true, createEncoder: createMjpegEncoder });
