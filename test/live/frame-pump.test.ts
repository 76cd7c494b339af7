import { describe, expect, it } from 'vitest';
import { EncodedPacket, type PacketResult } from '../../src/media/index.js';
import { FramePump, type PumpedFrame, fixtureLoop } from '../../src/live/index.js';
import { RealTimeClock } from '../../src/time/index.js';
import { ManualTimers } from '../helpers/manual-timers.js';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A pump over 3 frames (0, 100, 200 ms; loop 300 ms) on manual host time; encodes are released by the test. */
function rig(options: { wants?: () => boolean; maxLagUs?: number; encodeAhead?: number } = {}) {
  const timers = new ManualTimers();
  const clock = new RealTimeClock({ timers });
  const delivered: (PumpedFrame & { atUs: number })[] = [];
  const encodes: { captureUs: number; release: () => void }[] = [];
  const auto = { on: true };
  const pump = new FramePump({
    clock,
    loop: fixtureLoop([0, 100_000, 200_000], 300_000, null),
    readFrame: async (index) => new Uint8Array([index]),
    encode: (bytes, captureUs) => new Promise<PacketResult>((resolve) => {
      const release = (): void => resolve({ ok: true, packet: new EncodedPacket(new Uint8Array([bytes[0] ?? 0, captureUs % 256]), 'key', captureUs, 100_000) });
      if (auto.on) release();
      else encodes.push({ captureUs, release });
    }),
    wantsFrames: options.wants ?? (() => true),
    deliver: (frame) => delivered.push({ ...frame, atUs: clock.nowUs() }),
    onError: (error) => {
      throw error;
    },
    ...(options.maxLagUs === undefined ? {} : { maxLagUs: options.maxLagUs }),
    ...(options.encodeAhead === undefined ? {} : { encodeAhead: options.encodeAhead }),
  });
  /** Moves host time to `ms` in 1 ms steps, letting encodes settle between steps. */
  const runTo = async (ms: number): Promise<void> => {
    await settle();
    while (timers.ms < ms) {
      timers.advance(Math.min(ms, timers.ms + 1));
      await settle();
    }
  };
  return { timers, clock, pump, delivered, encodes, auto, runTo };
}

describe('FramePump', () => {
  it('delivers every frame at its capture time, in order, looping with offset capture times', async () => {
    const { pump, delivered, runTo } = rig();
    pump.start();
    await runTo(1000 + 650);
    expect(delivered.map((f) => [f.position, f.loop, f.index, f.captureUs, f.atUs])).toEqual([
      [0, 0, 0, 0, 0],
      [1, 0, 1, 100_000, 100_000],
      [2, 0, 2, 200_000, 200_000],
      [3, 1, 0, 300_000, 300_000],
      [4, 1, 1, 400_000, 400_000],
      [5, 1, 2, 500_000, 500_000],
      [6, 2, 0, 600_000, 600_000],
    ]);
    expect(delivered.every((f) => f.result?.ok === true && f.lagUs <= 1000)).toBe(true);
    expect(pump.stats).toMatchObject({ delivered: 7, skippedLate: 0 });
    pump.stop();
  });

  it('a late encode holds the clock: the frame still comes at its capture time, before later timers, and the lag is measured', async () => {
    const { clock, pump, delivered, encodes, auto, runTo } = rig();
    const log: string[] = [];
    auto.on = false;
    pump.start();
    clock.scheduleAt(120_000, () => log.push(`timer@${clock.nowUs()} after ${delivered.length} frames`));
    await runTo(1000);
    encodes.shift()?.release(); // frame 0
    await runTo(1000 + 250); // frame 1 is 150 ms late
    expect(delivered.map((f) => f.position)).toEqual([0]);
    expect(clock.sync()).toBe(100_000); // held at frame 1's capture time
    expect(log).toEqual([]);
    expect(clock.lagUs()).toBe(150_000);
    encodes.shift()?.release(); // frame 1
    encodes.shift()?.release(); // frame 2
    auto.on = true;
    await runTo(1000 + 260);
    expect(log).toEqual(['timer@120000 after 2 frames']);
    expect(delivered.slice(0, 3).map((f) => [f.position, f.atUs])).toEqual([[0, 0], [1, 100_000], [2, 200_000]]);
    expect(delivered[1]?.lagUs).toBeGreaterThanOrEqual(150_000);
    expect(pump.stats.maxLagUs).toBeGreaterThanOrEqual(150_000);
    expect(clock.lagUs()).toBeLessThan(100_000); // caught up to the next frame's capture time
    pump.stop();
  });

  it('skips frames that are already more than maxLagUs late, so the device catches up', async () => {
    const { pump, delivered, encodes, auto, runTo } = rig({ maxLagUs: 200_000, encodeAhead: 1 });
    auto.on = false;
    pump.start();
    await runTo(1000);
    encodes.shift()?.release(); // frame 0 on time
    await runTo(1000 + 700); // frame 1 (100 ms) is being encoded, released 600 ms late
    encodes.shift()?.release();
    auto.on = true;
    await runTo(1000 + 720);
    const late = delivered.filter((f) => f.result !== null && !f.result.ok);
    expect(late.length).toBeGreaterThanOrEqual(3); // frames 2..4 were due 500..300 ms ago: skipped unencoded
    expect(late[0]?.result).toMatchObject({ ok: false, reason: 'encode-failed' });
    expect(pump.stats.skippedLate).toBe(late.length);
    expect(delivered.at(-1)?.lagUs).toBeLessThan(200_000);
    pump.stop();
  });

  it('encodes nothing while the device wants no frames, and starts when it does, at the frame due', async () => {
    let wants = false;
    const { pump, delivered, runTo } = rig({ wants: () => wants });
    pump.start();
    await runTo(1000 + 250);
    expect(delivered.map((f) => f.result)).toEqual([null, null, null]);
    expect(pump.stats.encoded).toBe(0);
    wants = true;
    await runTo(1000 + 450);
    expect(delivered.slice(3).map((f) => [f.position, f.result?.ok])).toEqual([[3, true], [4, true]]);
    pump.stop();
  });
});
