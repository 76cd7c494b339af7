/**
 * The command line's conventions (issue 19): suggestions for a mistyped command or flag, colour
 * only where it belongs, errors as JSON with --json, a hint for a video given to `run`, examples
 * in every command's --help, and progress bars only on a TTY.
 */
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, main } from '../../src/cli/main.js';
import { colorEnabled, verdictPaint } from '../../src/cli/colors.js';
import { bodycam } from '../helpers/main-in-process.js';
import { tempDir } from '../helpers/tools.js';
import { ROOT } from '../helpers/cli.js';

/**
 * The worker threads of `--jobs` load the built modules, so this test imports `runJobs` from dist/
 * at run time; its type comes from src/, so the type check does not read dist/ (which `npm test`
 * builds at the same time).
 */
const { runJobs } = await import(pathToFileURL(join(ROOT, 'dist', 'parallel', 'index.js')).href) as typeof import('../../src/parallel/index.js');

const JITTER = join(import.meta.dirname, '..', 'fixtures', 'jitter-drops');

/** A captured stream that says it is (or is not) a terminal. */
function stream(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  const chunks: string[] = [];
  const writable = new Writable({ write(chunk, _encoding, done) { chunks.push(String(chunk)); done(); } }) as Writable & { isTTY: boolean };
  writable.isTTY = isTTY;
  return { stream: writable, text: () => chunks.join('') };
}

async function onTerminal(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = stream(true);
  const stderr = stream(true);
  const status = await main(['node', 'bodycam', ...args], { stdout: stdout.stream, stderr: stderr.stream });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

describe('did you mean', () => {
  it('suggests the command for a mistyped one, on its one line', async () => {
    const result = await bodycam('rn');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("bodycam: error: unknown command 'rn' (Did you mean run?) (see bodycam --help)\n");
  });

  it('suggests the flag for a mistyped one', async () => {
    const result = await bodycam('run', '--scenaro', 'x.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("bodycam: error: unknown option '--scenaro' (Did you mean --scenario?) (see bodycam run --help)\n");
  });

  it('suggests a subcommand', async () => {
    const result = await bodycam('fixture', 'imprt', 'a.mp4');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('(Did you mean import?)');
  });
});

describe('colour', () => {
  it('only on a TTY, never with NO_COLOR, FORCE_COLOR for a pipe', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(verdictPaint({ isTTY: true }, {})('PASS')).toBe('\u001b[32mPASS\u001b[39m');
    expect(verdictPaint({ isTTY: true }, {})('FAIL')).toBe('\u001b[31mFAIL\u001b[39m');
    expect(verdictPaint({ isTTY: false }, {})('FAIL')).toBe('FAIL');
  });

  it('bodycam check colours PASS and FAIL on a terminal and not in a pipe', async () => {
    const dir = tempDir('conventions-check');
    const scenario = join(dir, 'two.json');
    writeFileSync(scenario, JSON.stringify({
      format: 'bodycam-scenario/1', fixture: JITTER, device: { preRecordSeconds: 1, stopHoldSeconds: 1 },
      events: [{ at: 2.5, press: 'record' }, { at: 4, press: 'record', hold: 1.2 }],
      expect: [{ recordings: 1 }, { recordings: 2 }],
    }));
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const tty = await onTerminal(['check', scenario, '--out', join(dir, 'tty'), '--jobs', '1']);
      expect(tty.status).toBe(1);
      expect(tty.stdout).toContain('\u001b[32mPASS\u001b[39m expect[0]');
      expect(tty.stdout).toContain('\u001b[31mFAIL\u001b[39m expect[1]');
      process.env.NO_COLOR = '1';
      const noColor = await onTerminal(['check', scenario, '--out', join(dir, 'no-color'), '--jobs', '1']);
      expect(noColor.stdout).toContain('  PASS expect[0]');
      expect(noColor.stdout).not.toContain('\u001b[');
      delete process.env.NO_COLOR;
      const piped = await bodycam('check', scenario, '--out', join(dir, 'piped'), '--jobs', '1');
      expect(piped.stdout).toContain('  FAIL expect[1]');
      expect(piped.stdout).not.toContain('\u001b[');
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});

describe('--json errors', () => {
  it('bad input: one JSON document on stdout with the code and exit code; the line on stderr stays', async () => {
    const result = await bodycam('run', join(tempDir('conventions-json'), 'missing'), '--json');
    expect(result.status).toBe(2);
    const document = JSON.parse(result.stdout) as { format: string; error: { code: string; exitCode: number; message: string; file: string } };
    expect(document.format).toBe('bodycam-error/1');
    expect(document.error).toMatchObject({ code: 'bad-input', exitCode: 2 });
    expect(document.error.message).toContain('nothing at that path');
    expect(document.error.file).toContain('missing');
    expect(result.stderr).toMatch(/^bodycam: .*nothing at that path\n$/);
  });

  it('usage errors too', async () => {
    const result = await bodycam('check', '--json', '--jobs', 'many', 'x.json');
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'bodycam-error/1', error: { code: 'usage', exitCode: 2 } });
    const unknown = await bodycam('run', '--json', '--scenaro', 'x.json');
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'usage', exitCode: 2, message: expect.stringContaining('Did you mean --scenario?') } });
  });

  it('without --json, stdout stays empty on an error', async () => {
    const result = await bodycam('run', join(tempDir('conventions-plain'), 'missing'));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('a video given to run', () => {
  it('suggests bodycam fixture import', async () => {
    const video = join(tempDir('conventions-video'), 'clip.mp4');
    writeFileSync(video, Buffer.from('00000020667479706d703432', 'hex'));
    const result = await bodycam('run', video);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`bodycam fixture import ${video} --out`);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});

describe('--help', () => {
  /** Every command path under the program, from the command tree itself, so a new command is covered. */
  function paths(command: Command, prefix: string[] = []): string[][] {
    return command.commands.flatMap((sub) => [[...prefix, sub.name()], ...paths(sub, [...prefix, sub.name()])]);
  }
  const all = paths(buildProgram());

  it('covers the commands users know', () => {
    expect(all.map((path) => path.join(' '))).toEqual(expect.arrayContaining(['run', 'check', 'fixture import', 'repair', 'verify', 'live', 'evidence offload']));
  });

  it.each(all.map((path) => [path.join(' ')]))('%s has examples that name the command', async (path) => {
    const result = await bodycam(...path.split(' '), '--help');
    expect(result.status).toBe(0);
    const examples = result.stdout.split('\nExamples:\n')[1];
    expect(examples, result.stdout).toBeDefined();
    expect(examples).toContain(`bodycam ${path}`);
  });

  it('the top level has examples', async () => {
    const result = await bodycam('--help');
    expect(result.stdout).toContain('\nExamples:\n');
    expect(result.stdout).toContain('npx bodycam run');
  });
});

describe('progress', () => {
  it('run draws a bar with an ETA on a terminal\'s stderr, and none into a pipe', async () => {
    const dir = tempDir('conventions-progress');
    const slow = join(dir, 'slow.json');
    writeFileSync(slow, JSON.stringify({ format: 'bodycam-scenario/1', fixture: JITTER, events: [] }));
    const tty = await onTerminal(['run', '--scenario', slow, '--out', join(dir, 'tty')]);
    expect(tty.status).toBe(0);
    // the jitter fixture replays in well under the second a bar waits for, so the bar stays away
    expect(tty.stderr).toBe('');
    const piped = await bodycam('run', '--scenario', slow, '--out', join(dir, 'piped'));
    expect(piped.stderr).toBe('');
  });

  it('parallel runs report each job\'s progress from its worker thread, rising to the end', async () => {
    const dir = tempDir('conventions-jobs');
    const scenario = join(dir, 'quiet.json');
    writeFileSync(scenario, JSON.stringify({ format: 'bodycam-scenario/1', fixture: JITTER, events: [] }));
    const seen: number[][] = [[], []];
    const outcomes = await runJobs([0, 1].map((index) => ({ scenarioFile: scenario, outDir: join(dir, `job-${index}`), timeline: false })), {
      jobs: 2,
      onProgress: (index, fraction) => seen[index]!.push(fraction),
    });
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    for (const fractions of seen) {
      expect(fractions.length).toBeGreaterThan(10);
      expect(fractions.at(-1)!).toBeGreaterThan(0.95);
      for (let i = 1; i < fractions.length; i += 1) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    }
  });
});
