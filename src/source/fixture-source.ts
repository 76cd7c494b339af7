/** A fixture folder as a replay's frame source. */
import type { Fixture } from '../fixture/index.js';
import type { FrameSource } from './frame-source.js';

/** Wraps a loaded fixture (contract §2) as a {@link FrameSource}. */
export function fixtureSource(fixture: Fixture): FrameSource {
  const { video, audio } = fixture;
  return {
    name: fixture.name,
    path: fixture.dir,
    width: video.width,
    height: video.height,
    frameCount: video.frameCount,
    captureUs: video.captureUs,
    frameIntervalUs: Math.round(1_000_000 / video.fps),
    frameFormat: video.format,
    ...(video.encoded === undefined ? {} : { sourceVideo: video.encoded }),
    // A synchronous read: a frame is ~100 KB, usually in the page cache, and an async read would
    // queue four syscalls on the libuv pool that sharp's encoders are using (docs/performance.md).
    readFrame: async (index, target) => video.readFrame(index, target),
    audio: audio === null ? null : { sampleRate: audio.sampleRate, startUs: audio.startUs, samples: audio.samples },
    endUs: fixture.endUs,
    defaultScenarioPath: fixture.scenarioPath,
  };
}
