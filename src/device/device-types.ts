/**
 * The `Device` controller's boundary: what the composition root gives it (host, inputs), what the
 * host reports back (bytes written, a recording final, a failed write) and what it shows
 * (snapshot). The device decides; the host performs recording I/O. The host never calls the
 * device: it returns what a command caused, and sends what it notices on its own time to a
 * {@link HostReportSink} it is given at construction.
 */
import { assertArgument } from '../errors/index.js';
import {
  BUTTONS, type ButtonName, type EventSink, type LedColor, type LedName, SIGNALS, STORAGE_INPUTS, type SignalName, type SignalTrigger, type StopReason,
  type StorageInput, type TriggerSource,
} from '../events/index.js';
import type { SimulationClock } from '../time/index.js';
import { isMicroseconds } from '../time/index.js';
import type { DeviceProfile } from './profile.js';

/** What the storage side tells the firmware. Every report carries the fixture time it happened at. */
export type HostReport =
  /** The card wrote `bytes` (filling it stops a recording, reason `storage`). */
  | { readonly kind: 'bytes-written'; readonly bytes: number; readonly atUs: number }
  /** The stopped recording's file is final (stopping → next mode). */
  | { readonly kind: 'recording-finalized'; readonly atUs: number }
  /** A write failed: a fault; what was written stays written. */
  | { readonly kind: 'write-failed'; readonly message: string; readonly atUs: number };

/** Reports a host command caused, in the order they happened (the device handles them right after its step). */
export type HostReports = readonly HostReport[];

/** Where a host sends what it notices on its own time (the card finishing a write, a frame's bytes going out). */
export type HostReportSink = (report: HostReport) => void;

/**
 * What the device asks of the recorder side. Every call carries the fixture time it happens at.
 * A command that makes the storage report something returns the reports instead of calling back.
 */
export interface DeviceHost {
  /** The sensor feeds the pre-record buffer (standby/recording/stopping) or not (off/booting/docked/fault). */
  setBuffering(on: boolean, atUs: number): void;
  /** Drop everything buffered (power off, dock, power cut). */
  clearBuffer(atUs: number): void;
  /** A recording starts at `atUs` (the trigger instant T); a signal from the trigger bus says which and whose. */
  startRecording(atUs: number, source: TriggerSource, signal?: SignalTrigger): HostReports | void;
  /** The recording stops at `atUs` (S); the host drains and finalizes, then reports `recording-finalized`. */
  stopRecording(atUs: number, reason: StopReason): HostReports | void;
  /** `maxRecordingSeconds` reached: close this file and continue seamlessly in a new one. */
  splitRecording(atUs: number): HostReports | void;
  addMarker(atUs: number): void;
  /** Sudden loss of power: abandon everything immediately, finalize nothing. */
  powerCut(atUs: number): HostReports | void;
  setStreaming(on: boolean, atUs: number): void;
  /** Optional: the microphone is muted (the host may record silence). */
  setMuted?(on: boolean, atUs: number): void;
  /**
   * The storage started or stopped failing (`storage: "fail"` / `"ok"`): the host's writes fail
   * from now on, so it keeps what is already written and abandons the rest. Optional.
   */
  setStorageFailed?(failed: boolean, atUs: number): HostReports | void;
}

/** Scenario events (contract §3), already in µs. */
export type DeviceInput =
  | { kind: 'press'; button: ButtonName; atUs: number; holdUs: number }
  | { kind: 'signal'; signal: SignalName; atUs: number }
  | { kind: 'battery'; percent: number; atUs: number }
  | { kind: 'storage'; state: StorageInput; atUs: number }
  | { kind: 'power'; action: 'cut'; atUs: number }
  | { kind: 'dock'; docked: boolean; atUs: number }
  | { kind: 'stream'; action: 'start' | 'stop'; atUs: number }
  /**
   * A signal on a team's trigger bus (contract §10): from this camera's own sensor (`send` says
   * what goes out, `atUs` = `sentUs`) or from another camera of its group (`atUs` = `sentUs` + latency).
   */
  | { kind: 'bus-signal'; signal: SignalName; sender: string; sentUs: number; atUs: number; send?: BusSend }
  /** The sender of the signal sent at `signalSentUs` cancelled it at `sentUs` (a false trigger); it arrives at `atUs`. */
  | { kind: 'bus-cancel'; sender: string; signalSentUs: number; sentUs: number; atUs: number };

/** What a camera puts on the trigger bus: its group, the bus latency and who will receive it. */
export interface BusSend {
  readonly group: string | null;
  readonly latencyUs: number;
  readonly receivers: readonly string[];
}

/** Options of a `Device`. */
export interface DeviceOptions {
  readonly profile: DeviceProfile;
  readonly clock: SimulationClock;
  readonly host: DeviceHost;
  readonly emit: EventSink;
  readonly initialState: 'standby' | 'off';
}

/** What the device shows right now (for the live view and tests). */
export interface DeviceSnapshot {
  readonly state: string;
  readonly overlays: readonly string[];
  readonly leds: Record<LedName, { color: LedColor; onMs: number; offMs: number }>;
  readonly batteryPercent: number;
  readonly storageFreeBytes: number;
  readonly recording: boolean;
  readonly buffering: boolean;
}

/** `list` as a type guard over plain strings (an input to check may hold anything). */
function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}

/** Throws a usage error naming `inputs[index]` unless the input is well formed. */
export function assertDeviceInput(input: DeviceInput, index: number): void {
  const name = `inputs[${index}]`;
  assertArgument(isMicroseconds(input.atUs), `${name}.atUs`, 'a non-negative integer number of microseconds', input.atUs);
  switch (input.kind) {
    case 'press':
      assertArgument(isOneOf(BUTTONS, input.button), `${name}.button`, `one of ${BUTTONS.join(', ')}`, input.button);
      assertArgument(isMicroseconds(input.holdUs), `${name}.holdUs`, 'a non-negative integer number of microseconds', input.holdUs);
      return;
    case 'signal':
      assertArgument(isOneOf(SIGNALS, input.signal), `${name}.signal`, SIGNALS.join(' or '), input.signal);
      return;
    case 'battery':
      assertArgument(Number.isFinite(input.percent) && input.percent >= 0 && input.percent <= 100, `${name}.percent`, 'a percentage from 0 to 100', input.percent);
      return;
    case 'storage':
      assertArgument(isOneOf(STORAGE_INPUTS, input.state), `${name}.state`, 'full, fail or ok', input.state);
      return;
    case 'power':
      assertArgument(input.action === 'cut', `${name}.action`, '"cut"', input.action);
      return;
    case 'dock':
      assertArgument(typeof input.docked === 'boolean', `${name}.docked`, 'true or false', input.docked);
      return;
    case 'stream':
      assertArgument(input.action === 'start' || input.action === 'stop', `${name}.action`, 'start or stop', input.action);
      return;
    case 'bus-signal':
      assertArgument(isOneOf(SIGNALS, input.signal), `${name}.signal`, SIGNALS.join(' or '), input.signal);
      assertArgument(isMicroseconds(input.sentUs) && input.sentUs <= input.atUs, `${name}.sentUs`, 'microseconds not after atUs', input.sentUs);
      return;
    case 'bus-cancel':
      assertArgument(isMicroseconds(input.sentUs) && input.sentUs <= input.atUs, `${name}.sentUs`, 'microseconds not after atUs', input.sentUs);
      return;
    default:
      assertArgument(false, `${name}.kind`, 'press, signal, battery, storage, power, dock, stream, bus-signal or bus-cancel', (input as { kind: unknown }).kind);
  }
}
