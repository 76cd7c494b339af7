/**
 * Writes the state diagram (docs/state-diagram.mmd, docs/state-diagram.svg) and the generated
 * sections of docs/device.md from the transition table. `--check` writes nothing and exits 1 when
 * a committed file differs from what the table gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocSections, replaceGeneratedSection, stateDiagramMermaid, stateDiagramSvg } from '../src/device/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

function expectedDeviceDoc(current: string): string {
  let text = current;
  for (const [name, content] of Object.entries(generatedDocSections())) {
    const next = replaceGeneratedSection(text, name, content);
    if (next === null) throw new Error(`docs/device.md: missing <!-- generated:${name}:begin/end --> markers`);
    text = next;
  }
  return text;
}

const outputs: [string, string][] = [
  ['docs/state-diagram.mmd', stateDiagramMermaid()],
  ['docs/state-diagram.svg', stateDiagramSvg()],
  ['docs/device.md', expectedDeviceDoc(readFileSync(join(root, 'docs/device.md'), 'utf8'))],
];

let stale = 0;
for (const [path, content] of outputs) {
  const file = join(root, path);
  let current: string | null = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = null;
  }
  if (current === content) continue;
  if (check) {
    console.error(`${path} is out of date: run npm run docs:diagram`);
    stale += 1;
  } else {
    writeFileSync(file, content);
    console.log(`wrote ${path}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
