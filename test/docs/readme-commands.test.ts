/**
 * Every `sh` block of README.md runs as written, in order, in a fresh copy of the repository (its
 * files as git lists them, without node_modules or dist: the first block's `npm ci` installs and
 * builds). A block fails the test when it exits non-zero.
 *
 * Tags after the language: `sh no-run` is skipped (listed as skipped): `npm test`, which runs this
 * very test, the benchmarks and `ffplay`. `sh until-ctrl-c` is a server: it runs until it has
 * printed a URL, gets SIGINT (Ctrl+C) and must then stop by itself: exit 0, or 130 / SIGINT, which
 * is how npx reports a Ctrl+C even when the command under it finished cleanly.
 *
 * `../shared/footage` is the sibling folder of the repository: the real one when it is there (the
 * development machine), else a folder with a short synthetic video of each name the README uses
 * (ffmpeg's test pattern and a tone), so CI runs the same commands.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { codeBlocks } from '../helpers/markdown-blocks.js';
import { requireTestTool, tempDir } from '../helpers/tools.js';

const README = join(ROOT, 'README.md');
const blocks = codeBlocks(README).filter((block) => block.language === 'sh' || block.language === 'bash' || block.language === 'shell');
const BLOCK_TIMEOUT_MS = 300_000;

const work = tempDir('readme');
const repo = join(work, 'bodycam-sim');
const running = new Set<ChildProcess>();

/** The repository's files (tracked and new, not ignored) copied to `repo`. */
function copyRepository(): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((name) => name !== '' && existsSync(join(ROOT, name)))) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
}

/** `../shared/footage` beside the copy: the real folder, or synthetic videos of the names the README uses. */
function provideFootage(): string {
  const real = resolve(ROOT, '..', 'shared', 'footage');
  const footage = join(work, 'shared', 'footage');
  mkdirSync(dirname(footage), { recursive: true });
  if (existsSync(real)) {
    symlinkSync(real, footage);
    return `the real ${real}`;
  }
  mkdirSync(footage, { recursive: true });
  const names = new Set(blocks.flatMap((block) => [...block.code.matchAll(/\.\.\/shared\/footage\/([\w.+-]+)/g)].map((match) => match[1] ?? '')));
  for (const name of names) {
    const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000:duration=25',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', join(footage, name)], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`could not make a stand-in for ${name}: ${made.stderr}`);
  }
  return `synthetic stand-ins for ${[...names].join(', ')}`;
}

/** What a block run printed, for the failure message. */
function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function run(code: string): Promise<{ status: number | null; signal: string | null; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', code], { cwd: repo, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('close', (status, signal) => {
      running.delete(child);
      resolvePromise({ status, signal, output });
    });
  });
}

/** Runs a server block until it prints a URL, then sends SIGINT to its process group (Ctrl+C). */
function runUntilCtrlC(code: string): Promise<{ status: number | null; signal: string | null; output: string; sawUrl: boolean }> {
  return new Promise((resolvePromise) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', code], { cwd: repo, env: shellEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let output = '';
    let sawUrl = false;
    const interrupt = (): void => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    };
    const giveUp = setTimeout(interrupt, 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!sawUrl && /https?:\/\/\S+/.test(output)) {
        sawUrl = true;
        setTimeout(interrupt, 3000); // let it serve for a moment
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (status, signal) => {
      clearTimeout(giveUp);
      running.delete(child);
      resolvePromise({ status, signal, output, sawUrl });
    });
  });
}

function shellEnv(): NodeJS.ProcessEnv {
  // npm answers from its cache where it can; the commands are still the README's. The frame cache
  // is at its default (on, as for a user: the suite turns it off for every other test), in a folder
  // of this run's own, so the README's later replays of the bundled fixture reuse what its first
  // `npx bodycam run` encoded, as a user's do, and nothing from an earlier run is read.
  const { BODYCAM_FRAME_CACHE: _off, ...env } = process.env;
  return {
    ...env, BODYCAM_FRAME_CACHE_DIR: join(work, 'frame-cache'),
    npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', NO_COLOR: '1',
  };
}

afterAll(() => {
  for (const child of running) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

describe('README.md: every sh block runs as written', () => {
  it('has the blocks a newcomer runs first', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks[0]?.code).toMatch(/^npm ci\b/m);
    requireTestTool('ffmpeg');
    requireTestTool('ffprobe');
    copyRepository();
    console.log(`README blocks run in ${repo}; ../shared/footage: ${provideFootage()}`);
  });

  for (const block of blocks) {
    const first = block.code.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
    const name = `README.md:${block.line} ${first.trim().slice(0, 90)}`;
    if (block.tags.includes('no-run')) {
      it.skip(`(no-run) ${name}`, () => undefined);
    } else if (block.tags.includes('until-ctrl-c')) {
      it(`(until Ctrl+C) ${name}`, async () => {
        const result = await runUntilCtrlC(block.code);
        expect(result.sawUrl, tail(result.output)).toBe(true);
        const stopped = result.status === 0 || result.status === 130 || result.signal === 'SIGINT';
        expect(stopped, `stopped with ${result.status ?? result.signal}\n${tail(result.output)}`).toBe(true);
      }, BLOCK_TIMEOUT_MS);
    } else {
      it(name, async () => {
        const result = await run(block.code);
        expect(result.status, `README.md line ${block.line} failed:\n${block.code}\n--- output ---\n${tail(result.output)}`).toBe(0);
      }, BLOCK_TIMEOUT_MS);
    }
  }
});
