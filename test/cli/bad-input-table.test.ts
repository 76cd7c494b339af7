/**
 * Issue 10, done when: a table of bad inputs, each with its exit code and message. Every bad input
 * gets one line on stderr that names the file, the place and what was expected, no stack trace,
 * and leaves no output behind (contract §8).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixture } from '../helpers/make-fixture.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';

let base: string;
beforeAll(async () => {
  base = (await makeFixture({ fps: 10, frames: 20, width: 32, height: 18, jitterUs: 1000, audio: { sampleRate: 8000, seconds: 2 },
    scenario: { format: 'bodycam-scenario/1', events: [{ at: 0.5, press: 'record' }] } })).dir;
});

/** A copy of the good fixture with one change. */
function variant(change: (dir: string) => void): string {
  const dir = tempDir('bad');
  rmSync(dir, { recursive: true });
  cpSync(base, dir, { recursive: true });
  change(dir);
  return dir;
}
const editJson = (dir: string, file: string, edit: (doc: any) => void) => {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, JSON.stringify(doc));
};
const wavWithHeader = (dir: string, patch: (view: DataView) => void) => {
  const bytes = new Uint8Array(readFileSync(join(dir, 'audio.wav')));
  patch(new DataView(bytes.buffer));
  writeFileSync(join(dir, 'audio.wav'), bytes);
};

type Case = readonly [name: string, make: () => string[], code: number, message: RegExp];

const cases: Case[] = [
  ['missing fixture folder', () => ['run', '/nonexistent/fixture'], 2, /\/nonexistent\/fixture: expected a fixture folder/],
  ['fixture.json missing', () => ['run', variant((d) => rmSync(join(d, 'fixture.json')))], 2, /fixture\.json.*expected/],
  ['fixture.json not JSON', () => ['run', variant((d) => writeFileSync(join(d, 'fixture.json'), '{ "format": '))], 2, /fixture\.json: .*expected/],
  ['wrong format string', () => ['run', variant((d) => editJson(d, 'fixture.json', (j) => { j.format = 'bodycam-fixture/2'; }))], 2, /fixture\.json: format: expected "bodycam-fixture\/1"/],
  ['unknown key in fixture.json', () => ['run', variant((d) => editJson(d, 'fixture.json', (j) => { j.vidoe = {}; }))], 2, /fixture\.json: .*vidoe/],
  ['10^9 fps', () => ['run', variant((d) => editJson(d, 'fixture.json', (j) => { j.video.fps = 1e9; }))], 2, /fixture\.json: video\.fps: expected/],
  ['a hole in the frames', () => ['run', variant((d) => rmSync(join(d, 'frames', '000007.jpg')))], 2, /expected/],
  ['frame 0 corrupt', () => ['run', variant((d) => writeFileSync(join(d, 'frames', '000000.jpg'), 'not a jpeg'))], 2, /000000\.jpg.*expected/],
  ['a 100000x100000 frame header', () => ['run', variant((d) => {
    const path = join(d, 'frames', '000000.jpg');
    const bytes = new Uint8Array(readFileSync(path));
    const sof = bytes.findIndex((b, i) => b === 0xff && (bytes[i + 1] === 0xc0 || bytes[i + 1] === 0xc2));
    const view = new DataView(bytes.buffer);
    view.setUint16(sof + 5, 100000 & 0xffff);
    view.setUint16(sof + 7, 65000);
    writeFileSync(path, bytes);
  })], 2, /000000\.jpg.*expected/],
  ['timestamps not increasing', () => ['run', variant((d) => {
    const lines = readFileSync(join(d, 'timestamps.csv'), 'utf8').trim().split('\n');
    [lines[5], lines[6]] = [lines[6] ?? '', lines[5] ?? ''];
    writeFileSync(join(d, 'timestamps.csv'), lines.join('\n'));
  })], 2, /timestamps\.csv: line \d+: expected/],
  ['timestamps with the wrong number of lines', () => ['run', variant((d) => {
    const lines = readFileSync(join(d, 'timestamps.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(d, 'timestamps.csv'), lines.slice(0, -3).join('\n'));
  })], 2, /timestamps\.csv: .*expected/],
  ['WAV truncated', () => ['run', variant((d) => {
    const bytes = readFileSync(join(d, 'audio.wav'));
    writeFileSync(join(d, 'audio.wav'), bytes.subarray(0, bytes.length - 1001));
  })], 2, /audio\.wav: .*expected/],
  ['WAV not PCM', () => ['run', variant((d) => wavWithHeader(d, (v) => v.setUint16(20, 3, true)))], 2, /audio\.wav: .*expected/],
  ['WAV extensible with a float subformat', () => ['run', variant((d) => wavWithHeader(d, (v) => v.setUint16(20, 0xfffe, true)))], 2, /audio\.wav: .*expected/],
  ['WAV data size 0xFFFFFFFF', () => ['run', variant((d) => wavWithHeader(d, (v) => v.setUint32(40, 0xffffffff, true)))], 2, /audio\.wav: .*expected/],
  ['WAV 8-bit', () => ['run', variant((d) => wavWithHeader(d, (v) => v.setUint16(34, 8, true)))], 2, /audio\.wav: .*expected/],
  ['scenario with an unknown key', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.events[0].hodl = 1; }))], 2, /scenario\.json: events\[0\]\.hodl: expected/],
  ['scenario events out of order', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.events = [{ at: 1, press: 'record' }, { at: 0.5, press: 'record' }]; }))], 2, /scenario\.json: events\[1\]\.at: expected/],
  ['scenario event after the fixture ends', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.events = [{ at: 50, press: 'record' }]; }))], 2, /scenario\.json: events\[0\]\.at: expected a time before the end of fixture/],
  ['a negative hold', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.events[0].hold = -1; }))], 2, /scenario\.json: events\[0\]\.hold: expected/],
  ['a bad clock.start', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.clock = { start: '2026-02-30T10:00:00Z' }; }))], 2, /scenario\.json: clock\.start: expected/],
  ['a config with an absurd pre-record window', () => {
    const dir = tempDir('cfg');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ preRecordSeconds: 9999 }));
    return ['run', base, '--config', join(dir, 'config.json')];
  }, 2, /config\.json: preRecordSeconds: expected a number from 0 to 120/],
  ['a reminder interval that rounds to 0 (would repeat forever)', () => {
    const dir = tempDir('cfg');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ reminderSeconds: 0.0001 }));
    return ['run', base, '--config', join(dir, 'config.json')];
  }, 2, /config\.json: reminderSeconds: expected a number from 1 to 86400 seconds/],
  ['a split interval that rounds to 0', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.device = { maxRecordingSeconds: 0.0001 }; }))], 2, /scenario\.json: device\.maxRecordingSeconds: expected a number from 1/],
  ['storage of 0 bytes', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.device = { storageBytes: 0 }; }))], 2, /scenario\.json: device\.storageBytes: expected an integer from 100000/],
  ['a press of a button still held by the previous press', () => ['run', variant((d) => editJson(d, 'scenario.json', (j) => { j.events = [{ at: 0.2, press: 'record', hold: 1 }, { at: 0.5, press: 'record', hold: 0.2 }]; }))], 2, /scenario\.json: events\[1\]\.at: expected a press of record at or after 1\.200000 s, when the press of events\[0\] is released/],
  ['--out naming a file', () => {
    const dir = tempDir('outfile');
    writeFileSync(join(dir, 'taken'), 'x');
    return ['run', base, '--out', join(dir, 'taken')];
  }, 2, /taken: expected a folder for the outputs \(--out\), found a file/],
  ['--out holding a killed run\'s cut-off recording', () => {
    const dir = tempDir('leftover');
    mkdirSync(join(dir, 'recordings'), { recursive: true });
    writeFileSync(join(dir, 'recordings', 'DRD-BC-0001_20260101T000000Z.mkv'), 'cut off');
    return ['run', base, '--out', dir];
  }, 2, /DRD-BC-0001_20260101T000000Z\.mkv: expected an output folder with no recordings in it \(a run never deletes or overwrites a recording.*found 1 file\(s\) already in /],
  ['an unknown option', () => ['run', '--frobnicate'], 2, /^bodycam: error: unknown option '--frobnicate' \(see bodycam run --help\)$/],
  ['an unknown command', () => ['frobnicate'], 2, /unknown command 'frobnicate'/],
  ['a bad --size', () => ['fixture', 'import', 'x.mp4', '--out', '/tmp/x', '--size', 'big'], 2, /--size: expected WxH such as 1280x720/],
  ['repair of a missing file', () => ['repair', '/nonexistent.mkv'], 2, /\/nonexistent\.mkv: expected a recording \(\.mkv or \.mp4\), found nothing at that path/],
];

describe('bad inputs: exit code, one clear line, nothing left behind', () => {
  it.each(cases)('%s', async (_name, make, code, message) => {
    const out = join(tempDir('out'), 'never-created');
    const args = make();
    const result = await bodycam(...args, ...(args[0] === 'run' && !args.includes('--out') ? ['--out', out] : []));
    expect(result.status).toBe(code);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bodycam: /);
    if (args[0] === 'run') expect(existsSync(out)).toBe(false);
    expect(result.stdout).toBe('');
  });

  it('--debug adds the stack trace', async () => {
    const result = await bodycam('run', '/nonexistent/fixture', '--debug');
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n').length).toBeGreaterThan(3);
    expect(result.stderr).toMatch(/^\s+at /m);
  });

  it('a missing tool is a runtime fault (exit 3) that says how to install it', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const dir = tempDir('tool');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'v.mp4'), 'x');
      const result = await bodycam('fixture', 'import', join(dir, 'v.mp4'), '--out', join(dir, 'out'));
      expect(result.status).toBe(3);
      expect(result.stderr).toMatch(/^bodycam: ffmpeg not found on PATH; bodycam fixture import needs it \(Debian\/Ubuntu: apt-get install -y ffmpeg\)\n$/);
    } finally {
      process.env.PATH = path;
    }
  });
});
