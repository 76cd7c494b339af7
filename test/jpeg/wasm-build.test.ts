/**
 * The WebAssembly the package ships (src/jpeg/entropy-transcode-wasm.ts and block-dct-wasm.ts,
 * generated) is what its AssemblyScript source (wasm/entropy-transcode.ts, wasm/block-dct.ts) compiles to with the pinned compiler, so the
 * committed bytes never drift from the source a reviewer reads. The committed file came from
 * another run of the compiler, so this also shows its output is the same from run to run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { MODULES, compileWasm, generatedModule } from '../../scripts/build-wasm.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the generated WebAssembly module', () => {
  const modules = MODULES as readonly { source: string; target: string }[];

  it('lists both modules', () => {
    expect(modules.map((m) => m.source)).toEqual(['wasm/entropy-transcode.ts', 'wasm/block-dct.ts']);
  });

  it.each(modules)('$target is what $source compiles to (npm run wasm:build writes it)', async (module) => {
    const binary = await compileWasm(module) as Uint8Array;
    expect(readFileSync(join(ROOT, module.target), 'utf8')).toBe(generatedModule(binary, module));
  });

  it('pins the compiler exactly: another version may give other bytes', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['assemblyscript']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
