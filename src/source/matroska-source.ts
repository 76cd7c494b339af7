/**
 * A recording file as a replay source: Matroska (a device recording, or any MJPEG/PCM mkv), read
 * with the project's own demuxer, or MP4 (a device's fragmented MP4 recording, or any H.264/PCM
 * MP4), read with mediabunny's (src/container/mp4). Fixture time 0 is the file's first instant
 * (its earliest block); a cut-off file gives the frames of its whole clusters or fragments.
 */
import { basename } from 'node:path';
import { AUDIO_CODEC_ID, H264_CODEC_ID, type MatroskaBlock, type MatroskaTrack, VIDEO_CODEC_ID, isMp4, readMatroska, readMp4 } from '../container/index.js';
import { BodycamError } from '../errors/index.js';
import { FRAME_SIZE_LIMIT_TEXT, checkH264Track, frameSizeAccepted, presentationView } from '../fixture/index.js';
import { readInputFileSync } from '../io/index.js';
import { nearestSampleIndex, sampleTimeUs } from '../time/index.js';
import type { FrameSource } from './frame-source.js';

/** Reads `path` as a frame source. Throws bad-input errors that name the file and what was expected. */
export async function matroskaSource(path: string): Promise<FrameSource> {
  // 2 GiB: what one read into memory can hold (readFile's own limit before).
  const bytes = readInputFileSync(path, { what: 'an MJPEG or H.264 / PCM Matroska file, or an H.264 / PCM MP4 file', maxBytes: 2 ** 31 - 1 });
  const file = isMp4(bytes) ? await readMp4Recording(bytes, path) : readMatroska(bytes, { file: path });
  if (isMp4(bytes)) refuseOtherMp4(path, file.tracks);
  const video = file.tracks.find((t) => t.type === 'video');
  if (video === undefined) throw BodycamError.badInput({ file: path, place: 'Tracks' }, `a video track (${VIDEO_CODEC_ID})`, 'none');
  if (video.codecId !== VIDEO_CODEC_ID && video.codecId !== H264_CODEC_ID) {
    throw BodycamError.badInput({ file: path, place: `Tracks: track ${video.number}` }, `an MJPEG (${VIDEO_CODEC_ID}) or H.264 (${H264_CODEC_ID}) video track`, video.codecId);
  }
  const audio = file.tracks.find((t) => t.type === 'audio') ?? null;
  if (audio !== null && (audio.codecId !== AUDIO_CODEC_ID || audio.bitDepth !== 16)) {
    throw BodycamError.badInput({ file: path, place: `Tracks: track ${audio.number}` }, `16-bit PCM audio (${AUDIO_CODEC_ID}, BitDepth 16) or no audio track`, `${audio.codecId}, ${audio.bitDepth ?? '?'} bits`);
  }
  if (!frameSizeAccepted(video.width ?? 0, video.height ?? 0)) {
    throw BodycamError.badInput({ file: path, place: `Tracks: track ${video.number}` }, `frames ${FRAME_SIZE_LIMIT_TEXT}`, `${video.width ?? '?'}x${video.height ?? '?'}`);
  }
  const frames = file.blocks.filter((b) => b.trackNumber === video.number);
  if (frames.length === 0) throw BodycamError.badInput({ file: path, place: 'Clusters' }, 'at least one whole cluster with a video frame', 'none');
  // H.264: one SPS, starts on a keyframe (exit 2 naming the frame otherwise); B-frames are taken
  // in presentation order (the device re-encodes them).
  const h264 = video.codecId === H264_CODEC_ID ? checkH264Track(path, video, frames) : null;
  const view = h264 === null ? null : presentationView(path, h264);
  const audioBlocks = audio === null ? [] : file.blocks.filter((b) => b.trackNumber === audio.number);
  const firstVideoUs = h264 === null ? frames[0]?.timestampUs ?? 0 : h264.order.presentationUs[0] ?? 0;
  const originUs = Math.min(firstVideoUs, audioBlocks[0]?.timestampUs ?? Number.POSITIVE_INFINITY);
  const captureUs = h264 !== null ? h264.order.presentationUs.map((us) => us - originUs) : frames.map((frame, index) => {
    const previous = frames[index - 1];
    if (previous !== undefined && frame.timestampUs <= previous.timestampUs) {
      throw BodycamError.badInput({ file: path, place: `video frame ${index}` }, `a timestamp after the previous frame's ${previous.timestampUs} µs`, `${frame.timestampUs} µs`);
    }
    return frame.timestampUs - originUs;
  });
  const frameIntervalUs = intervalOf(video, captureUs);
  const pcm = audio === null ? null : collectAudio(audio, audioBlocks, originUs, path);
  const lastUs = captureUs[captureUs.length - 1] ?? 0;
  const audioEndUs = pcm === null ? 0 : sampleTimeUs(pcm.startUs, pcm.samples.length, pcm.sampleRate);
  return {
    name: file.tags.BODYCAM_DEVICE_ID === undefined ? basename(path) : `${basename(path)} (${file.tags.BODYCAM_DEVICE_ID})`,
    path,
    width: video.width ?? 0,
    height: video.height ?? 0,
    frameCount: frames.length,
    captureUs,
    frameIntervalUs,
    readFrame: async (index) => (view === null ? (frames[index] as MatroskaBlock).payload : view.frameAt(index)),
    audio: pcm,
    endUs: Math.max(lastUs + frameIntervalUs, audioEndUs),
    defaultScenarioPath: null,
    ...(view === null ? {} : { sourceVideo: view.encoded }),
  };
}

/** An MP4 read as a recording; one that does not read (no moov...) gets the import command too. */
async function readMp4Recording(bytes: Uint8Array, path: string): ReturnType<typeof readMp4> {
  try {
    return await readMp4(bytes, { file: path });
  } catch (error) {
    if (!(error instanceof BodycamError) || error.code !== 'bad-input') throw error;
    throw BodycamError.badInput({ file: path }, 'a fixture folder, a fixture.json, an .mkv recording or an H.264 / PCM .mp4 recording',
      `an MP4 that does not read as a recording (${error.message.replace(`${path}: `, '')}); import it as a fixture first: bodycam fixture import ${path} --out <folder>, then bodycam run <folder>`);
  }
}

/**
 * An MP4 that is not H.264 with 16-bit PCM (or no) audio, a phone's clip with AAC say, is not a
 * recording: it is refused with the way to use it (import it as a fixture).
 */
function refuseOtherMp4(path: string, tracks: readonly MatroskaTrack[]): void {
  const video = tracks.find((t) => t.type === 'video');
  const audio = tracks.find((t) => t.type === 'audio');
  const codecs = [video?.codecId, audio?.codecId].filter((id) => id !== undefined && id.startsWith('mp4:')).map((id) => (id as string).slice(4));
  if (video === undefined || codecs.length > 0) {
    throw BodycamError.badInput({ file: path }, 'a fixture folder, a fixture.json, an .mkv recording or an H.264 / PCM .mp4 recording',
      `an MP4 with ${video === undefined ? 'no video track' : codecs.join(' and ')}; import it as a fixture first: bodycam fixture import ${path} --out <folder>, then bodycam run <folder>`);
  }
}

function intervalOf(track: MatroskaTrack, captureUs: readonly number[]): number {
  if (track.defaultDurationNs !== undefined && track.defaultDurationNs > 0) return Math.round(track.defaultDurationNs / 1000);
  const spanUs = (captureUs[captureUs.length - 1] ?? 0) - (captureUs[0] ?? 0);
  return captureUs.length > 1 ? Math.max(1, Math.round(spanUs / (captureUs.length - 1))) : 33_333;
}

/**
 * Joins the PCM blocks into one mono track. Stereo is mixed down as floor((L+R)/2), as fixtures are.
 * A gap between blocks (a cut in the audio) is filled with silence so later samples keep their time.
 */
function collectAudio(track: MatroskaTrack, blocks: readonly MatroskaBlock[], originUs: number, path: string): FrameSource['audio'] {
  const sampleRate = track.sampleRate ?? 0;
  const channels = track.channels ?? 1;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48000 || (channels !== 1 && channels !== 2)) {
    throw BodycamError.badInput({ file: path, place: `Tracks: track ${track.number}` }, '8 to 48 kHz mono or stereo PCM', `${sampleRate} Hz, ${channels} channels`);
  }
  if (blocks.length === 0) return null;
  const startUs = (blocks[0]?.timestampUs ?? 0) - originUs;
  const chunks: Int16Array[] = [];
  let total = 0;
  for (const block of blocks) {
    const expectedIndex = nearestSampleIndex(startUs, block.timestampUs - originUs, sampleRate);
    if (expectedIndex > total + 1) {
      chunks.push(new Int16Array(expectedIndex - total));
      total = expectedIndex;
    }
    const frames = block.payload.byteLength / (2 * channels);
    const view = new DataView(block.payload.buffer, block.payload.byteOffset, block.payload.byteLength);
    const mono = new Int16Array(frames);
    for (let i = 0; i < frames; i += 1) {
      mono[i] = channels === 1 ? view.getInt16(i * 2, true) : Math.floor((view.getInt16(i * 4, true) + view.getInt16(i * 4 + 2, true)) / 2);
    }
    chunks.push(mono);
    total += frames;
  }
  const samples = new Int16Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return { sampleRate, startUs, samples };
}
