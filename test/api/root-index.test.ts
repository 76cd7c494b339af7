/**
 * Issue 15: the root index exports what a library user needs (simulate, the matchers, the
 * vocabulary of events and manifests, errors, the bundled fixture) and no internals.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as bodycam from '../../src/index.js';

/** The names the root index exports as types only (`export type { ... }`), read from its syntax tree. */
function typeOnlyExports(): string[] {
  const path = new URL('../../src/index.ts', import.meta.url);
  const file = ts.createSourceFile('index.ts', readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of file.statements) {
    // Anything else exported from the index (a declaration, `export *`) would widen the surface unseen.
    if (!ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (clause === undefined || !ts.isNamedExports(clause)) throw new Error(`src/index.ts: an export without a name list: ${statement.getText(file)}`);
    if (statement.isTypeOnly) names.push(...clause.elements.map((element) => element.name.text));
  }
  return names.sort();
}

describe('the root index', () => {
  it('exports exactly the public values', () => {
    expect(Object.keys(bodycam).sort()).toEqual([
      'BODYCAM_MATCHER_NAMES', 'BUNDLED_FIXTURE_DIR', 'BUNDLED_SCENARIO_FILE', 'BUS_MESSAGES', 'BUTTONS', 'BodycamError', 'CONTRACT_STOP_REASONS',
      'DEFAULT_BUS_LATENCY_MS', 'EVENT_TYPES', 'FAULT_CODES',
      'FRAME_DROP_REASONS', 'GESTURES', 'LED_COLORS', 'LED_NAMES', 'SIGNALS', 'STOP_DETAILS', 'STORAGE_STATES', 'TRIGGER_SOURCES',
      'US_PER_SECOND', 'bodycamMatcher', 'exitCodeFor', 'formatUs', 'isBodycamError', 'loadFleetScenario', 'matchExpectations', 'parseExpectations',
      'parseFleetScenario', 'runFleet', 'runJobs', 'runTeamJobs', 'secondsToUs', 'simulate', 'usToSeconds',
    ]);
  });

  it('exports exactly the public types', () => {
    expect(typeOnlyExports()).toEqual([
      'AssertionResult', 'AssertionSpec', 'BodycamMatchers', 'BusEvent', 'BusEventMap', 'BusMessage', 'ButtonName',
      'ContractStopReason', 'DeviceEvent', 'DeviceEventMap', 'DeviceEventOf', 'DeviceEventType', 'DeviceProfile',
      'DeviceProfileOverrides', 'ErrorCode', 'ErrorLocation', 'Expectation', 'FaultCode', 'FleetDeviceOutcome', 'FleetDeviceSpec',
      'FleetEventListener', 'FleetPart', 'FleetRunResult', 'FleetScenario', 'FrameDropReason', 'GestureName', 'JobOutcome', 'LedColor',
      'LedName', 'LedWhen', 'ManifestEncryption', 'ManifestSignature', 'MatcherResult', 'PreRollLimit', 'RecordingManifest',
      'RecordingOption', 'RunFleetOptions', 'RunJobsOptions', 'RunTeamJobsOptions', 'ScenarioJob', 'SignalName', 'SignalTrigger', 'SimulateOptions',
      'Simulation', 'SimulationResult', 'StopDetail', 'StorageState', 'ToleranceOption', 'TriggerBusSettings', 'TriggerSource',
    ]);
  });

  it('keeps the internals out (the device, buffer, container and wiring)', () => {
    for (const internal of ['Device', 'PreRecordBuffer', 'MatroskaWriter', 'runReplay', 'runJob', 'Camera', 'CameraHost', 'LiveDevice', 'EvidenceStore']) {
      expect(Object.hasOwn(bodycam, internal), internal).toBe(false);
    }
  });
});
