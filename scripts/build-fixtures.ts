/**
 * `npm run fixtures:build`: regenerates the bundled fixture (fixtures/street-warning/) and the
 * tiny test fixtures (test/fixtures/) from code. Deterministic: two runs give the same bytes.
 * Needs espeak-ng for the spoken warning; the committed output needs no tool.
 *
 * Usage: tsx scripts/build-fixtures.ts [--out DIR]   (DIR defaults to the repository root)
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBodycamError } from '../src/errors/index.js';
import { loadFixture, loadScenario, validateScenarioAgainstFixture } from '../src/fixture/index.js';
import {
  STREET_WARNING, espeakVersion, jitterDropsSpec, speak, stereoPngSpec, streetWarningSpec, writeSyntheticFixture,
  type SyntheticFixtureSpec,
} from './synth/index.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function build(dir: string, spec: SyntheticFixtureSpec): Promise<void> {
  const started = performance.now();
  const written = await writeSyntheticFixture(dir, spec);
  // Read it back through the loader: what we ship must pass our own validation.
  const fixture = await loadFixture(dir);
  if (fixture.scenarioPath !== null) validateScenarioAgainstFixture(await loadScenario(fixture.scenarioPath), fixture);
  const digest = createHash('sha256');
  for (const file of written.files) digest.update(file.path).update(readFileSync(path.join(dir, file.path)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${path.relative(process.cwd(), dir) || '.'}: ${written.files.length} files, ${written.totalBytes} bytes, ` +
    `${fixture.video.frameCount} frames ${fixture.video.width}x${fixture.video.height}, end ${fixture.endUs} µs, sha256 ${digest.digest('hex').slice(0, 16)} (${seconds} s)`);
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const root = outIndex >= 0 ? path.resolve(process.argv[outIndex + 1] ?? '.') : repositoryRoot;
  console.log(`espeak-ng: ${espeakVersion() ?? 'not installed'}`);
  const speech = speak(STREET_WARNING.warningText, STREET_WARNING.warningVoice);
  await build(path.join(root, 'fixtures', 'street-warning'), streetWarningSpec(speech));
  await build(path.join(root, 'test', 'fixtures', 'jitter-drops'), jitterDropsSpec());
  await build(path.join(root, 'test', 'fixtures', 'stereo-png'), stereoPngSpec());
}

main().catch((error: unknown) => {
  console.error(isBodycamError(error) ? `fixtures:build: ${error.message}` : error);
  process.exitCode = isBodycamError(error) && error.code === 'missing-tool' ? 3 : 1;
});
