/**
 * The WebAssembly the package ships (src/jpeg/entropy-transcode-wasm.ts, generated) is what its
 * AssemblyScript source (wasm/entropy-transcode.ts) compiles to with the pinned compiler, so the
 * committed bytes never drift from the source a reviewer reads. The committed file came from
 * another run of the compiler, so this also shows its output is the same from run to run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { compileWasm, generatedModule } from '../../scripts/build-wasm.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the generated WebAssembly module', () => {
  it('is what wasm/entropy-transcode.ts compiles to (npm run wasm:build writes it)', async () => {
    const binary = await compileWasm() as Uint8Array;
    expect(readFileSync(join(ROOT, 'src/jpeg/entropy-transcode-wasm.ts'), 'utf8')).toBe(generatedModule(binary));
  });

  it('pins the compiler exactly: another version may give other bytes', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies['assemblyscript']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
