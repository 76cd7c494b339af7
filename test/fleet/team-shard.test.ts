/**
 * `bodycam run TEAM.json --shard i/n` (issue 18, scale): the team split by camera gives, in each
 * shard's `devices/<id>/`, the very bytes of the unsharded run's folder, although signals cross
 * shards (every shard plans the bus from the scenario) and a cancel depends on its sender's run
 * (a shard runs its groups' senders too, as shadows).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TINY_FIXTURE } from '../check/scenarios.js';
import { hashTree, tempDir } from '../helpers/tools.js';

async function bodycam(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const sink = (append: (t: string) => void) => ({ write: (t: string) => { append(t); return true; } }) as unknown as NodeJS.WritableStream;
  const status = await main(['node', 'bodycam', ...args], { stdout: sink(() => undefined), stderr: sink((t) => { stderr += t; }) });
  return { status, stderr };
}

const IDS = ['CAM-A', 'CAM-B', 'CAM-C', 'CAM-D', 'CAM-E'];
let dir: string;
let scenarioFile: string;

beforeAll(async () => {
  dir = tempDir('team-shard');
  const fixture = relative(dir, TINY_FIXTURE);
  scenarioFile = join(dir, 'team.json');
  // A sends at 1.5 s and its officer cancels it (a record press within the cancel window): the cancel reaches
  // C and D in another shard. E (team-2) sends at 2 s to nobody in its shard but itself.
  writeFileSync(scenarioFile, JSON.stringify({
    format: 'bodycam-scenario/1',
    device: { preRecordSeconds: 1 },
    triggerBus: { latencyMs: 300 },
    devices: IDS.map((id, i) => ({ id, fixture, group: i < 4 ? 'team-1' : 'team-2' })),
    events: [
      { at: 1.5, device: 'CAM-A', signal: 'holster' },
      { at: 2.0, device: 'CAM-E', signal: 'taser' },
      { at: 2.5, device: 'CAM-A', press: 'record', hold: 1.2 },
      { at: 3.0, device: 'CAM-D', press: 'record' },
    ],
  }));
  const whole = await bodycam('run', scenarioFile, '--out', join(dir, 'whole'));
  expect(whole.stderr).toBe('');
  expect(whole.status).toBe(0);
}, 60_000);

describe('a team split by camera with --shard', () => {
  it('writes, in each shard, its cameras\' folders with the unsharded run\'s bytes', async () => {
    const whole = hashTree(join(dir, 'whole', 'devices'));
    expect(Object.keys(whole).some((path) => path.endsWith('.mkv'))).toBe(true);
    const merged: Record<string, string> = {};
    for (const shard of ['1/3', '2/3', '3/3']) {
      const out = join(dir, `shard-${shard.replace('/', '-')}`);
      const result = await bodycam('run', scenarioFile, '--shard', shard, '--out', out);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      Object.assign(merged, hashTree(join(out, 'devices')));
    }
    expect(merged).toEqual(whole);
    // shard 2/3 holds C and D only: A ran as a shadow (its cancel reaches them) and left no folder
    expect(existsSync(join(dir, 'shard-2-3', 'devices', 'CAM-A'))).toBe(false);
  }, 120_000);

  it('refuses more shards than cameras, and --jobs, as usage errors', async () => {
    expect(await bodycam('run', scenarioFile, '--shard', '6/6', '--out', join(dir, 'x'))).toMatchObject({ status: 2 });
    expect((await bodycam('run', scenarioFile, '--jobs', '2', '--out', join(dir, 'y'))).stderr).toMatch(/--jobs splits several scenarios/);
  });
});
