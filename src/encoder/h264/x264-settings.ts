/**
 * The device's libx264 settings, as ffmpeg arguments. Every setting that could change the bytes
 * between runs or machines is fixed (docs/encoder.md, "H.264"):
 *
 * - one thread (`-threads 1`, x264 `threads=1`): x264's output depends on its thread count, and the
 *   default count is the machine's core count;
 * - no B-frames, no lookahead, no scene-cut keyframes: a frame's packet comes out before the next
 *   frame goes in, and keyframes are only where the device forces them;
 * - constant frame rate for rate control (`force-cfr`, `fps` = the sensor's): the VBV sees the
 *   nominal frame interval, as a camera's hardware encoder does, whatever the timestamps;
 * - SPS and PPS repeated before every IDR (`repeat-headers`): every GOP decodes on its own;
 * - the level from the output size, frame rate and bitrate (H.264 Table A-1), never guessed.
 *
 * Keyframes: the encoder process is told, by the timestamps of the frames it is given, which
 * frames to make IDR (`-force_key_frames expr:gte(t,n_forced*10)`): a forced frame's timestamp
 * is the next multiple of 10 s, every other frame 1 µs after the previous one. The device's rule
 * (which frame is a keyframe) is decided here in TypeScript from the capture times; see
 * {@link KeyframeClock}.
 */

/** The encoder's settings for one device. */
export interface X264Settings {
  readonly width: number;
  readonly height: number;
  /** Nominal frame interval, µs (the sensor's). */
  readonly frameDurationUs: number;
  readonly bitrateKbps: number;
}

/** Seconds between forced keyframes on the timeline the encoder process sees. */
export const FORCED_KEYFRAME_STEP_US = 10_000_000;

/** H.264 Table A-1: level, max macroblocks per second, max frame size in macroblocks, max bitrate (kbit/s, High). */
const LEVELS: readonly (readonly [string, number, number, number])[] = [
  ['3', 40_500, 1_620, 12_500], ['3.1', 108_000, 3_600, 17_500], ['3.2', 216_000, 5_120, 25_000],
  ['4', 245_760, 8_192, 25_000], ['4.1', 245_760, 8_192, 62_500], ['4.2', 522_240, 8_704, 62_500],
  ['5', 589_824, 22_080, 168_750], ['5.1', 983_040, 36_864, 300_000], ['5.2', 2_073_600, 36_864, 300_000],
  ['6', 4_177_920, 139_264, 300_000], ['6.1', 8_355_840, 139_264, 300_000], ['6.2', 16_711_680, 139_264, 1_000_000],
];

/** The lowest level (from 3, as cameras use) that holds the size, rate and bitrate. */
export function h264Level(settings: X264Settings): string {
  const frameMbs = Math.ceil(settings.width / 16) * Math.ceil(settings.height / 16);
  const mbPerSecond = (frameMbs * 1_000_000) / settings.frameDurationUs;
  const level = LEVELS.find(([, maxMbps, maxFs, maxBr]) => frameMbs <= maxFs && mbPerSecond <= maxMbps && settings.bitrateKbps <= maxBr);
  return level?.[0] ?? '6.2';
}

/** The frame rate as a fraction for x264's `fps` (exact for whole-µs intervals). */
function fpsFraction(frameDurationUs: number): string {
  return `1000000/${frameDurationUs}`;
}

/**
 * The ffmpeg arguments of the encoder process: a Matroska stream of raw I420 frames on stdin
 * (raw-video-stream.ts), FLV on stdout (each packet after its size: flv-tags.ts).
 */
export function x264Arguments(settings: X264Settings): string[] {
  const kbps = `${settings.bitrateKbps}k`;
  const x264Params = [
    'threads=1', 'sliced-threads=0', 'bframes=0', 'rc-lookahead=0', 'sync-lookahead=0', 'scenecut=0',
    'force-cfr=1', `fps=${fpsFraction(settings.frameDurationUs)}`, 'repeat-headers=1', 'aud=0',
  ].join(':');
  return [
    '-hide_banner', '-nostats', '-v', 'error',
    '-probesize', '32', '-analyzeduration', '0', '-f', 'matroska', '-i', 'pipe:0',
    '-map', '0:v:0', '-fps_mode', 'passthrough', '-an',
    '-c:v', 'libx264', '-threads', '1', '-preset', 'veryfast', '-profile:v', 'high', '-level:v', h264Level(settings),
    '-pix_fmt', 'yuv420p', '-g', '1000000', '-keyint_min', '1000000', '-sc_threshold', '0', '-bf', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${FORCED_KEYFRAME_STEP_US / 1_000_000})`, '-forced-idr', '1',
    '-b:v', kbps, '-maxrate', kbps, '-bufsize', kbps,
    '-x264-params', x264Params,
    '-flags', '+bitexact', '-fflags', '+bitexact', '-flush_packets', '1', '-f', 'flv', 'pipe:1',
  ];
}

/**
 * The device's keyframe rule: the first frame, and then the first frame captured at or after
 * each multiple of the interval since the GOP clock started; a frame after a gap in capture (the
 * sensor was off, frames were not wanted) starts a new GOP clock, as a camera's encoder restarts.
 */
export class KeyframeClock {
  private nextKeyUs: number | null = null;
  private lastUs: number | null = null;
  private encoderUs = -1;
  private forced = 0;

  constructor(private readonly intervalUs: number, private readonly gapUs: number) {}

  /** Whether the frame at `captureUs` is a keyframe, and its timestamp on the encoder's timeline. */
  next(captureUs: number): { readonly key: boolean; readonly encoderUs: number } {
    const afterGap = this.lastUs !== null && captureUs - this.lastUs > this.gapUs;
    const key = this.nextKeyUs === null || afterGap || captureUs >= this.nextKeyUs;
    if (key) {
      // The grid restarts at a gap; otherwise it stays on the first frame's grid (no drift).
      this.nextKeyUs = this.nextKeyUs === null || afterGap ? captureUs + this.intervalUs
        : this.nextKeyUs + this.intervalUs * Math.max(1, Math.floor((captureUs - this.nextKeyUs) / this.intervalUs) + 1);
      this.encoderUs = this.forced * FORCED_KEYFRAME_STEP_US;
      this.forced += 1;
    } else {
      this.encoderUs += 1;
    }
    this.lastUs = captureUs;
    return { key, encoderUs: this.encoderUs };
  }
}
