/** writeFileAtomic: the target is either untouched or complete, and no temporary is left behind. */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';

describe('writeFileAtomic', () => {
  it('replaces the file whole', () => {
    const dir = tempDir('atomic');
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('throws and removes its temporary when the rename fails (the target is a folder)', () => {
    const dir = tempDir('atomic-fail');
    const target = join(dir, 'report.xml');
    mkdirSync(target);
    expect(() => writeFileAtomic(target, '<x/>')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.xml']);
    expect(existsSync(join(target))).toBe(true);
  });
});
