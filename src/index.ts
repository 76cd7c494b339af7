/**
 * bodycam-sim's public API. Everything a user of the library may import is listed here; anything
 * not exported from this file is internal.
 */
export { BodycamError, exitCodeFor, isBodycamError } from './errors/index.js';
export type { ErrorCode, ErrorLocation } from './errors/index.js';
export {
  US_PER_SECOND, secondsToUs, usToSeconds, formatUs, nominalFrameUs, parseWallClock, formatWallClockIso, VirtualClock, RealTimeClock,
} from './time/index.js';
export type { SimulationClock, WallClockOrigin, RealTimeClockOptions, HostTimers, ClockGate } from './time/index.js';
export { deviceEvent } from './events/index.js';
export type {
  DeviceEvent, DeviceEventMap, DeviceEventType, DeviceEventOf, EventSink, LedName, LedColor, ButtonName, SignalName,
  StopReason, TriggerSource, FrameDropReason,
} from './events/index.js';
export { DEFAULT_PROFILE, resolveProfile, Device, transition, TRANSITION_TABLE } from './device/index.js';
export type { DeviceProfile, DeviceProfileOverrides, DeviceHost, DeviceInput, DeviceSnapshot, MachineState, MachineEvent, Effect } from './device/index.js';
export { PreRecordBuffer, StorageDrain, preRollFor } from './buffer/index.js';
export type { BufferEntry, BufferEntryInput, BufferReader, BufferStats, PreRollSelection } from './buffer/index.js';
export { MatroskaWriter, readMatroska, repairMatroska, MemoryByteSink, FileByteSink } from './container/index.js';
export type { ByteSink, MatroskaFile, MatroskaWriterOptions } from './container/index.js';
export { loadFixture, loadScenario, parseScenario, defaultScenario, loadDeviceConfig } from './fixture/index.js';
export type { Fixture, Scenario } from './fixture/index.js';
export type { RecordingManifest } from './recorder/index.js';
export { importFixture } from './importer/index.js';
export type { ImportOptions, ImportResult } from './importer/index.js';
export { runJob, prepareJob, BUNDLED_FIXTURE_DIR, BUNDLED_SCENARIO_FILE } from './sim/run-job.js';
export type { RunJobOptions, RunJobResult } from './sim/run-job.js';
export { runReplay } from './sim/replay.js';
export type { ReplayOptions, ReplayResult } from './sim/replay.js';
export type { FrameSource } from './sim/frame-source.js';
export { simulate } from './api/index.js';
export type { SimulateOptions, Simulation, SimulationResult } from './api/index.js';
export {
  parseExpectations, evaluateExpectations, formatResult, recordingsInTriggerOrder, checkScenarios, junitXml,
} from './check/index.js';
export type {
  Expectation, AssertionSpec, AssertionResult, MeasuredValue, RunOutcome, CheckOptions, CheckRun, ScenarioCheck, ScenarioReport,
} from './check/index.js';
export { matchExpectations, bodycamMatcher, BODYCAM_MATCHER_NAMES } from './check/index.js';
export type { BodycamMatchers, LedWhen, RecordingOption, ToleranceOption, MatcherResult } from './check/index.js';
export { timelineSvg, writeTimeline } from './report/index.js';
export type { TimelineInput, BufferSample } from './report/index.js';
export { runJobs, parseShard, selectShard, outputNames } from './parallel/index.js';
export type { ScenarioJob, JobOutcome, RunJobsOptions, ShardSpec } from './parallel/index.js';
export {
  EvidenceStore, offloadDevice, listRecordings, viewRecording, holdRecording, releaseRecording, purgeStore, exportRecording,
  verifyPath, formatVerifyReport, deviceProtection, decryptRecordingFile, simulationDeviceKey, simulationBackOfficeKeys,
  loadPrivateKeyFile, loadPublicKeyFile, canonicalJson, signManifest, checkDocumentSignature, DEFAULT_RETENTION_DAYS, HOLD_REASONS,
} from './evidence/index.js';
export type {
  ActionContext, StoreConfig, OffloadOptions, OffloadItem, StoreListItem, PurgeResult, ExportIndex, ExportOptions, VerifyReport,
  VerifyCheck, VerifyOptions, DeviceEvidenceOptions, DecryptResult, AuditEntry, AuditAction, KeyPair, PublicKeyInfo, BackOfficeKeys,
} from './evidence/index.js';
export type { RecordingProtection, RecordingFileSink, ManifestEncryption, ManifestSignature } from './recorder/index.js';
export { LiveFleet, LiveDevice, startLiveServer, randomToken, fleetDeviceIds } from './live/index.js';
export type {
  LiveFleetOptions, LiveEvent, LiveDeviceOptions, LiveDeviceStatus, LiveFrame, LiveInput, LiveRecordingInfo, LiveServer, LiveServerOptions,
} from './live/index.js';
