/**
 * The `Device` controller: wires the transition table, the gesture recognizer, LEDs, feedback and
 * the battery and storage models to a {@link SimulationClock} and a {@link DeviceHost}. It reads
 * time only from the clock and schedules every timer on it, so a replay is exactly reproducible.
 * Each stimulus (an input, a timer, a host report) runs to completion as one step. The host never
 * calls back into a step: a command returns what it caused (bytes written, a recording final), and
 * those reports run right after the step, at the same instant, in order; the host's own-time
 * reports come through {@link Device.report}.
 */
import { assertArgument } from '../errors/index.js';
import { type ButtonName, type DeviceEventMap, type DeviceEventType, deviceEvent, type EventSink, type FaultCode, type LedName, type StorageInput } from '../events/index.js';
import { isMicroseconds, secondsToUs, type SimulationClock } from '../time/index.js';
import {
  type BatteryState, batteryAt, batteryBand, batteryCrossed, batteryRate, nextBatteryCrossing, rebaseBattery,
} from './battery-model.js';
import {
  assertDeviceInput, type BusSend, type DeviceHost, type DeviceInput, type DeviceOptions, type DeviceSnapshot, type HostReport, type HostReports,
} from './device-types.js';
import { NamedTimers, TimedQueue } from './device-runtime.js';
import { feedbackBursts, LOW_BATTERY_REPEAT_SECONDS } from './feedback.js';
import { machineEventForGesture } from './gesture-events.js';
import {
  advanceGestures, buttonDown, buttonUp, type GestureState, type GestureStep, type GestureTiming, gestureTiming,
  INITIAL_GESTURE_STATE, nextGestureDeadlineUs,
} from './gestures.js';
import { type LedPatterns, ledPatterns, samePattern } from './leds.js';
import { type DeviceMode, type Effect, type FeedbackCue, isBufferingMode, type MachineEvent, type MachineState, OVERLAYS } from './machine-types.js';
import type { DeviceProfile } from './profile.js';
import { describeEvent, machineState, transition } from './state-machine.js';
import { emptyStorage, type StorageState, storageFreeBytes, storageReport, storageSpace, storageWritten } from './storage-model.js';

type TimerName = 'gesture' | 'boot' | 'split' | 'reminder' | 'low-battery' | 'battery' | 'cancel-window';
/** Modes in which the low-battery warning repeats (on, awake, not on the charger). */
const WARNING_MODES: readonly DeviceMode[] = ['standby', 'recording', 'stopping', 'fault'];

/** The simulated camera's firmware. */
export class Device {
  private readonly profile: DeviceProfile;
  private readonly clock: SimulationClock;
  private readonly host: DeviceHost;
  private readonly sink: EventSink;
  private readonly timing: GestureTiming;
  private machine: MachineState;
  private gestures: GestureState = INITIAL_GESTURE_STATE;
  private battery: BatteryState;
  private storage: StorageState;
  private storageSpaceShown: 'ok' | 'low' | 'full';
  private batteryBandShown: 'normal' | 'low' | 'empty' = 'normal';
  private leds: LedPatterns | null = null;
  private buffering = false;
  private started = false;
  private recordingStartUs = 0;
  private splitsDone = 0;
  private storageFailure = 'storage write errors';
  /** The trigger-bus signal (`sender@sentUs`) that started the current recording, or null: a cancel must name it. */
  private signalStart: string | null = null;
  /** The signal being dispatched (its key), so the recording it starts can remember it. */
  private signalDispatched: string | null = null;
  /** What this camera's own sensor sent with the signal that started the current recording (a cancel goes the same way). */
  private ownSignalSend: { readonly sentUs: number; readonly send: BusSend } | null = null;
  private sendDispatched: { readonly sentUs: number; readonly send: BusSend } | null = null;
  /** What the current step caused and runs right after it: host reports, a transition found inside a transition. */
  private readonly followUps: (() => void)[] = [];
  private readonly timers: NamedTimers<TimerName>;
  private readonly inputs: TimedQueue;

  constructor(options: DeviceOptions) {
    const { profile, clock, host, emit, initialState } = options;
    assertArgument(initialState === 'standby' || initialState === 'off', 'initialState', '"standby" or "off"', initialState);
    // Intervals are rounded to the millisecond; one that rounds to 0 would repeat forever at one instant.
    assertArgument(secondsToUs(profile.maxRecordingSeconds) > 0, 'profile.maxRecordingSeconds', 'at least 0.001 seconds', profile.maxRecordingSeconds);
    assertArgument(secondsToUs(profile.reminderSeconds) > 0, 'profile.reminderSeconds', 'at least 0.001 seconds', profile.reminderSeconds);
    assertArgument(profile.debounceMs >= 0 && profile.bootSeconds >= 0, 'profile', 'non-negative debounceMs and bootSeconds');
    assertArgument(Number.isSafeInteger(profile.storageBytes) && profile.storageBytes > 0, 'profile.storageBytes', 'a positive integer', profile.storageBytes);
    this.profile = profile;
    this.clock = clock;
    this.host = host;
    this.sink = emit;
    this.timing = gestureTiming(profile);
    const policy = { allowStealth: profile.allowStealth, streamStartsRecording: profile.streamStartsRecording };
    this.machine = machineState(initialState, [], policy);
    this.battery = batteryAt(profile.battery.startPercent, clock.nowUs());
    this.storage = emptyStorage(profile.storageBytes);
    this.storageSpaceShown = storageSpace(this.storage);
    this.timers = new NamedTimers<TimerName>(clock, (work) => this.step(work));
    this.inputs = new TimedQueue(clock, (work) => this.step(work));
  }

  /** Emits the initial state, battery, storage and LEDs; in standby the buffer starts filling now. */
  start(): void {
    assertArgument(!this.started, 'device', 'start() to be called once');
    this.started = true;
    this.step(() => {
      this.log('state', { from: 'none', to: this.machine.mode, cause: 'initial-state' });
      this.log('battery', { percent: this.battery.reportedPercent });
      this.log('storage', { state: storageReport(this.storage), freeBytes: storageFreeBytes(this.storage) });
      this.checkBatteryBand();
      if (!this.buffering && isBufferingMode(this.machine.mode)) this.setBuffering(true);
      this.afterChange(this.machine);
    });
  }

  /**
   * Schedules scenario inputs on the clock; a press goes down at `atUs` and up at `atUs + holdUs`.
   * Inputs at one instant run in the order given (a release before a later-listed down).
   */
  schedule(inputs: readonly DeviceInput[]): void {
    inputs.forEach((input, index) => assertDeviceInput(input, index));
    this.inputs.addAll(inputs.flatMap((input) => {
      const first = { atUs: input.atUs, work: () => this.handleInput(input) };
      if (input.kind !== 'press') return [first];
      return [first, { atUs: input.atUs + input.holdUs, work: () => this.handleRelease(input.button) }];
    }));
  }

  /**
   * The host's {@link HostReportSink}: what the storage side noticed on its own time (the card
   * finishing a write, a recording final, a failed write). Runs as a step now, or at `atUs`.
   */
  report(report: HostReport): void {
    this.assertReport(report);
    if (report.atUs > this.clock.nowUs()) this.clock.scheduleAt(report.atUs, () => this.step(() => this.handleReport(report)));
    else this.step(() => this.handleReport(report));
  }

  /** The fixture ended: a running recording stops with reason `end-of-fixture`. */
  endOfFixture(atUs: number): void {
    this.at(atUs, 'atUs', () => this.dispatch({ type: 'end-of-fixture' }));
  }

  /** What the device shows now. */
  /** The current mode, without building a snapshot (for per-frame checks). */
  get mode(): DeviceMode {
    return this.machine.mode;
  }

  get snapshot(): DeviceSnapshot {
    const leds = this.leds ?? ledPatterns(this.machine, this.battery.reportedPercent);
    return {
      state: this.machine.mode,
      overlays: [...this.machine.overlays],
      leds: { record: { ...leds.record }, status: { ...leds.status } },
      batteryPercent: this.battery.reportedPercent,
      storageFreeBytes: storageFreeBytes(this.storage),
      recording: this.machine.mode === 'recording',
      buffering: this.buffering,
    };
  }

  // ── serialisation ──────────────────────────────────────────────────────────────────────────

  /**
   * Runs one stimulus to completion: gesture deadlines due now first, then the stimulus, then what
   * it caused, in order. Nothing calls back into a step (the host returns its reports), so a step
   * never starts inside another.
   */
  private step(work: () => void): void {
    try {
      this.flushGestures();
      work();
      for (let next = this.followUps.shift(); next !== undefined; next = this.followUps.shift()) next();
    } finally {
      this.followUps.length = 0;
    }
  }

  private at(atUs: number, name: string, work: () => void): void {
    const now = this.clock.nowUs();
    assertArgument(isMicroseconds(atUs) && atUs >= now, name, `an integer number of microseconds not before now (${now})`, atUs);
    if (atUs > now) this.clock.scheduleAt(atUs, () => this.step(work));
    else this.step(work);
  }

  /** Reports a host command returned: each runs after this step (or at its own later instant). */
  private followReports(reports: HostReports | void): void {
    for (const report of reports ?? []) {
      this.assertReport(report);
      if (report.atUs > this.clock.nowUs()) this.clock.scheduleAt(report.atUs, () => this.step(() => this.handleReport(report)));
      else this.followUps.push(() => this.handleReport(report));
    }
  }

  private assertReport(report: HostReport): void {
    const now = this.clock.nowUs();
    assertArgument(isMicroseconds(report.atUs) && report.atUs >= now, 'report.atUs', `an integer number of microseconds not before now (${now})`, report.atUs);
    if (report.kind === 'bytes-written') assertArgument(Number.isSafeInteger(report.bytes) && report.bytes >= 0, 'bytes', 'a non-negative integer', report.bytes);
  }

  private handleReport(report: HostReport): void {
    switch (report.kind) {
      case 'bytes-written':
        this.storage = storageWritten(this.storage, report.bytes);
        return this.checkStorageSpace(false);
      case 'recording-finalized':
        return this.dispatch({ type: 'recording-finalized' });
      case 'write-failed':
        return this.failStorage('storage-write-failed', report.message);
    }
  }

  private log<K extends DeviceEventType>(type: K, fields: DeviceEventMap[K]): void {
    this.sink(deviceEvent(this.clock.nowUs(), type, fields));
  }

  // ── inputs and gestures ────────────────────────────────────────────────────────────────────

  private handleInput(input: DeviceInput): void {
    switch (input.kind) {
      case 'press':
        this.log('input', { kind: 'press', button: input.button });
        return this.applyGestures(buttonDown(this.gestures, this.timing, input.button, this.clock.nowUs(), this.machine.mode === 'recording'));
      case 'signal':
        this.log('input', { kind: 'signal', signal: input.signal });
        return this.dispatch({ type: 'record-start', source: input.signal });
      case 'battery':
        this.log('input', { kind: 'battery', value: input.percent });
        return this.setBatteryLevel(input.percent);
      case 'storage':
        this.log('input', { kind: 'storage', value: input.state });
        return this.handleStorageInput(input.state);
      case 'power':
        this.log('input', { kind: 'power', value: input.action });
        return this.dispatch({ type: 'power-cut' });
      case 'dock':
        this.log('input', { kind: 'dock', value: input.docked });
        return this.dispatch({ type: input.docked ? 'dock' : 'undock' });
      case 'stream':
        this.log('input', { kind: 'stream', value: input.action });
        return this.dispatch({ type: input.action === 'start' ? 'stream-start' : 'stream-stop' });
      case 'bus-signal':
        return this.handleBusSignal(input);
      case 'bus-cancel':
        return this.handleBusCancel(input);
    }
  }

  /** A trigger-bus signal: this camera's own sensor (it sends, then reacts at once) or a delivery. */
  private handleBusSignal(input: Extract<DeviceInput, { kind: 'bus-signal' }>): void {
    if (input.send !== undefined) {
      this.log('input', { kind: 'signal', signal: input.signal });
      this.log('bus.send', { message: input.signal, sender: input.sender, group: input.send.group, latencyUs: input.send.latencyUs, receivers: [...input.send.receivers] });
    } else {
      this.log('bus.receive', { message: input.signal, sender: input.sender, sentUs: input.sentUs, latencyUs: input.atUs - input.sentUs });
    }
    this.signalDispatched = `${input.sender}@${input.sentUs}`;
    this.sendDispatched = input.send === undefined ? null : { sentUs: input.sentUs, send: input.send };
    try {
      this.dispatch({ type: 'signal', trigger: { signal: input.signal, sender: input.sender } });
    } finally {
      this.signalDispatched = null;
      this.sendDispatched = null;
    }
  }

  /**
   * The sender cancelled a signal. It concerns this camera only when that very signal started its
   * current recording (a recording its officer or another signal started is not the sender's to
   * cancel); whether the window is still open is the table's to decide.
   */
  private handleBusCancel(input: Extract<DeviceInput, { kind: 'bus-cancel' }>): void {
    this.log('bus.receive', { message: 'cancel', sender: input.sender, sentUs: input.sentUs, latencyUs: input.atUs - input.sentUs });
    if (this.signalStart !== `${input.sender}@${input.signalSentUs}`) {
      this.log('ignored', { event: 'group-cancel', state: this.machine.mode, reason: 'the current recording was not started by the cancelled signal' });
      return;
    }
    this.dispatch({ type: 'group-cancel' });
  }

  private handleRelease(button: ButtonName): void {
    this.log('input', { kind: 'release', button });
    this.applyGestures(buttonUp(this.gestures, this.timing, button, this.clock.nowUs()));
  }

  /** Gesture deadlines due now run before any input at this instant. */
  private flushGestures(): void {
    if (nextGestureDeadlineUs(this.gestures, this.timing) === null) return;
    this.applyGestures(advanceGestures(this.gestures, this.timing, this.clock.nowUs()));
  }

  private applyGestures(step: GestureStep): void {
    this.gestures = step.state;
    for (const gesture of step.gestures) {
      this.log('gesture', { gesture: gesture.gesture, button: gesture.button, downUs: gesture.downUs });
      this.onGesture(gesture);
    }
    const due = nextGestureDeadlineUs(this.gestures, this.timing);
    if (due === null) this.timers.cancel('gesture');
    else this.timers.set('gesture', due, () => undefined); // run() flushes the due gestures
  }

  private onGesture(gesture: GestureStep['gestures'][number]): void {
    const outcome = machineEventForGesture(gesture.gesture, {
      startGesture: this.timing.startGesture,
      doublePressWindowMs: this.profile.doublePressWindowMs,
      streaming: this.machine.overlays.includes('streaming'),
    });
    if (outcome === null) return;
    if ('ignored' in outcome) this.log('ignored', { event: gesture.gesture, state: this.machine.mode, reason: outcome.ignored });
    else this.dispatch(outcome.event);
  }

  // ── the machine ────────────────────────────────────────────────────────────────────────────

  private dispatch(event: MachineEvent): void {
    const before = this.machine;
    const result = transition(before, event);
    if (result.ignored !== null) this.log('ignored', { event: describeEvent(event), state: before.mode, reason: result.ignored });
    const after = result.state;
    if (this.buffering && !isBufferingMode(after.mode)) this.setBuffering(false);
    this.machine = after;
    if (after.mode !== before.mode) this.log('state', { from: before.mode, to: after.mode, cause: describeEvent(event) });
    for (const overlay of OVERLAYS) {
      const on = after.overlays.includes(overlay);
      if (on === before.overlays.includes(overlay)) continue;
      this.log('overlay', { overlay, on });
      if (overlay === 'storageFail') this.followReports(this.host.setStorageFailed?.(on, this.clock.nowUs()));
    }
    for (const effect of result.effects) this.perform(effect, event);
    if (!this.buffering && isBufferingMode(after.mode)) this.setBuffering(true);
    this.afterChange(before, event);
  }

  private perform(effect: Effect, event: MachineEvent): void {
    const now = this.clock.nowUs();
    switch (effect.kind) {
      case 'start-recording':
        this.recordingStartUs = now;
        this.splitsDone = 0;
        this.signalStart = effect.signal === undefined ? null : this.signalDispatched;
        this.ownSignalSend = effect.signal === undefined ? null : this.sendDispatched;
        return this.followReports(effect.signal === undefined ? this.host.startRecording(now, effect.source) : this.host.startRecording(now, effect.source, effect.signal));
      case 'stop-recording':
        this.followReports(this.host.stopRecording(now, effect.reason));
        if (effect.reason === 'cancel') this.sendCancel();
        return;
      case 'split-recording':
        this.splitsDone += 1;
        this.followReports(this.host.splitRecording(now));
        return this.scheduleSplit();
      case 'add-marker':
        return this.host.addMarker(now);
      case 'clear-buffer':
        return this.host.clearBuffer(now);
      case 'power-cut':
        return this.followReports(this.host.powerCut(now));
      case 'feedback':
        return this.feedback(effect.cue);
      case 'streaming':
        this.log('stream', { state: effect.on ? 'started' : 'stopped', reason: describeEvent(event) });
        return this.host.setStreaming(effect.on, now);
      case 'muted':
        return this.host.setMuted?.(effect.on, now);
    }
  }

  /** Mode-scoped timers, battery rate, LEDs and the low-battery warning after a step. */
  private afterChange(before: MachineState, event?: MachineEvent): void {
    const now = this.clock.nowUs();
    const mode = this.machine.mode;
    if (mode !== before.mode || event === undefined) {
      if (before.mode === 'booting') this.timers.cancel('boot');
      if (before.mode === 'recording') {
        this.timers.cancel('split');
        this.timers.cancel('reminder');
        this.signalStart = null;
        this.ownSignalSend = null;
      }
      if (mode === 'booting') this.timers.set('boot', now + secondsToUs(this.profile.bootSeconds), () => this.dispatch({ type: 'boot-complete' }));
      if (mode === 'recording') {
        this.scheduleSplit();
        this.scheduleReminder(now + secondsToUs(this.profile.reminderSeconds));
      }
      if (mode === 'fault' && event !== undefined && event.type !== 'storage-fail') {
        this.log('fault', { code: 'storage-fail', message: this.storageFailure });
      }
    }
    this.updateCancelWindow(before);
    this.updateBatteryRate();
    this.refreshLeds();
    this.updateLowBatteryWarning();
  }

  /** This camera's officer cancelled a recording its own sensor's signal started: the cancel goes out to the same cameras. */
  private sendCancel(): void {
    const own = this.ownSignalSend;
    if (own === null) return;
    this.log('bus.send', {
      message: 'cancel', sender: this.profile.deviceId, group: own.send.group, latencyUs: own.send.latencyUs, receivers: [...own.send.receivers], signalSentUs: own.sentUs,
    });
  }

  /** The cancel window opens with a signal-started recording and closes `signalCancelSeconds` later (or when it stops). */
  private updateCancelWindow(before: MachineState): void {
    const open = this.machine.overlays.includes('cancelWindow');
    if (open === before.overlays.includes('cancelWindow')) return;
    if (!open) return this.timers.cancel('cancel-window');
    this.timers.set('cancel-window', this.clock.nowUs() + secondsToUs(this.profile.signalCancelSeconds), () => this.dispatch({ type: 'cancel-window-end' }));
  }

  private setBuffering(on: boolean): void {
    this.buffering = on;
    this.host.setBuffering(on, this.clock.nowUs());
  }

  private feedback(cue: FeedbackCue): void {
    for (const burst of feedbackBursts(cue, this.machine.overlays.includes('stealth'))) this.log('feedback', { ...burst });
  }

  private scheduleSplit(): void {
    const maxUs = secondsToUs(this.profile.maxRecordingSeconds);
    this.timers.set('split', this.recordingStartUs + (this.splitsDone + 1) * maxUs, () => this.dispatch({ type: 'max-duration' }));
  }

  private scheduleReminder(atUs: number): void {
    this.timers.set('reminder', atUs, () => {
      if (this.machine.mode !== 'recording') return;
      this.feedback('recording-reminder');
      this.scheduleReminder(atUs + secondsToUs(this.profile.reminderSeconds));
    });
  }

  private refreshLeds(): void {
    const next = ledPatterns(this.machine, this.battery.reportedPercent);
    for (const led of ['record', 'status'] as const satisfies readonly LedName[]) {
      if (this.leds === null || !samePattern(this.leds[led], next[led])) this.log('led', { led, ...next[led] });
    }
    this.leds = next;
  }

  private updateLowBatteryWarning(): void {
    const active = this.machine.overlays.includes('lowBattery') && WARNING_MODES.includes(this.machine.mode);
    if (!active) return this.timers.cancel('low-battery');
    if (this.timers.has('low-battery')) return;
    const repeat = (atUs: number): void => {
      this.feedback('battery-low');
      this.timers.set('low-battery', atUs + secondsToUs(LOW_BATTERY_REPEAT_SECONDS), () => repeat(atUs + secondsToUs(LOW_BATTERY_REPEAT_SECONDS)));
    };
    repeat(this.clock.nowUs());
  }

  // ── battery ────────────────────────────────────────────────────────────────────────────────

  /** After a transition (or at start, when the rate was 0 and the level cannot have moved). */
  private updateBatteryRate(): void {
    const rate = batteryRate(this.machine.mode, this.machine.overlays, this.profile.battery);
    if (rate === this.battery.percentPerHour) return;
    // A band the rebase crosses is a transition of its own: it follows this one, never interrupts it.
    this.setBattery(rebaseBattery(this.battery, this.clock.nowUs(), rate), false, (event) => this.followUps.push(() => this.dispatch(event)));
  }

  private setBatteryLevel(percent: number): void {
    const now = this.clock.nowUs();
    const rate = batteryRate(this.machine.mode, this.machine.overlays, this.profile.battery);
    this.setBattery({ ...batteryAt(percent, now), percentPerHour: rate }, true);
  }

  /** Takes a new battery state: logs a changed percent, re-arms the crossing timer, checks the band (`raise` takes a band change). */
  private setBattery(next: BatteryState, alwaysLog = false, raise = (event: MachineEvent): void => this.dispatch(event)): void {
    const changed = next.reportedPercent !== this.battery.reportedPercent;
    this.battery = next;
    if (changed || alwaysLog) this.log('battery', { percent: next.reportedPercent });
    const crossing = nextBatteryCrossing(next);
    if (crossing === null) this.timers.cancel('battery');
    else this.timers.set('battery', crossing.atUs, () => this.setBattery(batteryCrossed(this.battery, crossing.atUs, crossing.percent)));
    if (changed) {
      this.refreshLeds();
      this.checkBatteryBand(raise);
    }
  }

  private checkBatteryBand(raise = (event: MachineEvent): void => this.dispatch(event)): void {
    const band = batteryBand(this.battery.reportedPercent, this.profile.battery.lowPercent);
    if (band === this.batteryBandShown) return;
    this.batteryBandShown = band;
    raise({ type: `battery-${band}` });
  }

  // ── storage ────────────────────────────────────────────────────────────────────────────────

  private handleStorageInput(state: StorageInput): void {
    if (state === 'fail') return this.failStorage('storage-fail', 'storage reports write errors');
    const wasFailed = this.storage.failed;
    this.storage = state === 'full' ? { ...this.storage, forcedFull: true } : { ...this.storage, forcedFull: false, failed: false };
    this.log('storage', { state: storageReport(this.storage), freeBytes: storageFreeBytes(this.storage) });
    if (wasFailed && !this.storage.failed) this.dispatch({ type: 'storage-repaired' });
    this.checkStorageSpace(true);
  }

  private failStorage(code: FaultCode, message: string): void {
    this.storageFailure = message;
    const wasFailed = this.storage.failed;
    this.storage = { ...this.storage, failed: true };
    this.log('fault', { code, message });
    if (!wasFailed) this.log('storage', { state: 'fail', freeBytes: storageFreeBytes(this.storage) });
    this.dispatch({ type: 'storage-fail' });
  }

  /** Dispatches a storage band change; `logged` says the storage event was already written. */
  private checkStorageSpace(logged: boolean): void {
    const space = storageSpace(this.storage);
    if (space === this.storageSpaceShown) return;
    this.storageSpaceShown = space;
    if (!logged) this.log('storage', { state: storageReport(this.storage), freeBytes: storageFreeBytes(this.storage) });
    this.dispatch({ type: space === 'ok' ? 'storage-normal' : space === 'low' ? 'storage-low' : 'storage-full' });
  }
}
