/**
 * bodycam-sim's public API: what a user of the library needs to run the simulator (one run, or
 * many on worker threads) and test against its outputs. Anything not exported here is internal and may change (the folders behind
 * it are described in docs/architecture.md). The vitest matchers are the `bodycam-sim/vitest` entry.
 */
export { simulate } from './api/index.js';
export type { SimulateOptions, Simulation, SimulationResult } from './api/index.js';
export { matchExpectations, bodycamMatcher, BODYCAM_MATCHER_NAMES, parseExpectations } from './check/index.js';
export type {
  BodycamMatchers, LedWhen, RecordingOption, ToleranceOption, MatcherResult, Expectation, AssertionSpec, AssertionResult,
} from './check/index.js';
export { BodycamError, exitCodeFor, isBodycamError } from './errors/index.js';
export type { ErrorCode, ErrorLocation } from './errors/index.js';
export {
  BUS_MESSAGES, BUTTONS, CONTRACT_STOP_REASONS, EVENT_TYPES, FAULT_CODES, FRAME_DROP_REASONS, GESTURES, LED_COLORS, LED_NAMES, SIGNALS,
  STOP_DETAILS, STORAGE_STATES, TRIGGER_SOURCES,
} from './events/index.js';
export type {
  DeviceEvent, DeviceEventMap, DeviceEventType, DeviceEventOf, LedName, LedColor, ButtonName, SignalName, ContractStopReason,
  StopDetail, TriggerSource, FrameDropReason, FaultCode, GestureName, StorageState, BusMessage, BusEvent, BusEventMap, SignalTrigger,
} from './events/index.js';
export type { RecordingManifest, ManifestEncryption, ManifestSignature, PreRollLimit } from './recorder/index.js';
export type { DeviceProfile, DeviceProfileOverrides } from './device/index.js';
export { BUNDLED_FIXTURE_DIR, BUNDLED_SCENARIO_FILE } from './source/index.js';
export { runJobs, runTeamJobs } from './parallel/index.js';
export { runFleet, parseFleetScenario, loadFleetScenario, DEFAULT_BUS_LATENCY_MS } from './fleet/index.js';
export type {
  FleetScenario, FleetDeviceSpec, TriggerBusSettings, FleetDeviceOutcome, FleetRunResult, FleetEventListener, RunFleetOptions, FleetPart,
} from './fleet/index.js';
export type { ScenarioJob, JobOutcome, RunJobsOptions, RunTeamJobsOptions } from './parallel/index.js';
export { US_PER_SECOND, formatUs, secondsToUs, usToSeconds } from './time/index.js';
