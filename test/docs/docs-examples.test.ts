/**
 * The docs' library examples run unchanged in a consumer project made from `npm pack`: every `ts`
 * block of README.md and docs/*.md that imports bodycam-sim is written to a fresh project that
 * installed the packed tarball (and vitest, for the examples that are tests). A vitest example
 * runs with the consumer's own `vitest run`; any other example runs as a script (tsx). The
 * tarball's contents are checked too: dist, bin, the bundled fixture, README, LICENSE only.
 *
 * npm installs from its cache where it can (`--offline`, then `--prefer-offline`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { type CodeBlock, codeBlocks } from '../helpers/markdown-blocks.js';
import { tempDir } from '../helpers/tools.js';

interface Example extends CodeBlock {
  readonly doc: string;
  readonly isTest: boolean;
}

const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const examples: Example[] = docs.flatMap((doc) => codeBlocks(join(ROOT, doc))
  .filter((block) => (block.language === 'ts' || block.language === 'typescript') && /from 'bodycam-sim(\/[\w-]+)?'|import 'bodycam-sim/.test(block.code))
  .map((block) => ({ ...block, doc, isTest: /from 'vitest'/.test(block.code) })));

const work = tempDir('consumer');
const consumer = join(work, 'consumer');
let tarball = '';

/**
 * The consumer's environment: the frame cache at its default (on, as for a user: the suite turns it
 * off for every other test), in a folder of this run's own, so the second example's replay of the
 * bundled fixture reuses the frames the first one encoded, as a user's would, and nothing from an
 * earlier run is read. Its bytes are the uncached run's (test/e2e/frame-cache-run.test.ts).
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const { BODYCAM_FRAME_CACHE: _off, ...env } = process.env;
  return { ...env, BODYCAM_FRAME_CACHE_DIR: join(work, 'frame-cache'), NO_COLOR: '1' };
}

function sh(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: consumerEnv() });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

beforeAll(() => {
  // npm test has built dist/; pack it as published (no prepare: nothing to rebuild)
  const packed = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(packed.status, packed.output).toBe(0);
  const info = JSON.parse(packed.output.slice(packed.output.indexOf('['))) as { filename: string }[];
  tarball = join(work, info[0]?.filename ?? '');
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'bodycam-consumer', private: true, type: 'module' }, null, 2)}\n`);
  const vitestVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'vitest', 'package.json'), 'utf8')) as { version: string }).version;
  const install = ['install', '--no-audit', '--no-fund', tarball, `vitest@${vitestVersion}`];
  let installed = sh('npm', [...install, '--offline'], consumer);
  if (installed.status !== 0) installed = sh('npm', [...install, '--prefer-offline'], consumer);
  expect(installed.status, installed.output).toBe(0);
}, 600_000);

describe('the packed tarball', () => {
  it('holds dist (JS and types), bin, the bundled fixture, README, LICENSE and package.json only', () => {
    const listing = sh('tar', ['tzf', tarball], work);
    expect(listing.status).toBe(0);
    const files = listing.output.trim().split('\n').map((line) => line.replace(/^package\//, ''));
    const tops = new Set(files.map((file) => (file.includes('/') ? `${file.split('/')[0]}/` : file)));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'bin/', 'dist/', 'fixtures/', 'package.json']);
    expect(files.filter((file) => file.startsWith('fixtures/') && !file.startsWith('fixtures/street-warning/'))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/') && !/\.(js|d\.ts)$/.test(file))).toEqual([]);
    expect(files.some((file) => file.includes('synth'))).toBe(false);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('fixtures/street-warning/scenario.json');
    const megabytes = statSync(tarball).size / 1e6;
    console.log(`tarball: ${megabytes.toFixed(1)} MB, ${files.length} files`);
    expect(megabytes).toBeLessThan(20);
  });
});

describe('the docs\' library examples, in a project that installed the tarball', () => {
  it('finds the examples of docs/check.md (simulate() and the vitest matchers)', () => {
    expect(examples.filter((example) => example.doc === 'docs/check.md' && example.isTest)).toHaveLength(1);
    expect(examples.filter((example) => example.doc === 'docs/check.md' && !example.isTest)).toHaveLength(1);
  });

  for (const example of examples) {
    const name = `${example.doc}:${example.line} ${example.isTest ? '(vitest)' : '(script)'}`;
    it(`${name} runs unchanged`, () => {
      const base = `${example.doc.replace(/[/.]/g, '-')}-${example.line}`;
      if (example.isTest) {
        const file = join(consumer, 'test', `${base}.test.ts`);
        mkdirSync(join(consumer, 'test'), { recursive: true });
        writeFileSync(file, example.code);
        const result = sh(join(consumer, 'node_modules', '.bin', 'vitest'), ['run', `test/${base}.test.ts`], consumer);
        expect(result.status, `${name} failed:\n${example.code}\n--- output ---\n${result.output}`).toBe(0);
        expect(result.output).toMatch(/Tests\s+\d+ passed/);
      } else {
        const file = join(consumer, `${base}.ts`);
        writeFileSync(file, example.code);
        // tsx from this repository: the example's own imports resolve from the consumer's node_modules
        const result = sh(join(ROOT, 'node_modules', '.bin', 'tsx'), [file], consumer);
        expect(result.status, `${name} failed:\n${example.code}\n--- output ---\n${result.output}`).toBe(0);
      }
    }, 300_000);
  }
});
