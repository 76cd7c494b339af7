import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DeviceInput, isBufferingMode, type DeviceMode } from '../../src/device/index.js';
import { type FinalizeMode, rig } from './harness.js';

const RUNS = Number(process.env.BODYCAM_FC_RUNS ?? 150);
const END_US = 70_000_000;

const timeUs = fc.integer({ min: 0, max: 60_000 }).map((ms) => ms * 1000);
/** Holds around every boundary the gestures care about, plus anything. */
const holdUs = fc.oneof(
  fc.constantFrom(0, 49_000, 49_999, 50_000, 150_000, 1_999_999, 2_000_000, 2_999_999, 3_000_000, 3_500_000, 5_000_000),
  fc.integer({ min: 0, max: 6_000 }).map((ms) => ms * 1000),
);
const input: fc.Arbitrary<DeviceInput> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('press' as const), button: fc.constantFrom('record' as const, 'power' as const, 'mute' as const, 'stream' as const), atUs: timeUs, holdUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('signal' as const), signal: fc.constantFrom('holster' as const, 'remote' as const), atUs: timeUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('battery' as const), percent: fc.integer({ min: 0, max: 100 }), atUs: timeUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('storage' as const), state: fc.constantFrom('full' as const, 'fail' as const, 'ok' as const), atUs: timeUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('power' as const), action: fc.constant('cut' as const), atUs: timeUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dock' as const), docked: fc.boolean(), atUs: timeUs }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stream' as const), action: fc.constantFrom('start' as const, 'stop' as const), atUs: timeUs }) },
);
const finalize: fc.Arbitrary<FinalizeMode> = fc.oneof(
  fc.constantFrom<FinalizeMode>('sync', 'never'),
  fc.integer({ min: 0, max: 5_000 }).map((ms) => ({ delayUs: ms * 1000 })),
);
const scenario = fc.record({
  allowStealth: fc.boolean(),
  startGesture: fc.constantFrom('press' as const, 'double-press' as const),
  streamStartsRecording: fc.boolean(),
  maxRecordingSeconds: fc.constantFrom(7, 30, 14_400),
  startPercent: fc.integer({ min: 0, max: 100 }),
  initialState: fc.constantFrom('standby' as const, 'off' as const),
  finalize,
  inputs: fc.array(input, { maxLength: 40 }),
  writes: fc.array(fc.record({ atUs: timeUs, bytes: fc.integer({ min: 0, max: 400_000 }) }), { maxLength: 10 }),
});

describe('Device properties (fast-check)', () => {
  it('never throws, and the record LED is red exactly while recording (dark only in allowed stealth)', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const r = rig({
          profile: {
            allowStealth: sc.allowStealth, startGesture: sc.startGesture, streamStartsRecording: sc.streamStartsRecording,
            maxRecordingSeconds: sc.maxRecordingSeconds, battery: { startPercent: sc.startPercent }, storageBytes: 1_000_000,
          },
          initialState: sc.initialState, finalize: sc.finalize, inputs: sc.inputs,
        });
        for (const write of sc.writes) r.clock.scheduleAt(write.atUs, () => r.device.report({ kind: 'bytes-written', bytes: write.bytes, atUs: write.atUs }));
        const check = (): void => {
          const snap = r.snapshot();
          const stealth = snap.overlays.includes('stealth');
          if (!sc.allowStealth) expect(stealth).toBe(false);
          expect(snap.leds.record.color === 'red').toBe(snap.recording && !stealth);
          if (!snap.recording) expect(snap.leds.record.color).toBe('off');
          if (snap.overlays.includes('streaming')) expect(snap.recording).toBe(true);
          expect(snap.buffering).toBe(isBufferingMode(snap.state as DeviceMode));
          if (snap.state === 'off') expect(snap.leds.status.color).toBe('off');
          // the log agrees with the snapshot
          const lastRecordLed = r.of('led').filter((e) => e.led === 'record').at(-1);
          expect(lastRecordLed?.color).toBe(snap.leds.record.color);
          expect(r.of('state').at(-1)?.to).toBe(snap.state);
        };
        check();
        let steps = 0;
        for (let next = r.clock.nextDueUs(); next !== undefined && next <= END_US; next = r.clock.nextDueUs()) {
          r.clock.advanceTo(next);
          check();
          steps += 1;
          expect(steps).toBeLessThan(20_000);
        }
        r.clock.advanceTo(END_US);
        check();

        // the log is ordered by t, in integer µs
        const times = r.events.map((e) => e.t);
        expect(times.every((t, i) => Number.isSafeInteger(t) && (i === 0 || t >= (times[i - 1] as number)))).toBe(true);
        // every start is ended by exactly one stop or power cut before the next start
        let open = false;
        for (const call of r.host.calls) {
          if (call.method === 'startRecording') {
            expect(open).toBe(false);
            open = true;
          } else if (call.method === 'stopRecording' || (call.method === 'powerCut' && open)) {
            expect(open).toBe(true);
            open = false;
          } else if (call.method === 'splitRecording' || call.method === 'addMarker') {
            expect(open).toBe(true);
          }
        }
        // the record LED turns red only at an instant the device entered recording
        const starts = new Set(r.of('state').filter((e) => e.to === 'recording').map((e) => e.t));
        for (const led of r.of('led').filter((e) => e.led === 'record' && e.color === 'red')) {
          if (!sc.allowStealth) expect(starts.has(led.t)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
