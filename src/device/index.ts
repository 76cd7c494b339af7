/** The device firmware model: profile, state table, gestures, LEDs, feedback, battery, storage, controller. */
export { DEFAULT_PROFILE, resolveProfile } from './profile.js';
export type { DeviceProfile, DeviceProfileOverrides, VideoProfile, BatteryProfile, RecordingProfile } from './profile.js';
export {
  DEVICE_MODES, OVERLAYS, MACHINE_EVENT_TYPES, FEEDBACK_CUES, isBufferingMode,
} from './machine-types.js';
export type {
  DeviceMode, Overlay, AfterStopping, MachinePolicy, MachineState, MachineEventType, MachineEvent, FeedbackCue, Effect, EffectSpec,
} from './machine-types.js';
export { GUARDS, GUARD_NAMES } from './guards.js';
export type { Guard, GuardName } from './guards.js';
export { TRANSITION_TABLE, isIgnoreRow } from './transition-table.js';
export type { TableRow, MoveRow, IgnoreRow } from './transition-table.js';
export { transition, findRow, machineState, describeEvent, DEFAULT_POLICY } from './state-machine.js';
export type { TransitionResult } from './state-machine.js';
export {
  gestureTiming, INITIAL_GESTURE_STATE, buttonDown, buttonUp, advanceGestures, nextGestureDeadlineUs,
} from './gestures.js';
export type { GestureName, GestureTiming, RecordPressRole, HeldButton, GestureState, RecognisedGesture, GestureStep } from './gestures.js';
export { machineEventForGesture } from './gesture-events.js';
export type { GestureOutcome } from './gesture-events.js';
export { ledPatterns, samePattern, LED_DARK, LED_PATTERNS } from './leds.js';
export type { LedPattern, LedPatterns } from './leds.js';
export { FEEDBACK_PATTERNS, LOW_BATTERY_REPEAT_SECONDS, feedbackBursts } from './feedback.js';
export type { FeedbackBurst } from './feedback.js';
export {
  CHARGE_UNITS_PER_PERCENT, batteryAt, batteryRate, rebaseBattery, nextBatteryCrossing, batteryCrossed, batteryBand,
} from './battery-model.js';
export type { BatteryState, BatteryBand } from './battery-model.js';
export {
  STORAGE_LOW_FRACTION, emptyStorage, storageFreeBytes, storageSpace, storageReport, storageWritten,
} from './storage-model.js';
export type { StorageState, StorageReport } from './storage-model.js';
export { Device } from './device.js';
export { assertDeviceInput } from './device-types.js';
export type { BusSend, DeviceHost, DeviceInput, DeviceOptions, DeviceSnapshot, HostReport, HostReports, HostReportSink } from './device-types.js';
export {
  stateDiagramMermaid, transitionTableMarkdown, modeRows, modeChanges, inPlaceEvents, replaceGeneratedSection, generatedDocSections,
} from './state-diagram.js';
export type { ModeRow } from './state-diagram.js';
export { stateDiagramSvg } from './state-diagram-svg.js';
