/**
 * Issue 14: every input is opened once and checked on the open descriptor. A FIFO, a device or a
 * socket is refused with exit 2 (a FIFO used to hang `run` and `verify` forever; a frame
 * symlinked to /dev/zero grew memory to 4.9 GB, because the size limit was checked on stat.size).
 * Each case runs the built CLI in a child with a time limit, so a hang fails the test instead of
 * hanging the suite.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { makeFixture } from '../helpers/make-fixture.js';
import { tempDir } from '../helpers/tools.js';

const BIN = join(ROOT, 'bin', 'bodycam.js');
const LIMIT_MS = 30_000;

/** `bodycam ...args` in a child; a hang shows as status null. */
function cli(...args: string[]): { status: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  return { status: result.status, stderr: result.stderr, ms: Date.now() - started };
}

let base: string;
let good: string; // a finished run's output, for verify
const servers: Server[] = [];
beforeAll(async () => {
  base = (await makeFixture({ fps: 10, frames: 20, width: 32, height: 18, jitterUs: 1000, audio: { sampleRate: 8000, seconds: 2 },
    scenario: { format: 'bodycam-scenario/1', events: [{ at: 0.5, press: 'record' }] } })).dir;
  good = join(tempDir('special-good'), 'out');
  expect(cli('run', base, '--out', good).status).toBe(0);
});
afterAll(() => {
  for (const server of servers) server.close();
});

function variant(change: (dir: string) => void): string {
  const dir = join(tempDir('special'), 'fixture');
  cpSync(base, dir, { recursive: true });
  change(dir);
  return dir;
}
function fifo(path: string): void {
  rmSync(path, { force: true });
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${String(made.stderr)}`);
}
function device(path: string): void {
  rmSync(path, { force: true });
  symlinkSync('/dev/zero', path);
}
async function socket(path: string): Promise<void> {
  rmSync(path, { force: true });
  const server = createServer();
  servers.push(server);
  await new Promise<void>((done) => server.listen(path, done));
}

type Kind = 'fifo' | 'device' | 'socket';
const KIND_TEXT: Record<Kind, RegExp> = { fifo: /a FIFO/, device: /a character device/, socket: /a socket/ };
async function make(kind: Kind, path: string): Promise<void> {
  if (kind === 'fifo') fifo(path);
  else if (kind === 'device') device(path);
  else await socket(path);
}

const FIXTURE_FILES: readonly (readonly [string, string])[] = [
  ['the first frame', 'frames/000000.jpg'],
  ['a later frame', 'frames/000007.jpg'],
  ['the timestamps file', 'timestamps.csv'],
  ['the audio WAV', 'audio.wav'],
  ['fixture.json', 'fixture.json'],
  ['the fixture\'s scenario', 'scenario.json'],
];

describe('run refuses inputs that are not regular files (exit 2, no hang, nothing written)', () => {
  // Every file as a FIFO (the kind that hung); a sample of the others (each case starts a process).
  const sampled: Record<Kind, readonly string[]> = {
    fifo: FIXTURE_FILES.map(([, file]) => file),
    device: ['frames/000000.jpg', 'frames/000007.jpg', 'audio.wav', 'fixture.json'],
    socket: ['frames/000000.jpg', 'timestamps.csv', 'scenario.json'],
  };
  for (const kind of ['fifo', 'device', 'socket'] as const) {
    for (const [name, file] of FIXTURE_FILES.filter(([, f]) => sampled[kind].includes(f))) {
      it(`${name} as a ${kind}`, async () => {
        const dir = variant(() => undefined);
        await make(kind, join(dir, file));
        const out = join(tempDir('special-out'), 'out');
        const result = cli('run', dir, '--out', out);
        expect(result.status, result.stderr).toBe(2);
        expect(result.stderr).toContain(file.split('/').at(-1));
        expect(result.stderr).toMatch(KIND_TEXT[kind]);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(() => readdirSync(out)).toThrow(); // nothing written
      });
    }
  }

  it('a scenario, a config and a Matroska source as FIFOs', async () => {
    const dir = tempDir('special-args');
    for (const name of ['scenario.json', 'config.json', 'source.mkv']) fifo(join(dir, name));
    const out = join(dir, 'out');
    for (const args of [['run', base, '--scenario', join(dir, 'scenario.json')], ['run', base, '--config', join(dir, 'config.json')], ['run', join(dir, 'source.mkv')]]) {
      const result = cli(...args, '--out', out);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/a FIFO/);
    }
    const check = cli('check', join(dir, 'scenario.json'));
    expect(check.status, check.stderr).toBe(2);
  });
});

describe('verify does not hang on a FIFO or a device in a run\'s output', () => {
  for (const which of ['.json', '.mkv'] as const) {
    it(`the recording's ${which} as a FIFO, then as /dev/zero`, () => {
      for (const kind of ['fifo', 'device'] as const) {
        const out = join(tempDir('special-verify'), 'out');
        cpSync(good, out, { recursive: true });
        const name = readdirSync(join(out, 'recordings')).find((f) => f.endsWith(which)) ?? '';
        void make(kind, join(out, 'recordings', name));
        const result = cli('verify', out);
        expect(result.status, `${kind}: ${result.stderr}`).not.toBeNull();
        expect([1, 2]).toContain(result.status);
        expect(result.stderr + cli('verify', out, '--json').stderr).toContain(name);
      }
    });
  }
});

describe('the size limit is checked on the open descriptor', () => {
  it('a first frame bigger than 256 MB is refused without reading it', () => {
    const dir = variant((d) => {
      const path = join(d, 'frames', '000000.jpg');
      rmSync(path);
      writeFileSync(path, '');
      spawnSync('truncate', ['-s', String(300 * 1024 * 1024), path]);
    });
    const result = cli('run', dir, '--out', join(tempDir('special-big'), 'out'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/000000\.jpg: expected a JPEG or PNG frame of at most 268435456 bytes, found 314572800 bytes/);
  });
});

