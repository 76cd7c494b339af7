/**
 * Fragmented MP4 through mediabunny's muxer: H.264 video (`avc1` + avcC) and 16-bit PCM audio
 * (`ipcm` + pcmC, ISO/IEC 23003-5), one `moof`+`mdat` fragment per keyframe-aligned second.
 *
 * mediabunny's muxer is asynchronous (every packet goes through a mutex and awaited flushes), so
 * this class is the asynchronous half of the MP4 container: it runs where it may be awaited (the
 * muxer worker, src/container/mp4/muxer-worker.ts), and hands back the bytes each call produced
 * as positioned writes. The recorder's seam stays synchronous (see sync-muxer.ts).
 *
 * Determinism: mediabunny stamps the movie with the host clock (`Date.now()` as `creation_time`);
 * the `mvhd`, `tkhd` and `mdhd` times are set here to the recording's own date (the device clock),
 * so the same calls give the same bytes.
 */
import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output, StreamTarget, type StreamTargetChunk } from 'mediabunny';
import { ISO_EPOCH_OFFSET_S, setMovieTimes } from './movie-times.js';

/** Bytes the muxer wrote at `position` of the file. */
export interface PositionedWrite {
  readonly position: number;
  readonly data: Uint8Array;
}

/** What an MP4 recording's file says about itself. */
export interface Fmp4MuxerOptions {
  readonly video: { readonly width: number; readonly height: number; readonly frameDurationUs: number };
  /** Mono 16-bit PCM at this rate, or null without audio. */
  readonly audio: { readonly sampleRate: number } | null;
  readonly title: string;
  /** The file's date (device clock), Unix ms: the movie's creation and modification time. */
  readonly dateUtcMs: number;
  /** Key/value strings stored as `mdta` metadata (`BODYCAM_ORIGIN_US`...). */
  readonly tags: Readonly<Record<string, string>>;
}

/** A fragment is cut at the first keyframe at least this long after its start (as the Matroska clusters). */
const FRAGMENT_TARGET_S = 1;
/** mediabunny derives the video timescale from the frame rate: 1e6 "frames" a second gives a µs timescale. */
const MICROSECOND_FRAME_RATE = 1_000_000;

/** The avcC's `avc1.PPCCLL` codec string (profile, constraint flags, level). */
export function avcCodecString(avcC: Uint8Array): string {
  const hex = (index: number): string => (avcC[index] ?? 0).toString(16).padStart(2, '0');
  return `avc1.${hex(1)}${hex(2)}${hex(3)}`;
}

/** One recording's fragmented MP4, muxed by mediabunny; see the module comment. */
export class Fmp4Muxer {
  private readonly output: Output;
  private readonly video = new EncodedVideoPacketSource('avc');
  private readonly audio: EncodedAudioPacketSource | null;
  private pending: PositionedWrite[] = [];
  private movieTimesSet = false;
  private videoStarted = false;
  private audioStarted = false;
  private readonly creationTimeS: number;

  private constructor(private readonly options: Fmp4MuxerOptions) {
    this.creationTimeS = Math.floor(options.dateUtcMs / 1000) + ISO_EPOCH_OFFSET_S;
    const target = new StreamTarget(new WritableStream<StreamTargetChunk>({
      write: (chunk) => {
        this.pending.push({ position: chunk.position, data: chunk.data });
      },
    }));
    this.output = new Output({
      format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: FRAGMENT_TARGET_S, metadataFormat: 'mdta' }),
      target,
    });
    this.output.addVideoTrack(this.video, { frameRate: MICROSECOND_FRAME_RATE });
    this.audio = options.audio === null ? null : new EncodedAudioPacketSource('pcm-s16');
    if (this.audio !== null) this.output.addAudioTrack(this.audio);
    this.output.setMetadataTags({ title: options.title, raw: { ...options.tags } });
  }

  /** Starts a file (writes its `ftyp`). */
  static async open(options: Fmp4MuxerOptions): Promise<Fmp4Muxer> {
    const muxer = new Fmp4Muxer(options);
    await muxer.output.start();
    return muxer;
  }

  /**
   * Adds one access unit (length-prefixed, as the avcC says) at `timestampUs` from the file's
   * origin; the first one brings the avcC. `durationUs` (default: the frame duration) is what a
   * fragment's last sample is given (mediabunny takes the others from the next sample's time): a
   * repair passes the durations the cut-off file holds, so its fragments come out the same.
   */
  async addVideo(timestampUs: number, data: Uint8Array, key: boolean, avcC: Uint8Array | null, durationUs = this.options.video.frameDurationUs): Promise<void> {
    const packet = new EncodedPacket(data, key ? 'key' : 'delta', timestampUs / 1e6, durationUs / 1e6);
    if (this.videoStarted) {
      await this.video.add(packet);
      return;
    }
    if (avcC === null) throw new Error('the first video packet of an MP4 recording needs its avcC');
    this.videoStarted = true;
    await this.video.add(packet, {
      decoderConfig: { codec: avcCodecString(avcC), codedWidth: this.options.video.width, codedHeight: this.options.video.height, description: avcC },
    });
  }

  /** Adds a chunk of mono 16-bit little-endian PCM whose first sample is at `timestampUs`. */
  async addAudio(timestampUs: number, pcmS16le: Uint8Array): Promise<void> {
    if (this.audio === null || this.options.audio === null) throw new Error('this MP4 recording has no audio track');
    const sampleRate = this.options.audio.sampleRate;
    const packet = new EncodedPacket(pcmS16le, 'key', timestampUs / 1e6, pcmS16le.byteLength / 2 / sampleRate);
    if (this.audioStarted) {
      await this.audio.add(packet);
      return;
    }
    this.audioStarted = true;
    await this.audio.add(packet, { decoderConfig: { codec: 'pcm-s16', sampleRate, numberOfChannels: 1 } });
  }

  /** Writes the last fragment and the `mfra` index. */
  async finalize(): Promise<void> {
    await this.output.finalize();
  }

  /** The writes made since the last call, in order, with the movie's times set to the recording's date. */
  takeWrites(): PositionedWrite[] {
    const writes = this.pending;
    this.pending = [];
    if (!this.movieTimesSet) {
      for (const write of writes) {
        // The moov goes out with the first fragment, in one write after the ftyp's.
        if (setMovieTimes(write.data, this.creationTimeS)) this.movieTimesSet = true;
      }
    }
    return writes;
  }
}
