/** The vitest matchers on simulate()'s result for a team: per camera with { device }, and across cameras. */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/api/vitest.js';
import { simulate } from '../../src/api/index.js';
import { TINY_FIXTURE } from '../check/scenarios.js';
import { tempDir } from '../helpers/tools.js';

describe('matchers on a team simulation', () => {
  it('take the team result: a camera with { device }, the group with toHaveDevicesStarted; failures name the camera', async () => {
    const dir = tempDir('team-matchers');
    const fixture = relative(dir, TINY_FIXTURE);
    const file = join(dir, 'team.json');
    writeFileSync(file, JSON.stringify({
      format: 'bodycam-scenario/1',
      device: { preRecordSeconds: 1 },
      triggerBus: { latencyMs: 300 },
      devices: [{ id: 'CAM-A', fixture, group: 'team-1' }, { id: 'CAM-B', fixture, group: 'team-1' }, { id: 'CAM-C', fixture, group: 'team-2' }],
      events: [{ at: 2.5, device: 'CAM-A', signal: 'holster' }],
    }));
    const run = await simulate({ scenario: file, timeline: false }).done;
    expect(run).toHaveDevicesStarted({ group: 'team-1' }, { after: { signal: 'holster' }, within: 0.5 });
    expect(run).toHaveRecordings(0, { device: 'CAM-C' });
    expect(run).toHaveRecordings(1, { device: 'CAM-B' });
    expect(run).toMeetExpectations([{ device: 'CAM-B', recording: 1, triggerSeconds: 2.8, triggerSource: 'signal' }]);
    let message = '';
    try {
      expect(run).toHaveDevicesStarted('all', { after: { signal: 'holster' }, within: 0.5 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('toHaveDevicesStarted: expected every camera (3) started recording within 0.500000 s of the holster signal #1; measured CAM-C started no recording at or after it (0 recordings in all) (the signal at 2.500000 s from CAM-A)');
    expect(() => expect(run).toHaveRecordings(2)).toThrow(/expected "device": one of CAM-A, CAM-B, CAM-C/);
    expect(run.device('CAM-B')).toHaveRecordings(1);
  }, 60_000);
});
