import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_MODES, generatedDocSections, isIgnoreRow, modeChanges, replaceGeneratedSection, stateDiagramMermaid, stateDiagramSvg,
  TRANSITION_TABLE,
} from '../../src/device/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

describe('generated state diagram and docs', () => {
  it('committed docs/state-diagram.mmd is the generator output', () => {
    expect(read('docs/state-diagram.mmd')).toBe(stateDiagramMermaid());
  });

  it('committed docs/state-diagram.svg is the generator output, and renders', async () => {
    const svg = stateDiagramSvg();
    expect(read('docs/state-diagram.svg')).toBe(svg);
    const meta = await sharp(Buffer.from(svg)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['svg', 1560, 830]);
  });

  it('docs/device.md embeds the generated diagram and table unchanged', () => {
    const doc = read('docs/device.md');
    for (const [name, content] of Object.entries(generatedDocSections())) {
      expect(replaceGeneratedSection(doc, name, content), name).toBe(doc);
      expect(doc).toContain(content);
    }
    expect(doc).toContain('[state-diagram.svg](state-diagram.svg)');
  });

  it('draws every mode change of the table and nothing else', () => {
    const mermaid = stateDiagramMermaid();
    const edges = mermaid.split('\n').filter((line) => line.includes(' --> ') && !line.includes('[*]'));
    expect(edges).toHaveLength(modeChanges().length);
    const moves = TRANSITION_TABLE.filter((row) => !isIgnoreRow(row) && row.to !== 'same');
    for (const row of moves) {
      for (const mode of row.from) {
        if (isIgnoreRow(row) || row.to === 'same' || row.to === mode) continue;
        expect(edges.some((line) => line.startsWith(`  ${mode} --> ${row.to}: ${row.event}`)), `${mode} --> ${row.to}: ${row.event}`).toBe(true);
      }
    }
    for (const mode of DEVICE_MODES) expect(stateDiagramSvg()).toContain(`>${mode}</text>`);
  });

  it('the generator script agrees (--check exits 0)', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/state-diagram.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(output).toBe('');
  });

  it('replaceGeneratedSection needs both markers', () => {
    expect(replaceGeneratedSection('no markers', 'x', 'y')).toBeNull();
    expect(replaceGeneratedSection('a<!-- generated:x:begin -->old<!-- generated:x:end -->b', 'x', 'new\n')).toBe('a<!-- generated:x:begin -->\nnew\n<!-- generated:x:end -->b');
  });
});
