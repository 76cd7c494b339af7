/**
 * Shared helpers of the container tests: real JPEGs (sharp) and PCM, ffprobe/ffmpeg runners
 * that fail loudly when the tools are missing, and a plain EBML walk of a file's clusters.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MatroskaWriter, MemoryByteSink, type MatroskaChapter, type MatroskaWriterOptions } from '../../src/container/index.js';
import { MatroskaId, decodeUnsigned, readElementHeader, readVint } from '../../src/container/ebml/index.js';

/** A real baseline JPEG of `width` x `height`, different for each `index`. */
export async function makeJpeg(width: number, height: number, index: number): Promise<Uint8Array> {
  const raw = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      raw[at] = (index * 37 + x * 3) & 0xff;
      raw[at + 1] = (index * 11 + y * 5) & 0xff;
      raw[at + 2] = (x * y + index) & 0xff;
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
}

/** `count` distinct real JPEGs, to reuse in rotation. */
export async function makeJpegs(width: number, height: number, count: number): Promise<Uint8Array[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => makeJpeg(width, height, index)));
}

/** Signed 16-bit little-endian sine PCM, `samples` frames from sample `firstSample`. */
export function makeSinePcm(firstSample: number, samples: number, channels: 1 | 2, sampleRate: number): Uint8Array {
  const pcm = new Uint8Array(samples * channels * 2);
  const view = new DataView(pcm.buffer);
  for (let index = 0; index < samples; index += 1) {
    const value = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (firstSample + index)) / sampleRate));
    for (let channel = 0; channel < channels; channel += 1) view.setInt16((index * channels + channel) * 2, value, true);
  }
  return pcm;
}

/** Fails with the message CI expects when an external tool is missing. */
export function requireTool(tool: 'ffprobe' | 'ffmpeg'): void {
  const probe = spawnSync(tool, ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(`${tool} not found: apt-get install -y ffmpeg`);
}

/** Runs ffprobe with JSON output. */
export function ffprobeJson(file: string, args: readonly string[]): Record<string, unknown> {
  requireTool('ffprobe');
  const run = spawnSync('ffprobe', ['-v', 'error', '-of', 'json', ...args, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`ffprobe failed on ${file}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** Per-frame pts of one stream, in µs (from ffprobe `-show_frames`, `pts_time`). */
export function ffprobeFramePtsUs(file: string, stream: 'v' | 'a'): number[] {
  const json = ffprobeJson(file, ['-select_streams', `${stream}:0`, '-show_entries', 'frame=pts_time']);
  const frames = (json.frames ?? []) as { pts_time?: string }[];
  return frames.map((frame) => Math.round(Number(frame.pts_time) * 1_000_000));
}

/** Streams and format as ffprobe sees them, with packets counted. */
export function ffprobeStreams(file: string): { streams: { codec_name: string; codec_type: string; nb_read_packets?: string; sample_rate?: string; channels?: number; width?: number; height?: number }[]; format: { duration?: string } } {
  return ffprobeJson(file, ['-count_packets', '-show_streams', '-show_format']) as never;
}

/** {@link ffprobeStreams}, without blocking: for many small files, run a few at once. */
export async function ffprobeStreamsAsync(file: string): Promise<ReturnType<typeof ffprobeStreams>> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-of', 'json', '-count_packets', '-show_streams', '-show_format', file],
    { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as never;
}

/** Runs `task` over `items`, at most `limit` at a time, results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Blocks as comparable values: payloads reduced to length and a byte-exact hex digest. */
export function blockSummary(blocks: readonly { trackNumber: number; timestampUs: number; keyframe: boolean; payload: Uint8Array }[]): string[] {
  return blocks.map((block) => `${block.trackNumber}@${block.timestampUs}${block.keyframe ? 'K' : ''}:${block.payload.length}:${createHash('sha1').update(block.payload).digest('hex')}`);
}

/** SHA-256 of bytes, hex: compares big buffers fast, and shows short values when they differ. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What `ffmpeg -v error -i FILE -f null -` prints (empty when the file decodes cleanly). */
export function ffmpegDecodeErrors(file: string): string {
  requireTool('ffmpeg');
  const run = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return `${run.stderr}${run.status === 0 ? '' : `(exit ${run.status})`}`;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bodycam-container-'));
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A recording fed the way the recorder feeds it: frames, then each audio chunk once it is complete. */
export interface RecordingSpec {
  readonly frameTimesUs: readonly number[];
  readonly jpegs: readonly Uint8Array[];
  readonly audio: { readonly sampleRate: number; readonly channels: 1 | 2; readonly chunkSamples: number; readonly startUs: number } | null;
  readonly options?: Partial<MatroskaWriterOptions>;
  readonly finalizeUs?: number | null;
  /** Chapters written at finalize (markers). */
  readonly chapters?: readonly MatroskaChapter[];
}

/** What was fed, for comparisons. */
export interface FedBlock {
  readonly trackNumber: number;
  readonly timestampUs: number;
  readonly payload: Uint8Array;
}

/** Writes a recording in push order (audio chunk [a, a+d) after the frames captured before a+d). */
export function writeRecording(spec: RecordingSpec): { bytes: Uint8Array; fed: FedBlock[]; writer: MatroskaWriter } {
  const sink = new MemoryByteSink();
  const audio = spec.audio;
  const writer = new MatroskaWriter(sink, {
    video: { width: 64, height: 48 },
    audio: audio === null ? null : { sampleRate: audio.sampleRate, channels: audio.channels, bitDepth: 16 },
    writingApp: 'container-test',
    ...spec.options,
  });
  const fed: FedBlock[] = [];
  let sample = 0;
  const chunkStartUs = (first: number): number => (audio === null ? 0 : audio.startUs + Math.round((first * 1_000_000) / audio.sampleRate));
  const pushAudioUntil = (timeUs: number): void => {
    if (audio === null) return;
    while (chunkStartUs(sample + audio.chunkSamples) <= timeUs) {
      const pcm = makeSinePcm(sample, audio.chunkSamples, audio.channels, audio.sampleRate);
      const at = chunkStartUs(sample);
      writer.addAudio(at, pcm);
      fed.push({ trackNumber: 2, timestampUs: at, payload: pcm });
      sample += audio.chunkSamples;
    }
  };
  spec.frameTimesUs.forEach((timeUs, index) => {
    pushAudioUntil(timeUs);
    const jpeg = spec.jpegs[index % spec.jpegs.length] ?? new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    writer.addVideoFrame(timeUs, jpeg, true);
    fed.push({ trackNumber: 1, timestampUs: timeUs, payload: jpeg });
  });
  const lastUs = spec.frameTimesUs.at(-1) ?? 0;
  pushAudioUntil(lastUs + 40_000);
  if (spec.finalizeUs !== null) writer.finalize(spec.finalizeUs ?? lastUs + 33_333, spec.chapters ?? []);
  return { bytes: sink.toBytes(), fed, writer };
}

/** Nominal frame times at `fps`. */
export function frameTimes(count: number, fps: number): number[] {
  return Array.from({ length: count }, (_, index) => Math.round((index * 1_000_000) / fps));
}

/** A cluster as found by walking the file with the EBML primitives only. */
export interface ClusterLayout {
  readonly offset: number;
  readonly end: number;
  readonly timestampTicks: number;
  readonly blocks: readonly { trackNumber: number; relativeTicks: number; keyframe: boolean; payloadLength: number }[];
}

/** Top-level element boundaries and clusters of a file we wrote (known-size clusters). */
export function walkFile(bytes: Uint8Array): { boundaries: Set<number>; clusters: ClusterLayout[]; firstClusterOffset: number } {
  const boundaries = new Set<number>();
  const clusters: ClusterLayout[] = [];
  const ebmlHeader = readElementHeader(bytes, 0);
  if (typeof ebmlHeader === 'string' || ebmlHeader.end === null) throw new Error('no EBML header');
  const segment = readElementHeader(bytes, ebmlHeader.end);
  if (typeof segment === 'string') throw new Error('no Segment');
  boundaries.add(segment.dataOffset);
  let offset = segment.dataOffset;
  while (offset < bytes.length) {
    const element = readElementHeader(bytes, offset);
    if (typeof element === 'string' || element.end === null) throw new Error(`bad element at ${offset}`);
    if (element.id === MatroskaId.Cluster) {
      let timestampTicks = 0;
      const blocks: { trackNumber: number; relativeTicks: number; keyframe: boolean; payloadLength: number }[] = [];
      for (let at = element.dataOffset; at < element.end;) {
        const child = readElementHeader(bytes, at);
        if (typeof child === 'string' || child.end === null) throw new Error(`bad cluster child at ${at}`);
        if (child.id === MatroskaId.Timestamp) timestampTicks = decodeUnsigned(bytes.subarray(child.dataOffset, child.end)) ?? -1;
        if (child.id === MatroskaId.SimpleBlock) {
          const track = readVint(bytes, child.dataOffset);
          if (typeof track === 'string') throw new Error('bad block');
          const view = new DataView(bytes.buffer, bytes.byteOffset + child.dataOffset + track.length, 3);
          blocks.push({
            trackNumber: track.value,
            relativeTicks: view.getInt16(0, false),
            keyframe: (view.getUint8(2) & 0x80) !== 0,
            payloadLength: child.end - child.dataOffset - track.length - 3,
          });
        }
        at = child.end;
      }
      clusters.push({ offset, end: element.end, timestampTicks, blocks });
    }
    offset = element.end;
    boundaries.add(offset);
  }
  return { boundaries, clusters, firstClusterOffset: clusters[0]?.offset ?? bytes.length };
}
