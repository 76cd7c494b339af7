/**
 * Parsing team scenarios (contract §10): every event names its device, ids are unique, profiles
 * merge (common block, then the camera's), and a bad input is one line naming the place; the CLI
 * exits 2 for it and writes nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBodycamError } from '../../src/errors/index.js';
import { parseFleetScenario, planTriggerBus } from '../../src/fleet/index.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

const base = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  format: 'bodycam-scenario/1',
  devices: [
    { id: 'DRD-BC-0001', officerId: 'H-0001', fixture: 'officer-1', group: 'team-1' },
    { id: 'DRD-BC-0002', officerId: 'H-0002', fixture: 'officer-2', group: 'team-1', device: { preRecordSeconds: 60 }, clockOffsetMs: 1200 },
  ],
  triggerBus: { latencyMs: 300 },
  events: [
    { at: 12.0, device: 'DRD-BC-0002', press: 'record' },
    { at: 20.0, device: 'DRD-BC-0001', signal: 'holster' },
  ],
  ...extra,
});

/** The bad-input message of parsing `doc`, or null when it parses. */
function refusal(doc: unknown): string | null {
  try {
    parseFleetScenario(doc, '/s/team.json', '/s');
    return null;
  } catch (error) {
    if (!isBodycamError(error) || error.code !== 'bad-input') throw error;
    return error.message;
  }
}

describe('team scenarios', () => {
  it('parses the contract\'s example: fixtures relative to the file, profiles merged, events split by camera', () => {
    const scenario = parseFleetScenario({ ...base(), device: { preRecordSeconds: 20, video: { jpegQuality: 70 } } }, '/s/team.json', '/s');
    expect(scenario.triggerBus).toEqual({ latencyUs: 300_000 });
    const [one, two] = scenario.devices;
    expect(one).toMatchObject({ id: 'DRD-BC-0001', officerId: 'H-0001', group: 'team-1', fixture: '/s/officer-1', clockOffsetUs: 0, initialState: 'standby' });
    expect(one?.device).toEqual({ preRecordSeconds: 20, video: { jpegQuality: 70 }, deviceId: 'DRD-BC-0001', officerId: 'H-0001' });
    expect(two?.device).toEqual({ preRecordSeconds: 60, video: { jpegQuality: 70 }, deviceId: 'DRD-BC-0002', officerId: 'H-0002' });
    expect(two?.clockOffsetUs).toBe(1_200_000);
    expect(one?.inputs).toEqual([{ kind: 'signal', signal: 'holster', atUs: 20_000_000 }]);
    expect(one?.eventIndices).toEqual([1]);
    expect(two?.inputs).toEqual([{ kind: 'press', button: 'record', atUs: 12_000_000, holdUs: 150_000 }]);
  });

  it('defaults the bus latency to 300 ms and plans each signal: the sender at once, its group one latency later', () => {
    const scenario = parseFleetScenario({ ...base(), triggerBus: undefined }, null, '/s');
    const plan = planTriggerBus(scenario, () => 60_000_000);
    expect(plan.inputs.get('DRD-BC-0002')).toEqual([
      { kind: 'press', button: 'record', atUs: 12_000_000, holdUs: 150_000 },
      { kind: 'bus-signal', signal: 'holster', sender: 'DRD-BC-0001', sentUs: 20_000_000, atUs: 20_300_000 },
    ]);
    expect(plan.inputs.get('DRD-BC-0001')).toEqual([
      { kind: 'bus-signal', signal: 'holster', sender: 'DRD-BC-0001', sentUs: 20_000_000, atUs: 20_000_000, send: { group: 'team-1', latencyUs: 300_000, receivers: ['DRD-BC-0002'] } },
    ]);
    // a delivery after its receiver's input has ended is logged as dropped
    const late = planTriggerBus(scenario, (id) => (id === 'DRD-BC-0002' ? 20_100_000 : 60_000_000));
    expect(late.inputs.get('DRD-BC-0002')).toHaveLength(1);
    expect(late.log.at(-1)).toMatchObject({ type: 'bus.deliver', receiver: 'DRD-BC-0002', dropped: 'after the end of its input' });
  });

  it.each([
    ['an event without its device', base({ events: [{ at: 1, press: 'record' }] }), 'events[0].device', 'with "devices" every event names its device'],
    ['an event naming an unknown camera', base({ events: [{ at: 1, device: 'DRD-BC-0009', signal: 'holster' }] }), 'events[0].device', '"DRD-BC-0009"'],
    ['a signal kind outside the vocabulary', base({ events: [{ at: 1, device: 'DRD-BC-0001', signal: 'siren' }] }), 'events[0].signal', 'holster'],
    ['two cameras with one id', base({ devices: [{ id: 'A' }, { id: 'A' }] }), 'devices[1].id', 'devices[0]'],
    ['events out of time order', base({ events: [{ at: 5, device: 'DRD-BC-0001', signal: 'taser' }, { at: 4, device: 'DRD-BC-0002', signal: 'taser' }] }), 'events[1].at', 'time order'],
    ['a camera\'s profile naming another id', base({ devices: [{ id: 'A', device: { deviceId: 'B' } }] }), 'devices[0].device.deviceId', '"A"'],
    ['a skew that is not whole milliseconds', base({ devices: [{ id: 'A', clockOffsetMs: 0.5 }] }), 'devices[0].clockOffsetMs', 'integer'],
    ['a negative latency', base({ triggerBus: { latencyMs: -1 } }), 'triggerBus.latencyMs', '0 to 60000'],
    ['no cameras', base({ devices: [] }), 'devices', 'at least one camera'],
    // a camera's id is its folder's name, DIR/devices/<id>/: ".." would write into DIR itself, "." into DIR/devices
    ['a camera id "..", the output folder\'s parent', base({ devices: [{ id: '..' }] }), 'devices[0].id', 'starting with a letter or digit'],
    ['a camera id "."', base({ devices: [{ id: '.' }] }), 'devices[0].id', 'starting with a letter or digit'],
    ['a camera id with a slash', base({ devices: [{ id: '../x' }] }), 'devices[0].id', 'letters, digits'],
    // on a case-insensitive file system (macOS, Windows) both would write one folder
    ['two ids that differ only in case', base({ devices: [{ id: 'cam-1' }, { id: 'CAM-1' }] }), 'devices[1].id', 'ignoring case'],
  ])('refuses %s, naming the place', (_name, doc, place, words) => {
    const message = refusal(doc);
    expect(message).toContain(`/s/team.json: ${place}`);
    expect(message).toContain(words);
    expect(message?.split('\n')).toHaveLength(1);
  });

  it('exits 2 from bodycam run with one line naming the event, and writes nothing', async () => {
    const dir = tempDir('fleet-bad');
    const file = join(dir, 'team.json');
    writeFileSync(file, JSON.stringify(base({ events: [{ at: 1, device: 'DRD-BC-0001', press: 'record' }, { at: 2, signal: 'holster' }] })));
    const result = await bodycam('run', file, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('events[1].device');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 when an event falls after the end of its own camera\'s fixture', async () => {
    const dir = tempDir('fleet-late');
    const file = join(dir, 'team.json');
    // the bundled fixture is about 75 s long
    writeFileSync(file, JSON.stringify({ format: 'bodycam-scenario/1', devices: [{ id: 'A' }, { id: 'B' }], events: [{ at: 100, device: 'B', signal: 'holster' }] }));
    const result = await bodycam('run', file, '--out', join(dir, 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('events[0].at');
    expect(result.stderr).toContain('of B');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
