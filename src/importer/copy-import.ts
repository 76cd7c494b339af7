/**
 * `bodycam fixture import VIDEO --codec copy` (contract §9): an H.264 video becomes an H.264
 * fixture without re-encoding. ffmpeg copies the video track's access units into `video.mkv`
 * (Matroska stores them as MP4 does, length-prefixed; an Annex B source is reframed, its units
 * kept), in decode order with their presentation times as block timestamps (with B-frames these
 * go back and forth, as Matroska stores them); every frame's presentation time (µs), in
 * presentation order, goes to `timestamps.csv`, since Matroska keeps only milliseconds; the audio
 * becomes `audio.wav` as a plain import does. B-frames are kept (the device decodes them in
 * presentation order and re-encodes them). Packets an edit list hides (decoded but never shown)
 * are refused naming the packet: each fixture frame is a frame the sensor saw.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { loadFixture } from '../fixture/index.js';
import { isOrderFault, presentationOrder } from '../media/h264/index.js';
import { runTool } from './external-tool.js';
import type { ProbedVideo } from './probe.js';

const ASHOWINFO = /Parsed_ashowinfo_\d+ @ [^\]]+\] n:\s*(\d+) pts:\s*(-?\d+)/;

/** What the copy wrote. */
export interface CopyImport {
  readonly frames: number;
  readonly fps: number;
  readonly audio: { readonly sampleRate: number; readonly samples: number; readonly startUs: number } | null;
  readonly fixtureJson: Record<string, unknown>;
  readonly lastUs: number;
}

/** Copies `video`'s H.264 track (and audio) into the folder `work`. */
export async function copyH264(video: string, work: string, probed: ProbedVideo): Promise<CopyImport> {
  if (probed.codecName !== 'h264') {
    throw BodycamError.badInput({ file: video, place: 'video stream 0' }, 'H.264 video for --codec copy (or import without it, which re-encodes as JPEG)', probed.codecName);
  }
  const packets = await runTool('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', video]);
  if (packets.status !== 0) throw BodycamError.badInput({ file: video }, 'a video ffprobe can read', packets.stderr.trim().split('\n').pop() ?? 'ffprobe failed');
  const lines = packets.stdout.trim().split('\n').filter((line) => line !== '');
  const hidden = lines.filter((line) => (line.split(',')[1] ?? '').includes('D')).length;
  const decodePtsUs = lines.map((line, index) => {
    const [ptsText, flags = ''] = line.split(',');
    const pts = Number(ptsText);
    if (ptsText === 'N/A' || ptsText === '' || !Number.isFinite(pts)) throw BodycamError.badInput({ file: video, place: `video packet ${index} (decode order)` }, 'a presentation time', ptsText ?? line);
    if (flags.includes('D')) {
      throw BodycamError.badInput({ file: video, place: `video packet ${index} (decode order)` },
        'a packet the video shows (import without --codec copy, which decodes only the frames shown)',
        `a packet its edit list hides (${hidden} packets are decoded but never shown)`);
    }
    return Math.round(pts * 1e6);
  });
  const order = presentationOrder(decodePtsUs);
  if (isOrderFault(order)) throw BodycamError.badInput({ file: video, place: `video packet ${order.frameIndex} (decode order)` }, order.expected, order.found);
  const ptsUs = order.presentationUs;
  const sampleRate = probed.audio === null ? 0 : Math.min(48_000, Math.max(8_000, probed.audio.sampleRate || 16_000));
  let audioFirstPts: number | null = null;
  let audioSamples = 0;
  const run = await runTool('ffmpeg', [
    '-hide_banner', '-nostdin', '-y', '-copyts', '-i', video,
    '-map', '0:v:0', '-c:v', 'copy', '-an', join(work, 'video.mkv'),
    ...(probed.audio === null ? [] : [
      '-map', '0:a:0', '-af', 'aresample=async=1,asettb=1/1000000,ashowinfo', '-ac', '1', '-ar', String(sampleRate), '-c:a', 'pcm_s16le', join(work, 'audio.wav'),
    ]),
  ], (line) => {
    const match = ASHOWINFO.exec(line);
    if (match === null) return;
    audioFirstPts ??= Number(match[2]);
    const samples = /nb_samples:(\d+)/.exec(line);
    audioSamples += samples === null ? 0 : Number(samples[1]);
  });
  if (run.status !== 0) throw BodycamError.badInput({ file: video }, 'a video ffmpeg can copy', run.stderr.trim().split('\n').pop() ?? 'ffmpeg failed');
  const hasAudio = audioFirstPts !== null && existsSync(join(work, 'audio.wav'));
  const originUs = Math.min(ptsUs[0] ?? 0, hasAudio ? (audioFirstPts ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY);
  const captureUs = ptsUs.map((us) => us - originUs);
  writeFileSync(join(work, 'timestamps.csv'), `pts_us\n${captureUs.join('\n')}\n`);
  const spanUs = (captureUs[captureUs.length - 1] ?? 0) - (captureUs[0] ?? 0);
  const fps = probed.fps ?? (captureUs.length > 1 && spanUs > 0 ? ((captureUs.length - 1) * 1e6) / spanUs : 30);
  const audioStartUs = hasAudio ? (audioFirstPts ?? originUs) - originUs : 0;
  const fixtureJson = {
    format: 'bodycam-fixture/1',
    video: { codec: 'h264', stream: 'video.mkv', fps: Number(fps.toFixed(6)), timestamps: 'timestamps.csv' },
    ...(hasAudio ? { audio: { file: 'audio.wav', startUs: audioStartUs } } : {}),
  };
  return {
    frames: captureUs.length, fps, fixtureJson, lastUs: captureUs[captureUs.length - 1] ?? 0,
    audio: hasAudio ? { sampleRate, samples: audioSamples, startUs: audioStartUs } : null,
  };
}

/** Loads the written folder as a fixture (the stream's own checks: one SPS, a keyframe first), naming the source on failure. */
export async function checkCopiedFixture(work: string, video: string): Promise<void> {
  try {
    await loadFixture(work);
  } catch (error) {
    if (error instanceof BodycamError && error.code === 'bad-input') {
      throw BodycamError.badInput({ file: video }, 'an H.264 stream the device can take (one SPS/PPS, a keyframe first)', error.message.replace(`${work}/`, ''));
    }
    throw error;
  }
}

