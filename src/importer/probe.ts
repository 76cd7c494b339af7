/** What ffprobe says about a video file, reduced to what an import needs. */
import { BodycamError } from '../errors/index.js';
import { runTool } from './external-tool.js';

/** The streams of a probed file. */
export interface ProbedVideo {
  /** ffprobe's name of the video codec (`h264`, `mjpeg`...). */
  readonly codecName: string;
  readonly width: number;
  readonly height: number;
  /** Frames per second from the stream's average (or nominal) rate; null when unknown. */
  readonly fps: number | null;
  readonly durationSeconds: number | null;
  readonly audio: { readonly sampleRate: number; readonly channels: number } | null;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
}

function parseRate(text: string | undefined): number | null {
  if (text === undefined) return null;
  const [num, den] = text.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return null;
  const rate = den === undefined ? num : num / den;
  return Number.isFinite(rate) && rate > 0 ? rate : null;
}

/** Probes `file` with ffprobe; a file without a video stream is bad input. */
export async function probeVideo(file: string): Promise<ProbedVideo> {
  const run = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,sample_rate,channels:format=duration', '-of', 'json', file]);
  if (run.status !== 0) {
    throw BodycamError.badInput({ file }, 'a video file that ffmpeg can read', `ffprobe failed: ${run.stderr.trim().split('\n').pop() ?? 'unknown error'}`);
  }
  const parsed = JSON.parse(run.stdout) as { streams?: FfprobeStream[]; format?: { duration?: string } };
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  if (video === undefined || video.width === undefined || video.height === undefined) {
    throw BodycamError.badInput({ file }, 'a file with a video stream', 'no video stream');
  }
  const audio = streams.find((s) => s.codec_type === 'audio');
  const duration = Number(parsed.format?.duration);
  return {
    codecName: video.codec_name ?? 'unknown',
    width: video.width,
    height: video.height,
    fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate),
    durationSeconds: Number.isFinite(duration) ? duration : null,
    audio: audio === undefined ? null : { sampleRate: Number(audio.sample_rate), channels: audio.channels ?? 1 },
  };
}
