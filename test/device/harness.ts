/**
 * Test harness for the Device: a VirtualClock, a host fake that records every call and finalizes
 * stopped recordings after a configurable delay, and the emitted events.
 */
import type { DeviceEvent, StopReason, TriggerSource } from '../../src/events/index.js';
import { VirtualClock } from '../../src/time/index.js';
import { Device, type DeviceHost, type DeviceInput, type DeviceProfileOverrides, type HostReportSink, type HostReports, resolveProfile } from '../../src/device/index.js';

/** One host call. */
export type HostCall =
  | { method: 'setBuffering'; atUs: number; on: boolean }
  | { method: 'clearBuffer'; atUs: number }
  | { method: 'startRecording'; atUs: number; source: TriggerSource }
  | { method: 'stopRecording'; atUs: number; reason: StopReason }
  | { method: 'splitRecording'; atUs: number }
  | { method: 'addMarker'; atUs: number }
  | { method: 'powerCut'; atUs: number }
  | { method: 'setStreaming'; atUs: number; on: boolean }
  | { method: 'setMuted'; atUs: number; on: boolean };

/** How the fake host finalizes: after `delayUs` on the clock (through its report sink), returned by stopRecording, or never. */
export type FinalizeMode = { delayUs: number } | 'sync' | 'never';

/** A host that records calls. */
export class FakeHost implements DeviceHost {
  readonly calls: HostCall[] = [];
  constructor(private readonly clock: VirtualClock, private readonly finalize: FinalizeMode, private readonly reports: HostReportSink) {}
  setBuffering(on: boolean, atUs: number): void { this.calls.push({ method: 'setBuffering', atUs, on }); }
  clearBuffer(atUs: number): void { this.calls.push({ method: 'clearBuffer', atUs }); }
  startRecording(atUs: number, source: TriggerSource): void { this.calls.push({ method: 'startRecording', atUs, source }); }
  stopRecording(atUs: number, reason: StopReason): HostReports {
    this.calls.push({ method: 'stopRecording', atUs, reason });
    if (this.finalize === 'never') return [];
    if (this.finalize === 'sync') return [{ kind: 'recording-finalized', atUs }];
    const at = atUs + this.finalize.delayUs;
    this.clock.scheduleAt(at, () => this.reports({ kind: 'recording-finalized', atUs: at }));
    return [];
  }
  splitRecording(atUs: number): void { this.calls.push({ method: 'splitRecording', atUs }); }
  addMarker(atUs: number): void { this.calls.push({ method: 'addMarker', atUs }); }
  powerCut(atUs: number): void { this.calls.push({ method: 'powerCut', atUs }); }
  setStreaming(on: boolean, atUs: number): void { this.calls.push({ method: 'setStreaming', atUs, on }); }
  setMuted(on: boolean, atUs: number): void { this.calls.push({ method: 'setMuted', atUs, on }); }
  /** Calls of one method. */
  of<M extends HostCall['method']>(method: M): Extract<HostCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<HostCall, { method: M }> => call.method === method);
  }
}

/** A device under test. */
export interface Rig {
  readonly clock: VirtualClock;
  readonly host: FakeHost;
  readonly device: Device;
  /** The device snapshot now. */
  snapshot(): Device["snapshot"];
  readonly events: DeviceEvent[];
  /** Events of one type. */
  of<K extends DeviceEvent['type']>(type: K): Extract<DeviceEvent, { type: K }>[];
}

/** Options of {@link rig}. */
export interface RigOptions {
  readonly profile?: DeviceProfileOverrides;
  readonly initialState?: 'standby' | 'off';
  readonly finalize?: FinalizeMode;
  readonly inputs?: readonly DeviceInput[];
}

/** Builds and starts a device at t = 0 with `inputs` scheduled. */
export function rig(options: RigOptions = {}): Rig {
  const clock = new VirtualClock();
  const host = new FakeHost(clock, options.finalize ?? { delayUs: 0 }, (report) => device.report(report));
  const events: DeviceEvent[] = [];
  const device = new Device({
    profile: resolveProfile(options.profile), clock, host, emit: (event) => events.push(event), initialState: options.initialState ?? 'standby',
  });
  device.start();
  device.schedule(options.inputs ?? []);
  return {
    clock, host, device, events,
    snapshot: () => device.snapshot,
    of: <K extends DeviceEvent['type']>(type: K) => events.filter((e): e is Extract<DeviceEvent, { type: K }> => e.type === type),
  };
}

/** Seconds to µs for test literals. */
export const s = (seconds: number): number => Math.round(seconds * 1_000_000);
/** Milliseconds to µs for test literals. */
export const ms = (milliseconds: number): number => Math.round(milliseconds * 1000);

/** A record press. */
export const press = (button: 'record' | 'power' | 'mute' | 'stream', atUs: number, holdUs = ms(150)): DeviceInput => ({ kind: 'press', button, atUs, holdUs });
