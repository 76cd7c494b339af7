/**
 * Reads an MP4 (or MOV) file's tracks and packets with mediabunny's demuxer (`Input`,
 * `EncodedPacketSink`): an H.264 fixture's `stream`, or an MP4 recording given as a source.
 * Packets come in decode order with their presentation and decode times in integer µs; bytes
 * are mediabunny's copies of the samples, untouched. Pure (no Node): the caller reads the file.
 *
 * Times: mediabunny gives seconds as doubles (track units / timescale, edit list applied); the
 * track's unit count is recovered exactly (`round(seconds · timescale)`: the double's error is
 * far below half a unit), then converted to µs with integer arithmetic, rounding half up
 * (toward +∞): `floor((units · 1e6 · 2 + timescale) / (timescale · 2))`. A timescale that divides
 * 1e6 (1 kHz, 1 MHz...) or a time on the µs grid converts exactly; 90 kHz and 30 000 (NTSC) times
 * are rounded to the nearest µs, and a half (a 48 kHz unit count of 3 is 62.5 µs) goes up.
 */
import type { EncodedPacketSink as PacketSink, InputTrack } from 'mediabunny';
import { BodycamError } from '../../errors/index.js';

/** One sample of a track. */
export interface DemuxedPacket {
  readonly data: Uint8Array;
  readonly keyframe: boolean;
  /** Presentation time, µs (may be negative when an edit list starts the track later). */
  readonly presentationUs: number;
  /**
   * Decode time, µs. MP4 stores it, mediabunny does not expose it: it is modelled as the i-th
   * smallest presentation time for the i-th packet in decode order, as muxers do when writing
   * (equal to the presentation time in a stream without B-frames).
   */
  readonly decodeUs: number;
  readonly durationUs: number;
}

/** A track and its packets in decode order. */
export interface DemuxedTrack {
  readonly id: number;
  readonly type: 'video' | 'audio';
  /** mediabunny's codec name (`avc`, `pcm-s16`, `aac`...), or null when it does not know it. */
  readonly codec: string | null;
  /** Units per second of the track's times. */
  readonly timescale: number;
  /** The codec's configuration (H.264: the avcC), when the file has one. */
  readonly description: Uint8Array | null;
  readonly width?: number;
  readonly height?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly packets: readonly DemuxedPacket[];
}

/** What {@link demuxMp4} reads. */
export interface DemuxedMp4 {
  readonly tracks: readonly DemuxedTrack[];
  /** The file's string tags (title, and the `mdta` keys our recordings carry: `BODYCAM_DEVICE_ID`...). */
  readonly tags: Readonly<Record<string, string>>;
}

/** `units / timescale` seconds as µs, rounded half up (see the module comment). */
export function unitsToUs(units: number, timescale: number): number {
  const scaled = BigInt(units) * 2_000_000n + BigInt(timescale);
  const divisor = BigInt(timescale) * 2n;
  const quotient = scaled / divisor;
  // BigInt division truncates toward zero; floor is wanted for negative times.
  return Number(scaled % divisor !== 0n && scaled < 0n ? quotient - 1n : quotient);
}

/** A decoder config's description as bytes of its own. */
function copyOf(source: ArrayBufferView | ArrayBufferLike): Uint8Array {
  return ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength).slice() : new Uint8Array(source).slice();
}

/** Presentation times as the i-th decode times (see {@link DemuxedPacket.decodeUs}). */
function decodeTimes(presentationUs: readonly number[]): number[] {
  return [...presentationUs].sort((a, b) => a - b);
}

async function readTrack(track: InputTrack, EncodedPacketSink: typeof PacketSink): Promise<DemuxedTrack> {
  const timescale = await track.getTimeResolution();
  const config = track.isVideoTrack() || track.isAudioTrack() ? await track.getDecoderConfig() : null;
  const description = config?.description === undefined || config.description === null ? null : copyOf(config.description);
  const raw: { data: Uint8Array; keyframe: boolean; presentationUs: number; durationUs: number }[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) {
    const units = Math.round(packet.timestamp * timescale);
    raw.push({
      data: packet.data,
      keyframe: packet.type === 'key',
      presentationUs: unitsToUs(units, timescale),
      durationUs: unitsToUs(Math.round(packet.duration * timescale), timescale),
    });
  }
  const decode = decodeTimes(raw.map((packet) => packet.presentationUs));
  const packets = raw.map((packet, index) => ({ ...packet, decodeUs: decode[index]! }));
  const codec = await track.getCodec();
  if (track.isVideoTrack()) {
    return { id: track.id, type: 'video', codec, timescale, description, width: await track.getCodedWidth(), height: await track.getCodedHeight(), packets };
  }
  if (track.isAudioTrack()) {
    return { id: track.id, type: 'audio', codec, timescale, description, sampleRate: await track.getSampleRate(), channels: await track.getNumberOfChannels(), packets };
  }
  throw new Error(`track ${track.id} is neither video nor audio`);
}

/**
 * Reads every video and audio track of an MP4/MOV file.
 * @throws BodycamError `bad-input` naming `file` when mediabunny cannot read it
 */
export async function demuxMp4(bytes: Uint8Array, options: { readonly file: string }): Promise<DemuxedMp4> {
  // mediabunny loads on the first MP4 read, not with every module that reaches this one: most
  // runs read no MP4, and loading it costs about 0.2 s of CPU in each CLI process.
  const { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } = await import('mediabunny');
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  try {
    const format = await input.getFormat();
    if (!['MP4', 'QuickTime'].some((name) => format.name.includes(name))) {
      throw BodycamError.badInput({ file: options.file }, 'an MP4 file', `a ${format.name} file`);
    }
    const tracks: DemuxedTrack[] = [];
    for (const track of await input.getTracks()) {
      if (track.isVideoTrack() || track.isAudioTrack()) tracks.push(await readTrack(track, EncodedPacketSink));
    }
    const metadata = await input.getMetadataTags();
    const tags: Record<string, string> = {};
    if (metadata.title !== undefined) tags.title = metadata.title;
    for (const [key, value] of Object.entries(metadata.raw ?? {})) if (typeof value === 'string') tags[key] = value;
    return { tracks, tags };
  } catch (error) {
    if (error instanceof BodycamError) throw error;
    throw BodycamError.badInput({ file: options.file }, 'an MP4 file mediabunny can read', (error as Error).message);
  } finally {
    input.dispose();
  }
}
