/**
 * The MJPEG codec behind the codec seam (src/media): the {@link FrameEncoder} with the device's
 * video settings, its JPEGs as key packets (every JPEG decodes on its own).
 */
import { EncodedPacket, type VideoCodec, type VideoEncoder, type VideoEncoderSettings } from '../media/index.js';
import { FrameEncoder } from './frame-encoder.js';

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
    maxFrameBytes: profile.video.maxBitrateKbps === null ? null
      : Math.floor((profile.video.maxBitrateKbps * 1000 * frameDurationUs) / 8 / 1_000_000),
  });
  return {
    paths: encoder.paths,
    framesInFlight: encoder.framesInFlight,
    encode: async (frame, captureUs) => {
      const result = await encoder.encode(frame, captureUs);
      return result.ok ? { ok: true, packet: new EncodedPacket(result.jpeg, 'key', captureUs, frameDurationUs) } : result;
    },
  };
}

/** Motion JPEG: every frame a key packet. */
export const MJPEG_CODEC: VideoCodec = Object.freeze({ name: 'mjpeg', intraOnly: true, createEncoder: createMjpegEncoder });
