/**
 * Issue 18's live leftover: `bodycam live --scenario TEAM.json` when one camera's storage fails
 * (ENOSPC) while its team records. The other cameras go on recording; the fault is a `fault`
 * event {code, message} on the team's event stream (what /events serves) and in that camera's
 * log; stopping still finalizes every recording (the faulty camera's cut off, saying so); and the
 * team's fault is what the process ends with (exit 3), as a replay's team fault
 * (test/reliability/team-faults.test.ts). Library calls, no CLI process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodycamError, exitCodeFor } from '../../src/errors/index.js';
import type { DeviceEvent } from '../../src/events/index.js';
import { type LiveEvent, startLiveTeam } from '../../src/live/index.js';
import { failingProtection } from '../helpers/failing-protection.js';
import { tempDir } from '../helpers/tools.js';
import { waitFor } from '../helpers/wait-for.js';
import { smallLiveFixture } from './live-helpers.js';

const FAULTY = 'DRD-B';

describe('a live team where one camera\'s storage fills up', () => {
  it('goes on with the others, reports the fault as an event and in that camera\'s log, finalizes every recording, and ends with the fault (exit 3)', async () => {
    const dir = tempDir('live-team-faults');
    const fixture = await smallLiveFixture({ width: 64, height: 36, fps: 10, seconds: 2 });
    const scenarioFile = join(dir, 'team.json');
    writeFileSync(scenarioFile, JSON.stringify({
      format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, triggerBus: { latencyMs: 100 },
      devices: ['DRD-A', FAULTY, 'DRD-C'].map((id) => ({ id, fixture, group: 'team-1' })),
      events: [{ at: 0.2, device: 'DRD-A', signal: 'holster' }],
    }));
    const outDir = join(dir, 'out');
    const errors: unknown[] = [];
    const team = await startLiveTeam({
      scenarioFile, outDir, onError: (_id, error) => errors.push(error),
      recordingProtection: (id) => (id === FAULTY ? failingProtection(6_000, 'ENOSPC') : undefined),
    });
    const events: LiveEvent[] = [];
    team.events$.subscribe((event) => events.push(event));
    let fault: LiveEvent | undefined;
    try {
      await waitFor('the faulty camera\'s fault event', () => (fault = events.find((e) => e.type === 'fault' && e.deviceId === FAULTY)) !== undefined, 20_000);
      // The others go on: their clocks run a second past the fault while they record.
      const faultUs = fault?.t ?? 0;
      await waitFor('a second past the fault', () => team.status().every((device) => device.clock.fixtureUs > faultUs + 1_000_000), 20_000);
      for (const id of ['DRD-A', 'DRD-C']) expect(team.device(id)?.status().state, id).toBe('recording');
    } catch (error) {
      await team.stop().catch(() => undefined);
      throw error;
    }
    expect(fault).toMatchObject({ type: 'fault', code: 'storage-write-failed', message: expect.stringMatching(/ENOSPC/) });

    const manifests = await team.stop();
    expect(errors).toEqual([]);
    const byDevice = new Map(manifests.map((m) => [m.deviceId, m]));
    expect([...byDevice.keys()].sort()).toEqual(['DRD-A', FAULTY, 'DRD-C']);
    for (const id of ['DRD-A', 'DRD-C']) {
      expect(byDevice.get(id), id).toMatchObject({ complete: true, lost: null });
      expect(byDevice.get(id)?.video.lastFrameUs ?? 0, id).toBeGreaterThan((fault?.t ?? 0) + 900_000);
    }
    expect(byDevice.get(FAULTY)).toMatchObject({ complete: false, stop: { reason: 'storage', detail: 'write-failure' }, lost: { reason: 'storage' } });
    // That camera's log holds the fault; it stays .part, as a replay's faulted camera's does.
    const log = readFileSync(join(outDir, FAULTY, 'events.jsonl.part'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as DeviceEvent);
    expect(log.find((e) => e.type === 'fault')).toMatchObject({ code: 'storage-write-failed', message: fault?.type === 'fault' ? fault.message : '' });
    // The process ends with the team's fault: exit 3, naming the file and the byte.
    const error = team.firstFault;
    expect(error).toBeInstanceOf(BodycamError);
    expect(exitCodeFor(error!.code)).toBe(3);
    expect(error?.message).toMatch(new RegExp(`${FAULTY}/recordings/${FAULTY}_\\S+\\.mkv at byte \\d+: ENOSPC`));
  }, 60_000);
});
