/**
 * Issue 15: the root index exports what a library user needs (simulate, the matchers, the
 * vocabulary of events and manifests, errors, the bundled fixture) and no internals.
 */
import { describe, expect, it } from 'vitest';
import * as bodycam from '../../src/index.js';

describe('the root index', () => {
  it('exports exactly the public values', () => {
    expect(Object.keys(bodycam).sort()).toEqual([
      'BODYCAM_MATCHER_NAMES', 'BUNDLED_FIXTURE_DIR', 'BUNDLED_SCENARIO_FILE', 'BUS_MESSAGES', 'BUTTONS', 'BodycamError', 'CONTRACT_STOP_REASONS',
      'DEFAULT_BUS_LATENCY_MS', 'EVENT_TYPES', 'FAULT_CODES',
      'FRAME_DROP_REASONS', 'GESTURES', 'LED_COLORS', 'LED_NAMES', 'SIGNALS', 'STOP_DETAILS', 'STORAGE_STATES', 'TRIGGER_SOURCES',
      'US_PER_SECOND', 'bodycamMatcher', 'exitCodeFor', 'formatUs', 'isBodycamError', 'loadFleetScenario', 'matchExpectations', 'parseExpectations',
      'parseFleetScenario', 'runFleet', 'runJobs', 'secondsToUs', 'simulate', 'usToSeconds',
    ]);
  });

  it('keeps the internals out (the device, buffer, container and wiring)', () => {
    for (const internal of ['Device', 'PreRecordBuffer', 'MatroskaWriter', 'runReplay', 'runJob', 'Camera', 'CameraHost', 'LiveDevice', 'EvidenceStore']) {
      expect(Object.hasOwn(bodycam, internal), internal).toBe(false);
    }
  });
});
