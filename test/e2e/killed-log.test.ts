/**
 * Issue 14: the event log is appended as events happen (src/sim/event-log.ts, flush policy in
 * docs/reliability.md), so a process killed with SIGKILL keeps its log up to the last moment, for
 * a replay and for live mode. Before, both kept events in memory up to 64 KiB: a killed `live`
 * left events.jsonl.part at 0 bytes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';
import { BODYCAM_BIN, ensureBuilt } from '../live/built-cli.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

let fixtureDir = '';
let longFixtureDir = '';
beforeAll(async () => {
  ensureBuilt();
  // Long enough (60 s of fixture time) that the replay is still running when it is killed.
  longFixtureDir = (await makeFixture({
    fps: 10, frames: 600, width: 160, height: 90,
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, events: [{ at: 1, press: 'record' }] },
  })).dir;
  fixtureDir = (await makeFixture({
    fps: 10, frames: 40, width: 160, height: 90, audio: { sampleRate: 8_000, seconds: 4 },
    scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, events: [{ at: 1, press: 'record' }] },
  })).dir;
});

/** The complete lines of a log cut off by a kill (the last line may be cut). */
function completeLines(file: string): { type: string; t: number }[] {
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; t: number });
}

async function killWhen(args: string[], ready: () => boolean, what: string): Promise<void> {
  const child = spawn(process.execPath, [BODYCAM_BIN, ...args], { stdio: 'ignore' });
  children.push(child);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(what, () => ready() || child.exitCode !== null, 30_000);
  expect(child.exitCode, 'still running when killed').toBeNull();
  child.kill('SIGKILL');
  await exited;
}

describe('SIGKILL keeps the event log', () => {
  it('live: events.jsonl.part holds the events up to the kill', async () => {
    const out = tempDir('killed-live-log');
    const part = join(out, 'DRD-BC-0001', 'events.jsonl.part');
    // Killed once a recording has started (the scenario presses record 1 s in), in real time.
    await killWhen(['live', fixtureDir, '--scenario', join(fixtureDir, 'scenario.json'), '--devices', '1', '--port', '0', '--token', 'kill-test-token', '--out', out],
      () => existsSync(part) && readFileSync(part, 'utf8').includes('"recording.start"'), 'a recording.start line in the live log');
    expect(existsSync(join(out, 'DRD-BC-0001', 'events.jsonl'))).toBe(false);
    const events = completeLines(part);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['state', 'recording.start']));
    expect(statSync(part).size).toBeGreaterThan(0);
  }, 60_000);

  it('replay: events.jsonl.part holds the events up to the kill', async () => {
    const out = tempDir('killed-run-log');
    const part = join(out, 'events.jsonl.part');
    await killWhen(['run', longFixtureDir, '--out', out],
      () => existsSync(part) && readFileSync(part, 'utf8').includes('"recording.start"'), 'a recording.start line in the replay log');
    const events = completeLines(part);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['state', 'recording.start']));
  }, 60_000);
});
