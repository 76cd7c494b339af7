/**
 * Issue 14: a fixture is self-contained. Paths in fixture.json (and in the fixture's own scenario)
 * and symlinks that resolve outside the fixture folder are refused with exit 2 unless the user
 * passes --allow-outside-fixture; error messages never quote the contents of a file that is not
 * the expected kind (they used to quote the first line of /etc/passwd).
 */
import { cpSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** A copy of the fixture inside `<tmp>/fixture`, with `<tmp>/outside/` beside it; `change` gets both. */
function variant(change: (dir: string, outside: string) => void): string {
  const root = tempDir('contain');
  const dir = join(root, 'fixture');
  const outside = join(root, 'outside');
  cpSync(base, dir, { recursive: true });
  mkdirSync(outside);
  change(dir, outside);
  return dir;
}
const editJson = (path: string, edit: (doc: any) => void): void => {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, JSON.stringify(doc));
};
/** Moves `file` of the fixture to `outside` and points fixture.json's `key` at it, as written. */
const moveOut = (dir: string, outside: string, file: string, set: (doc: any, path: string) => void, written: (path: string) => string): void => {
  renameSync(join(dir, file), join(outside, file));
  editJson(join(dir, 'fixture.json'), (doc) => set(doc, written(join(outside, file))));
};

type Case = readonly [name: string, make: () => string, place: RegExp];
const cases: Case[] = [
  ['timestamps by ../', () => variant((d, o) => moveOut(d, o, 'timestamps.csv', (j, p) => { j.video.timestamps = p; }, () => '../outside/timestamps.csv')), /fixture\.json: video\.timestamps: /],
  ['timestamps by an absolute path', () => variant((d, o) => moveOut(d, o, 'timestamps.csv', (j, p) => { j.video.timestamps = p; }, (p) => p)), /fixture\.json: video\.timestamps: /],
  ['audio by ../', () => variant((d, o) => moveOut(d, o, 'audio.wav', (j, p) => { j.audio.file = p; }, () => '../outside/audio.wav')), /fixture\.json: audio\.file: /],
  ['the scenario by ../', () => variant((d, o) => moveOut(d, o, 'scenario.json', (j, p) => { j.scenario = p; }, () => '../outside/scenario.json')), /fixture\.json: scenario: /],
  ['the frames pattern by ../', () => variant((d, o) => {
    renameSync(join(d, 'frames'), join(o, 'frames'));
    editJson(join(d, 'fixture.json'), (j) => { j.video.frames = '../outside/frames/%06d.jpg'; });
  }), /fixture\.json: video\.frames: /],
  ['one frame a symlink out', () => variant((d, o) => {
    renameSync(join(d, 'frames', '000004.jpg'), join(o, 'x.jpg'));
    symlinkSync(join(o, 'x.jpg'), join(d, 'frames', '000004.jpg'));
  }), /fixture\.json: video\.frames: /],
  ['the frames folder a symlink out', () => variant((d, o) => {
    renameSync(join(d, 'frames'), join(o, 'frames'));
    symlinkSync(join(o, 'frames'), join(d, 'frames'));
  }), /fixture\.json: video\.frames: /],
  ['timestamps.csv a symlink out', () => variant((d, o) => {
    renameSync(join(d, 'timestamps.csv'), join(o, 'timestamps.csv'));
    symlinkSync('../outside/timestamps.csv', join(d, 'timestamps.csv'));
  }), /fixture\.json: video\.timestamps: /],
  ['fixture.json a symlink out', () => variant((d, o) => {
    renameSync(join(d, 'fixture.json'), join(o, 'fixture.json'));
    symlinkSync(join(o, 'fixture.json'), join(d, 'fixture.json'));
  }), /fixture\.json: /],
  ['the fixture\'s scenario naming a fixture outside', () => variant((d, o) => {
    cpSync(d, join(o, 'other'), { recursive: true });
    editJson(join(d, 'scenario.json'), (j) => { j.fixture = '../outside/other'; });
  }), /scenario\.json: fixture: /],
];

describe('paths that leave the fixture are refused (exit 2) unless allowed', () => {
  it.each(cases)('%s', async (_name, make, place) => {
    const dir = make();
    const out = join(tempDir('contain-out'), 'out');
    const refused = await bodycam('run', dir, '--out', out);
    expect(refused.status, refused.stderr).toBe(2);
    const line = refused.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(place);
    expect(line).toMatch(/expected a path inside the fixture folder .*--allow-outside-fixture allows others\), found .*, which resolves to .*outside/);
    const allowed = await bodycam('run', dir, '--out', out, '--allow-outside-fixture');
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
  });

  it('a path inside the fixture that goes out and back in (sub/../) is fine', async () => {
    const dir = variant((d) => {
      mkdirSync(join(d, 'sub'));
      editJson(join(d, 'fixture.json'), (j) => { j.video.timestamps = 'sub/../timestamps.csv'; });
    });
    const result = await bodycam('run', dir, '--out', join(tempDir('contain-ok'), 'out'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('messages never quote a file that is not the expected kind', () => {
  const SECRET = 'root:x:0:0:secret-line';
  const secretFile = (): string => {
    const dir = tempDir('secret');
    writeFileSync(join(dir, 'passwd'), `${SECRET}\ndaemon:x:1:1\n`);
    return join(dir, 'passwd');
  };
  const ENVIRON = 'PATH=/usr/bin\u0000SECRET_TOKEN=abc123\u0000';
  const environFile = (): string => {
    const dir = tempDir('environ');
    writeFileSync(join(dir, 'environ'), ENVIRON);
    return join(dir, 'environ');
  };
  const noLeak = (stderr: string): void => {
    expect(stderr).not.toMatch(/root:x|secret-line|daemon|SECRET_TOKEN|abc123|PATH=/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  };

  it('as timestamps (allowed outside)', async () => {
    const secret = secretFile();
    const dir = variant((d) => editJson(join(d, 'fixture.json'), (j) => { j.video.timestamps = secret; }));
    const result = await bodycam('run', dir, '--out', join(tempDir('leak'), 'out'), '--allow-outside-fixture');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/passwd: line 1: expected a capture time in integer microseconds/);
    noLeak(result.stderr);
  });

  it('as the WAV, fixture.json, a scenario and a config', async () => {
    const secret = secretFile();
    const environ = environFile();
    const wav = variant((d) => editJson(join(d, 'fixture.json'), (j) => { j.audio.file = environ; }));
    const runs = [
      await bodycam('run', wav, '--out', join(tempDir('leak'), 'out'), '--allow-outside-fixture'),
      await bodycam('run', secret, '--out', join(tempDir('leak'), 'out')),
      await bodycam('run', base, '--scenario', secret, '--out', join(tempDir('leak'), 'out')),
      await bodycam('run', base, '--scenario', environ, '--out', join(tempDir('leak'), 'out')),
      await bodycam('run', base, '--config', secret, '--out', join(tempDir('leak'), 'out')),
    ];
    for (const result of runs) {
      expect(result.status, result.stderr).toBe(2);
      noLeak(result.stderr);
    }
  });

  it('a JSON file of the right kind still gets a short quote of what was wrong', async () => {
    const dir = variant((d) => editJson(join(d, 'fixture.json'), (j) => { j.video.fsp = 1; }));
    const result = await bodycam('run', dir, '--out', join(tempDir('leak'), 'out'));
    expect(result.stderr).toMatch(/found unknown key "fsp" \(did you mean "fps"\?\)/);
  });

  it('a timestamps file that starts right quotes a short excerpt of the bad line', async () => {
    const dir = variant((d) => {
      const lines = readFileSync(join(d, 'timestamps.csv'), 'utf8').split('\n');
      lines[3] = `12x${'y'.repeat(200)}`;
      writeFileSync(join(d, 'timestamps.csv'), lines.join('\n'));
    });
    const result = await bodycam('run', dir, '--out', join(tempDir('leak'), 'out'));
    expect(result.status).toBe(2);
    const quoted = /found "([^"]*)"/.exec(result.stderr)?.[1] ?? '';
    expect(quoted.startsWith('12x')).toBe(true);
    expect(quoted.length).toBeLessThanOrEqual(40);
  });
});

