/**
 * Issue 15: the media seams. A codec and a container that are neither MJPEG nor Matroska plug into
 * the camera through src/media's interfaces alone: a test codec whose packets are mostly deltas
 * (one key every 4 frames), and a test container that writes one text line per packet. A replay
 * through them records from a key packet (the GOP-aware buffer sees the deltas), writes the test
 * container's file with its extension, and its manifest names the test codec ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CameraMedia } from '../../src/camera/index.js';
import type { ByteSink } from '../../src/container/index.js';
import { resolveProfile } from '../../src/device/index.js';
import {
  type ContainerStats, type ContainerWriter, type ContainerWriterOptions, EncodedPacket, type RecordingFormat, type VideoCodec,
} from '../../src/media/index.js';
import { UNPROTECTED } from '../../src/recorder/index.js';
import { runReplay } from '../../src/sim/index.js';
import { openSource } from '../../src/source/index.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

/** Every 4th frame (by capture time on the 100 ms grid) is a key packet; the rest are deltas. */
const GOP_FRAMES = 4;
const FRAME_US = 100_000;

const TEST_CODEC: VideoCodec = {
  name: 'test-gop',
  createEncoder: (settings) => {
    const paths = { key: 0, delta: 0 };
    return {
      paths,
      framesInFlight: 2,
      encode: async (_frame, captureUs) => {
        const type = Math.round(captureUs / FRAME_US) % GOP_FRAMES === 0 ? 'key' : 'delta';
        paths[type] += 1;
        return { ok: true, packet: new EncodedPacket(new TextEncoder().encode(`frame@${captureUs}`), type, captureUs, settings.frameDurationUs) };
      },
    };
  },
};

/** One line per packet: `V <timestampUs> <key|delta> <bytes>` or `A <timestampUs> <bytes>`; `END <durationUs>`. */
function createLineWriter(sink: ByteSink, options: ContainerWriterOptions): ContainerWriter {
  const line = (text: string): void => sink.write(new TextEncoder().encode(`${text}\n`));
  line(`TEST ${options.title} ${options.video.width}x${options.video.height} origin=${options.tags.BODYCAM_ORIGIN_US}`);
  let stats: ContainerStats = { videoFramesWritten: 0, audioSamplesWritten: 0, lastVideoWrittenUs: null };
  return {
    addVideo: (timestampUs, data, type) => {
      line(`V ${timestampUs} ${type} ${data.byteLength}`);
      stats = { ...stats, videoFramesWritten: stats.videoFramesWritten + 1, lastVideoWrittenUs: timestampUs };
    },
    addAudio: (timestampUs, pcm) => {
      line(`A ${timestampUs} ${pcm.byteLength}`);
      stats = { ...stats, audioSamplesWritten: stats.audioSamplesWritten + pcm.byteLength / 2 };
    },
    finalize: (durationUs) => line(`END ${durationUs}`),
    get stats() {
      return stats;
    },
  };
}

const TEST_FORMAT: RecordingFormat = {
  name: 'test-lines', extension: '.tcf', videoCodecId: 'X_TEST_GOP', audioCodecId: 'X_TEST_PCM', createWriter: createLineWriter,
};

async function replayWithTestMedia(preRollStart: 'keyframe-before' | 'keyframe-after') {
  // 3 s at 10 fps with audio; the holster signal at 2.05 s asks for 1 s of pre-roll (from 1.05 s):
  // the frame at 1.1 s is a delta of the GOP whose key is at 0.8 s; the next key is at 1.2 s.
  const fixture = await makeFixture({ fps: 10, frames: 30, audio: { sampleRate: 8000, seconds: 3 } });
  const outDir = tempDir('media-seams');
  const media: CameraMedia = { codec: TEST_CODEC, format: TEST_FORMAT };
  const result = await runReplay({
    source: await openSource(fixture.dir),
    profile: resolveProfile({ preRecordSeconds: 1, preRollStart }),
    origin: { epochMs: Date.UTC(2026, 0, 1), offsetMinutes: 0 },
    initialState: 'standby',
    inputs: [{ kind: 'signal', signal: 'holster', atUs: 2_050_000 }],
    outDir,
    protection: UNPROTECTED,
    media,
  });
  const [manifest] = result.recordings;
  if (manifest === undefined) throw new Error('no recording');
  const lines = readFileSync(join(outDir, 'recordings', manifest.file), 'utf8').trim().split('\n');
  return { result, manifest, lines };
}

describe('a codec and a container plugged in through src/media', () => {
  it("record from a key packet into the test container ('keyframe-after'), and the manifest names them", async () => {
    const { result, manifest, lines } = await replayWithTestMedia('keyframe-after');
    expect(manifest.file).toBe(`${manifest.id}.tcf`);
    expect(manifest.video.codec).toBe('X_TEST_GOP');
    expect(manifest.audio?.codec).toBe('X_TEST_PCM');
    expect(manifest.video.firstFrameUs).toBe(1_200_000);
    expect(manifest.preRoll).toMatchObject({ actualUs: 850_000, limitedBy: 'gop' });
    expect(manifest.video.frames).toBe(18); // 1.2 s to 2.9 s
    expect(manifest.keyframes).toEqual({
      preRollStart: 'keyframe-after', windowStartUs: 1_050_000, firstUs: 1_200_000, beforeWindowUs: 0, count: 5, firstGopUs: 400_000, maxGopUs: 400_000,
    });

    expect(lines[0]).toBe(`TEST ${manifest.id} 160x90 origin=1200000`);
    const video = lines.filter((line) => line.startsWith('V '));
    expect(video).toHaveLength(18);
    expect(video.slice(0, 5)).toEqual(['V 0 key 13', 'V 100000 delta 13', 'V 200000 delta 13', 'V 300000 delta 13', 'V 400000 key 13']); // "frame@1200000" is 13 bytes
    expect(lines.some((line) => line.startsWith('A '))).toBe(true);
    expect(lines.at(-1)).toMatch(/^END \d+$/);
    expect(result.framesEncoded).toMatchObject({ key: expect.any(Number), delta: expect.any(Number) });
    expect((result.framesEncoded.delta ?? 0)).toBeGreaterThan(result.framesEncoded.key ?? 0);
  });

  it("'keyframe-before' (the default) starts at the key of the GOP the window begins in: at least the requested pre-roll", async () => {
    const { manifest, lines } = await replayWithTestMedia('keyframe-before');
    expect(resolveProfile().preRollStart).toBe('keyframe-before');
    expect(manifest.video.firstFrameUs).toBe(800_000);
    expect(manifest.preRoll).toEqual({ requestedUs: 1_000_000, actualUs: 1_250_000, limitedBy: null });
    expect(manifest.video.frames).toBe(22); // 0.8 s to 2.9 s
    expect(manifest.keyframes).toEqual({
      preRollStart: 'keyframe-before', windowStartUs: 1_050_000, firstUs: 800_000, beforeWindowUs: 250_000, count: 6, firstGopUs: 400_000, maxGopUs: 400_000,
    });
    const video = lines.filter((line) => line.startsWith('V '));
    expect(video.slice(0, 5)).toEqual(['V 0 key 12', 'V 100000 delta 12', 'V 200000 delta 13', 'V 300000 delta 13', 'V 400000 key 13']); // "frame@800000", "frame@900000": 12 bytes
  });
});
