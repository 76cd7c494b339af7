/**
 * Every test file that mocks a module runs isolated: with the suite's shared module graph
 * (vitest.config.ts), a `vi.mock` in a shared file would replace the module for the files after it
 * in the same worker, or miss a module an earlier file already imported.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { ISOLATED_TEST_FILES } from './isolated-files.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('test isolation', () => {
  it('lists every file that calls vi.mock, vi.doMock or vi.stubGlobal as isolated, and no other', () => {
    const mocking = testFiles(join(ROOT, 'test'))
      .filter((file) => /\bvi\.(mock|doMock|stubGlobal)\(/.test(readFileSync(join(ROOT, file), 'utf8')))
      .sort();
    expect(mocking).toEqual([...ISOLATED_TEST_FILES].sort());
  });
});
