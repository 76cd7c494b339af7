/**
 * The sensor of a live device: frames of a looped fixture, encoded a few frames ahead and handed
 * to the device at their capture time on the device's {@link RealTimeClock}. The clock is held at
 * the next frame's capture time until that frame is encoded, so the device sees frames and timers
 * in the same order as in a replay; a slow encoder makes fixture time lag real time (measured),
 * and frames more than `maxLagUs` late are skipped unencoded so the device catches up. An encoder
 * that takes every frame in order (`everyFrame`: H.264, or an H.264 source's decoder) is given
 * every frame, wanted or not, late or not, as in a replay: a GOP encoder cannot skip one, so a
 * slow one makes fixture time lag real time instead.
 */
import type { PacketResult } from '../media/index.js';
import { assertArgument, errorMessage } from '../errors/index.js';
import type { ClockGate, RealTimeClock } from '../time/index.js';
import { type FixtureLoop, type LoopedFrame, loopedFrame } from './fixture-loop.js';

/** A frame as the device receives it. */
export interface PumpedFrame extends LoopedFrame {
  /** The encoded frame or why there is none; `null` when the device wanted no frames when it was due. */
  readonly result: PacketResult | null;
  /** Real time minus capture time at delivery, µs. */
  readonly lagUs: number;
}

/** Counters of a pump. */
export interface FramePumpStats {
  readonly delivered: number;
  readonly encoded: number;
  /** Frames skipped because they were more than `maxLagUs` late. */
  readonly skippedLate: number;
  /** Largest lag at a delivery, µs. */
  readonly maxLagUs: number;
  readonly lastLagUs: number;
}

/** What a pump needs. */
export interface FramePumpOptions {
  readonly clock: RealTimeClock;
  readonly loop: FixtureLoop;
  readonly readFrame: (index: number) => Promise<Uint8Array>;
  readonly encode: (bytes: Uint8Array, captureUs: number) => Promise<PacketResult>;
  /** True while the device takes frames (buffering or booting); other frames are not encoded. */
  readonly wantsFrames: () => boolean;
  /** Runs on the clock at the frame's capture time. */
  readonly deliver: (frame: PumpedFrame) => void;
  /** Reports an error thrown by `deliver`. */
  readonly onError: (error: unknown) => void;
  /** Frames being encoded ahead of the one due (default 6: 0.4 s of slack at 15 fps for pauses of the event loop or the thread pool). */
  readonly encodeAhead?: number;
  /** Frames later than this are skipped unencoded (default 1 s), unless `everyFrame`. */
  readonly maxLagUs?: number;
  /** The encoder takes every frame in capture order (a GOP encoder or decoder): none is passed over or skipped. */
  readonly everyFrame?: boolean;
}

/** Encodes and delivers the frames of a looped fixture in real time; see the module comment. */
export class FramePump {
  private position = 0;
  private readonly pending = new Map<number, Promise<PacketResult | null>>();
  private gate: ClockGate | null = null;
  private running = false;
  private readonly encodeAhead: number;
  private readonly maxLagUs: number;
  private counters = { delivered: 0, encoded: 0, skippedLate: 0, maxLagUs: 0, lastLagUs: 0 };

  constructor(private readonly options: FramePumpOptions) {
    this.encodeAhead = options.encodeAhead ?? 6;
    this.maxLagUs = options.maxLagUs ?? 1_000_000;
    assertArgument(Number.isInteger(this.encodeAhead) && this.encodeAhead >= 1, 'encodeAhead', 'a positive integer', this.encodeAhead);
    assertArgument(Number.isSafeInteger(this.maxLagUs) && this.maxLagUs > 0, 'maxLagUs', 'a positive number of microseconds', this.maxLagUs);
  }

  /** Counters so far. */
  get stats(): FramePumpStats {
    return { ...this.counters };
  }

  /** The next frame to be delivered. */
  get nextFrame(): LoopedFrame {
    return loopedFrame(this.options.loop, this.position);
  }

  /** Holds the clock at the first frame and starts encoding. */
  start(): void {
    assertArgument(!this.running && this.position === 0, 'start', 'a pump started once');
    this.running = true;
    this.awaitHead();
  }

  /** Stops delivering; frames still being encoded are dropped. The clock is released. */
  stop(): void {
    this.running = false;
    this.gate?.remove();
    this.gate = null;
    this.pending.clear();
  }

  /** Holds the clock at the head frame's capture time and delivers it once encoded. */
  private awaitHead(): void {
    const head = loopedFrame(this.options.loop, this.position);
    this.gate = this.options.clock.hold(head.captureUs);
    for (let p = this.position; p < this.position + this.encodeAhead; p += 1) {
      if (!this.pending.has(p)) this.pending.set(p, this.prepare(p));
    }
    const position = this.position;
    void (this.pending.get(position) as Promise<PacketResult | null>).then((result) => this.ready(position, result));
  }

  private async prepare(position: number): Promise<PacketResult | null> {
    if (this.options.everyFrame !== true && !this.options.wantsFrames()) return null;
    return this.encodeAt(position);
  }

  private async encodeAt(position: number): Promise<PacketResult> {
    const frame = loopedFrame(this.options.loop, position);
    const lateUs = this.options.clock.realUs() - frame.captureUs;
    if (lateUs > this.maxLagUs && this.options.everyFrame !== true) {
      this.counters.skippedLate += 1;
      return { ok: false, reason: 'encode-failed', detail: `skipped: the encoder was ${Math.round(lateUs / 1000)} ms behind real time` };
    }
    try {
      const result = await this.options.encode(await this.options.readFrame(frame.index), frame.captureUs);
      this.counters.encoded += 1;
      return result;
    } catch (error) {
      return { ok: false, reason: 'corrupt', detail: errorMessage(error) };
    }
  }

  private ready(position: number, result: PacketResult | null): void {
    const gate = this.gate;
    if (!this.running || position !== this.position || gate === null) return;
    try {
      gate.open(() => this.atCaptureTime(position, result));
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** Runs on the clock at the frame's capture time, after every action due by then. */
  private atCaptureTime(position: number, result: PacketResult | null): void {
    this.gate = null;
    if (!this.running) return;
    if (result === null && this.options.wantsFrames()) {
      // The device began taking frames after this one was passed over: encode it now, at its capture time.
      this.pending.set(position, this.encodeAt(position));
      this.awaitHead();
      return;
    }
    this.pending.delete(position);
    const frame = loopedFrame(this.options.loop, position);
    const lagUs = Math.max(0, this.options.clock.realUs() - frame.captureUs);
    this.counters.delivered += 1;
    this.counters.lastLagUs = lagUs;
    this.counters.maxLagUs = Math.max(this.counters.maxLagUs, lagUs);
    this.position += 1;
    try {
      this.options.deliver({ ...frame, result, lagUs });
    } finally {
      if (this.running) this.awaitHead();
    }
  }
}
