/**
 * The `bodycam` launcher (bin/bodycam, what `npx bodycam` runs): it sets glibc's MALLOC_ARENA_MAX
 * unless the caller did, asks glibc for transparent huge pages (GLIBC_TUNABLES), gives node 1 MB semi-spaces, finds bin/bodycam.js through npm's symlink, and execs node in its own
 * process. A stand-in `node` on PATH shows what the launcher passes on.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NPX_BIN, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tools.js';

const LAUNCHER = join(ROOT, 'bin', 'bodycam');

/** A PATH whose `node` prints its pid, MALLOC_ARENA_MAX and arguments instead of running anything. */
function fakeNodePath(): string {
  const dir = tempDir('fake-node');
  writeFileSync(join(dir, 'node'), '#!/bin/sh\necho "$$|${MALLOC_ARENA_MAX:-unset}|$*|${GLIBC_TUNABLES:-unset}"\n');
  chmodSync(join(dir, 'node'), 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

function launch(command: string, args: readonly string[], env: NodeJS.ProcessEnv): { pid: number; spawnedPid: number; arena: string; args: string; tunables: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  expect(result.status, result.stderr).toBe(0);
  const [pid, arena, passed, tunables] = result.stdout.trim().split('|');
  // The launcher may pass the script as node_modules/.bin/../../bin/bodycam.js: the same file.
  const [flag, script, ...rest] = (passed ?? '').split(' ');
  return { pid: Number(pid), spawnedPid: result.pid ?? -1, arena: arena ?? '', args: [flag, resolve(script ?? ''), ...rest].join(' '), tunables: tunables ?? '' };
}

describe('the bodycam launcher', () => {
  it('sets MALLOC_ARENA_MAX=2 and 2 MB semi-spaces, and runs bin/bodycam.js with the arguments in the same process (exec)', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: fakeNodePath() };
    delete env.MALLOC_ARENA_MAX;
    const seen = launch(LAUNCHER, ['run', 'a dir', '--out', 'x'], env);
    expect(seen.arena).toBe('2');
    expect(seen.args).toBe(`--max-semi-space-size=1 ${join(ROOT, 'bin', 'bodycam.js')} run a dir --out x`);
    expect(seen.pid).toBe(seen.spawnedPid); // exec: node is the launcher's own process, not a child of it
  });

  it('keeps a MALLOC_ARENA_MAX the caller set', () => {
    expect(launch(LAUNCHER, ['--version'], { ...process.env, PATH: fakeNodePath(), MALLOC_ARENA_MAX: '8' }).arena).toBe('8');
  });

  it('asks glibc for transparent huge pages, keeping the tunables the caller set', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: fakeNodePath() };
    delete env.GLIBC_TUNABLES;
    expect(launch(LAUNCHER, ['--version'], env).tunables).toBe('glibc.malloc.hugetlb=1');
    expect(launch(LAUNCHER, ['--version'], { ...env, GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' }).tunables).toBe('glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=1');
    expect(launch(LAUNCHER, ['--version'], { ...env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }).tunables).toBe('glibc.malloc.hugetlb=0');
  });

  it('finds bin/bodycam.js through a symlink in another folder, as npm links bins', () => {
    const binDir = join(tempDir('linked-bin'), 'node_modules', '.bin');
    mkdirSync(binDir, { recursive: true });
    symlinkSync(LAUNCHER, join(binDir, 'bodycam'));
    const seen = launch(join(binDir, 'bodycam'), ['check', 's.json'], { ...process.env, PATH: fakeNodePath() });
    expect(seen.args).toBe(`--max-semi-space-size=1 ${join(ROOT, 'bin', 'bodycam.js')} check s.json`);
  });

  it('follows a chain of relative symlinks', () => {
    const root = tempDir('chained-bin');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    symlinkSync(LAUNCHER, join(root, 'a', 'real'));
    symlinkSync('../real', join(root, 'a', 'b', 'bodycam'));
    symlinkSync('a/b/bodycam', join(root, 'bodycam'));
    const seen = launch(join(root, 'bodycam'), ['run'], { ...process.env, PATH: fakeNodePath() });
    expect(seen.args).toBe(`--max-semi-space-size=1 ${join(ROOT, 'bin', 'bodycam.js')} run`);
  });

  it('is what npx runs: node_modules/.bin/bodycam links to it (made by `npm ci` through prepare)', () => {
    const seen = launch(NPX_BIN, ['--help'], { ...process.env, PATH: fakeNodePath() });
    expect(seen.args).toBe(`--max-semi-space-size=1 ${join(ROOT, 'bin', 'bodycam.js')} --help`);
  });
});
