import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readMatroska } from '../../src/container/index.js';
import { requireTestTool, run, tempDir } from '../helpers/tools.js';
import { BODYCAM_BIN, ensureBuilt } from './built-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { httpRequest, smallLiveFixture } from './live-helpers.js';

const TOKEN = 'cli-test-token-42';
let fixtureDir = '';
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  requireTestTool('ffprobe');
  ensureBuilt();
  fixtureDir = await smallLiveFixture();
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly outDir: string;
  readonly stdout: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startLive(source = fixtureDir, extra: readonly string[] = []): Promise<Started> {
  const outDir = tempDir('live-cli');
  const child = spawn(process.execPath, [BODYCAM_BIN, 'live', source, '--devices', '1', '--port', '0', '--token', TOKEN, '--out', outDir, ...extra]);
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await waitFor(`the coordinator URL (stderr: ${err})`, () => /Coordinator page: (\S+)/.test(out) || child.exitCode !== null, 20_000);
  const url = /Coordinator page: (\S+)/.exec(out)?.[1];
  if (url === undefined) throw new Error(`bodycam live did not start: ${out}${err}`);
  return { child, url, outDir, stdout: () => out, exited };
}

const api = (started: Started, path: string, body?: unknown) => httpRequest(new URL(path, started.url).toString(), {
  method: body === undefined ? 'GET' : 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe('bodycam live as a process', () => {
  it('prints the page URL with its token, on 127.0.0.1, and answers 401 without it', async () => {
    const started = await startLive();
    expect(started.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
    expect((await httpRequest(new URL('/api/devices', started.url).origin + '/api/devices')).status).toBe(401);
    expect((await httpRequest(started.url)).status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops cleanly: the recording is stopped and finalized with its manifest, exit code 0`, async () => {
      const started = await startLive();
      expect((await api(started, '/devices/DRD-BC-0001/input', { press: 'record' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      started.child.kill(signal);
      expect(await started.exited).toEqual({ code: 0, signal: null });
      expect(started.stdout()).toContain('1 recording finalized.');
      const dir = join(started.outDir, 'DRD-BC-0001');
      const manifests = readdirSync(join(dir, 'recordings')).filter((name) => name.endsWith('.json'));
      expect(manifests.length).toBe(1);
      const manifest = JSON.parse(readFileSync(join(dir, 'recordings', manifests[0] ?? ''), 'utf8'));
      expect(manifest).toMatchObject({ complete: true, trigger: { source: 'button' }, stop: { reason: 'end-of-fixture' } });
      expect(manifest.video.frames).toBeGreaterThan(10);
      expect(readMatroska(new Uint8Array(readFileSync(join(dir, 'recordings', manifest.file)))).finalized).toBe(true);
      expect(existsSync(join(dir, 'events.jsonl'))).toBe(true);
      expect(existsSync(join(dir, 'events.jsonl.part'))).toBe(false);
    });
  }

  it('after SIGKILL, the recording on disk reads up to its last whole cluster (readMatroska and ffprobe)', async () => {
    const started = await startLive();
    expect((await api(started, '/devices/DRD-BC-0001/input', { press: 'record' })).status).toBe(200);
    const recordingsDir = join(started.outDir, 'DRD-BC-0001', 'recordings');
    const wholeClusters = (): number => {
      const mkv = readdirSync(recordingsDir).find((name) => name.endsWith('.mkv'));
      if (mkv === undefined) return 0;
      try {
        const read = readMatroska(new Uint8Array(readFileSync(join(recordingsDir, mkv))));
        return read.blocks.filter((b) => b.trackNumber === 1).length >= 30 ? read.clusters : 0;
      } catch {
        return 0; // the header itself is still being written
      }
    };
    // Kill once the file holds whole clusters (host load decides when that is; a fixed sleep would be a race).
    await waitFor('3 whole clusters and 30 frames on disk', () => existsSync(recordingsDir) && wholeClusters() >= 3, 20_000);
    started.child.kill('SIGKILL');
    expect(await started.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const recordings = join(started.outDir, 'DRD-BC-0001', 'recordings');
    const files = readdirSync(recordings);
    expect(files.filter((name) => name.endsWith('.json'))).toEqual([]); // never finalized: no manifest
    const mkvName = files.find((name) => name.endsWith('.mkv'));
    expect(mkvName).toBeDefined();
    const path = join(recordings, mkvName ?? '');
    const mkv = readMatroska(new Uint8Array(readFileSync(path)));
    expect(mkv.finalized).toBe(false);
    expect(mkv.clusters).toBeGreaterThanOrEqual(3); // ~1 s clusters over 2 s of pre-roll and 4 s of recording
    const videoUs = mkv.blocks.filter((b) => b.trackNumber === 1).map((b) => b.timestampUs);
    // The frames of the whole clusters, consecutive at the fixture's 10 fps from the first.
    expect(videoUs.length).toBeGreaterThanOrEqual(30);
    expect(videoUs).toEqual(videoUs.map((_, i) => i * 100_000));
    const packets = run('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', path]);
    expect(Number(packets.trim())).toBeGreaterThanOrEqual(videoUs.length);
    const decoded = run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path]);
    expect(Number(decoded.trim())).toBeGreaterThanOrEqual(videoUs.length);
  });

  it('refuses bad options with exit code 2 and one line naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['live', '--token', 'short'], /--token: expected 8 to 256 characters/],
      [['live', '--devices', '0'], /--devices: expected an integer of at least 1/],
      [['live', '--port', '70000'], /--port: expected a port from 0 to 65535/],
      [['live', '/no/such/fixture', '--port', '0'], /\/no\/such\/fixture.*a fixture folder/],
    ];
    for (const [args, message] of cases) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let errText = '';
      stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
      const code = await main(['node', 'bodycam', ...args], { stdout, stderr });
      expect(code, args.join(' ')).toBe(2);
      expect(errText, args.join(' ')).toMatch(message);
      expect(errText.trim().split('\n').length, args.join(' ')).toBe(1);
    }
  });

  it('refuses a fixture whose files lead outside its folder (exit 2), and runs it with --allow-outside-fixture, as run does', async () => {
    // The fixture's frames folder is a symlink to a folder beside it.
    const root = tempDir('live-outside');
    const dir = join(root, 'fixture');
    cpSync(fixtureDir, dir, { recursive: true });
    const outside = join(root, 'outside');
    mkdirSync(outside);
    renameSync(join(dir, 'frames'), join(outside, 'frames'));
    symlinkSync(join(outside, 'frames'), join(dir, 'frames'));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let errText = '';
    stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
    const code = await main(['node', 'bodycam', 'live', dir, '--port', '0', '--out', tempDir('live-outside-out')], { stdout, stderr });
    expect(code).toBe(2);
    expect(errText.trim().split('\n')).toHaveLength(1);
    expect(errText).toMatch(/fixture\.json: video\.frames: expected a path inside the fixture folder .*--allow-outside-fixture allows others\), found .*outside/);
    const started = await startLive(dir, ['--allow-outside-fixture']);
    expect((await api(started, '/devices/DRD-BC-0001/input', { press: 'record' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.stdout()).toContain('1 recording finalized.');
  });
});
