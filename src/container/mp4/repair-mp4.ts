/**
 * Repair of a fragmented MP4 recording cut off mid-write (a killed process, a power cut): every
 * sample of its whole fragments (`moof` + whole `mdat`) is re-muxed through the same mediabunny
 * muxer the device uses ({@link Fmp4Muxer}), with the file's own title, date, `BODYCAM_*` tags,
 * avcC and sample times, then finalized (last fragment, `mfra`). The fragments come out as the
 * device wrote them; the partial tail is dropped, and when its `moof` is whole, the samples it
 * announced are counted (`cut`) so the manifest can say what was lost. Pure (no Node), and
 * asynchronous because mediabunny is.
 */
import { BodycamError } from '../../errors/index.js';
import { MemoryByteSink } from '../memory-byte-sink.js';
import { readBoxHeader, findBox } from './boxes.js';
import { demuxMp4, unitsToUs, type DemuxedPacket } from './demux.js';
import type { PositionedWrite } from './fmp4-muxer.js';
import { readFragmentedMp4, readMoof } from './fragments.js';
import { readMovieTimeMs } from './movie-times.js';

/** Samples a cut-off fragment announced (its `moof` is whole) but whose bytes are not all there. */
export interface Mp4CutFragment {
  readonly videoFrames: number;
  /** File times (µs from the file's origin) of its first and last video sample, null without video. */
  readonly videoFromUs: number | null;
  readonly videoToUs: number | null;
  readonly audioSamples: number;
  readonly audioFromUs: number | null;
  readonly audioToUs: number | null;
}

/** What {@link repairFragmentedMp4} produced. */
export interface Mp4RepairResult {
  /** The finalized file. */
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Video frames kept, and of them keyframes. */
  readonly frames: number;
  readonly keyframes: number;
  /** File times (µs from the origin) of the first and last frame kept, null without frames. */
  readonly firstFrameUs: number | null;
  readonly lastFrameUs: number | null;
  /** Audio samples kept, their rate and the first one's file time (null: no audio track). */
  readonly audio: { readonly sampleRate: number; readonly samples: number; readonly firstSampleUs: number | null } | null;
  /** The end of the last frame or audio sample kept. */
  readonly durationUs: number;
  /** Bytes past the last whole fragment, dropped. */
  readonly droppedBytes: number;
  /** The cut-off fragment whose `moof` survived, or null (the cut fell before one). */
  readonly cut: Mp4CutFragment | null;
  /** The file's string tags (`BODYCAM_ORIGIN_US`...), and its date (device clock, whole seconds). */
  readonly tags: Readonly<Record<string, string>>;
  readonly dateUtcMs: number;
}

/** The video track's id as the device's muxer numbers it (video first). */
const VIDEO_TRACK_ID = 1;

/**
 * Rewrites a fragmented MP4 H.264/PCM recording as a finalized file; throws `bad-input` naming
 * `file` when it is not one, or when no whole fragment is left to keep.
 */
export async function repairFragmentedMp4(bytes: Uint8Array, options: { readonly file: string }): Promise<Mp4RepairResult> {
  const layout = readFragmentedMp4(bytes, options);
  const videoTrack = layout.tracks.find((track) => track.handler === 'vide');
  const audioTrack = layout.tracks.find((track) => track.handler === 'soun');
  if (videoTrack?.sampleEntry !== 'avc1' || (audioTrack !== undefined && audioTrack.sampleEntry !== 'ipcm')) {
    throw BodycamError.badInput({ file: options.file, place: 'moov' }, 'an avc1 video track and an optional ipcm audio track (a bodycam MP4 recording)',
      `tracks ${layout.tracks.map((track) => `${track.handler}:${track.sampleEntry}`).join(', ') || 'none'}`);
  }
  if (layout.fragments.length === 0) {
    throw BodycamError.badInput({ file: options.file, place: `byte ${layout.validBytes}` }, 'at least one whole fragment (moof and its mdat)',
      layout.truncated ? 'a file cut off before its first whole fragment' : 'no fragment');
  }
  const whole = bytes.subarray(0, layout.validBytes);
  const moov = findBox(whole, 0, whole.byteLength, 'moov');
  const dateUtcMs = moov === undefined ? null : readMovieTimeMs(whole, moov.payload, moov.end);
  const demuxed = await demuxMp4(whole, options);
  const video = demuxed.tracks.find((track) => track.type === 'video');
  const audio = demuxed.tracks.find((track) => track.type === 'audio');
  if (video === undefined || video.description === null || video.width === undefined || video.height === undefined || dateUtcMs === null) {
    throw BodycamError.badInput({ file: options.file, place: 'moov' }, 'a video track with its avcC, size and the movie header', 'a track without them');
  }
  if (audio !== undefined && (audio.codec !== 'pcm-s16' || audio.channels !== 1 || audio.sampleRate === undefined)) {
    throw BodycamError.badInput({ file: options.file, place: 'moov' }, 'mono 16-bit PCM audio', `${audio.codec ?? 'unknown'}, ${audio.channels ?? '?'} channels`);
  }
  const tags = Object.fromEntries(Object.entries(demuxed.tags).filter(([key]) => key.startsWith('BODYCAM_')));
  const lastVideo = video.packets.at(-1);
  // mediabunny loads when a repair needs it, not with every module that imports the container's index
  const { Fmp4Muxer } = await import('./fmp4-muxer.js');
  const muxer = await Fmp4Muxer.open({
    video: { width: video.width, height: video.height, frameDurationUs: lastVideo?.durationUs ?? 0 },
    audio: audio === undefined ? null : { sampleRate: audio.sampleRate ?? 0 },
    title: demuxed.tags.title ?? '',
    dateUtcMs,
    tags,
  });
  // Fed in time order, video first at a tie, as the device feeds them; mediabunny interleaves by time anyway.
  const queue: { kind: 'video' | 'audio'; packet: DemuxedPacket }[] = [
    ...video.packets.map((packet) => ({ kind: 'video' as const, packet })),
    ...(audio?.packets ?? []).map((packet) => ({ kind: 'audio' as const, packet })),
  ].sort((a, b) => a.packet.decodeUs - b.packet.decodeUs || (a.kind === b.kind ? 0 : a.kind === 'video' ? -1 : 1));
  let first = true;
  for (const { kind, packet } of queue) {
    if (kind === 'audio') {
      await muxer.addAudio(packet.presentationUs, packet.data);
      continue;
    }
    await muxer.addVideo(packet.presentationUs, packet.data, packet.keyframe, first ? video.description : null, packet.durationUs);
    first = false;
  }
  await muxer.finalize();
  const out = assemble(muxer.takeWrites(), bytes.byteLength);
  const audioSamples = (audio?.packets ?? []).reduce((sum, packet) => sum + packet.data.byteLength / 2, 0);
  const lastAudio = audio?.packets.at(-1);
  const audioEndUs = lastAudio === undefined || audio?.sampleRate === undefined ? 0
    : lastAudio.presentationUs + Math.round((lastAudio.data.byteLength / 2) * 1e6 / audio.sampleRate);
  return {
    bytes: out,
    width: video.width,
    height: video.height,
    frames: video.packets.length,
    keyframes: video.packets.filter((packet) => packet.keyframe).length,
    firstFrameUs: video.packets[0]?.presentationUs ?? null,
    lastFrameUs: lastVideo?.presentationUs ?? null,
    audio: audio === undefined ? null : { sampleRate: audio.sampleRate ?? 0, samples: audioSamples, firstSampleUs: audio.packets[0]?.presentationUs ?? null },
    durationUs: Math.max(lastVideo === undefined ? 0 : lastVideo.presentationUs + lastVideo.durationUs, audioEndUs),
    droppedBytes: bytes.byteLength - layout.validBytes,
    cut: cutFragment(bytes, layout.validBytes, layout.tracks, audio?.sampleRate ?? null),
    tags: demuxed.tags,
    dateUtcMs,
  };
}

/** The muxer's positioned writes as one file. */
function assemble(writes: readonly PositionedWrite[], sizeHint: number): Uint8Array {
  const sink = new MemoryByteSink(sizeHint + 4096);
  for (const write of writes) {
    if (write.position === sink.position) sink.write(write.data);
    else if (write.position + write.data.byteLength <= sink.position) sink.patch(write.position, write.data);
    else throw BodycamError.runtime(`the MP4 muxer wrote at byte ${write.position} of a file of ${sink.position} bytes`);
  }
  return sink.toBytes();
}

/** The samples announced by a whole `moof` at `offset` whose `mdat` is cut off, or null. */
function cutFragment(bytes: Uint8Array, offset: number, tracks: ReturnType<typeof readFragmentedMp4>['tracks'], sampleRate: number | null): Mp4CutFragment | null {
  const moof = readBoxHeader(bytes, offset);
  if (moof === null || moof.type !== 'moof' || moof.end > bytes.byteLength) return null;
  const runs = readMoof(bytes, moof).runs;
  const timesOf = (trackId: number): { count: number; fromUs: number | null; toUs: number | null; units: number } => {
    const run = runs.find((r) => r.trackId === trackId);
    const timescale = tracks.find((track) => track.id === trackId)?.timescale ?? 0;
    if (run === undefined || run.sampleSizes.length === 0 || timescale === 0) return { count: 0, fromUs: null, toUs: null, units: 0 };
    const lastStart = run.baseDecodeTime + run.sampleDurations.slice(0, -1).reduce((sum, d) => sum + d, 0);
    return { count: run.sampleSizes.length, fromUs: unitsToUs(run.baseDecodeTime, timescale), toUs: unitsToUs(lastStart, timescale), units: run.sampleDurations.reduce((sum, d) => sum + d, 0) };
  };
  const videoTimes = timesOf(VIDEO_TRACK_ID);
  const audioId = tracks.find((track) => track.handler === 'soun')?.id;
  const audioTimes = audioId === undefined ? { count: 0, fromUs: null, toUs: null, units: 0 } : timesOf(audioId);
  // An ipcm track's timescale is its sample rate: its duration in units is its sample count.
  const audioSamples = sampleRate === null ? 0 : audioTimes.units;
  const audioToUs = audioTimes.fromUs === null || sampleRate === null || audioSamples === 0 ? null
    : audioTimes.fromUs + Math.round(((audioSamples - 1) * 1e6) / sampleRate);
  return {
    videoFrames: videoTimes.count, videoFromUs: videoTimes.fromUs, videoToUs: videoTimes.toUs,
    audioSamples, audioFromUs: audioSamples === 0 ? null : audioTimes.fromUs, audioToUs,
  };
}
