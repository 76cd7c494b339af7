/**
 * `bodycam-sim` and `bodycam-sim/vitest` from the built package (dist/, through package.json
 * "exports"): the matchers register with vitest at runtime, and their types reach a consumer's
 * `expect(...)` through the published .d.ts. Needs `npm run build` first (npm test does it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { BUNDLED_RUN } from '../check/run-data.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'api', 'vitest.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does it)');
});

describe('the built package', () => {
  it('registers the matchers when bodycam-sim/vitest is imported, and exports simulate', async () => {
    const vitestEntry = 'bodycam-sim/vitest';
    const mainEntry = 'bodycam-sim';
    const matchers = (await import(vitestEntry)) as { bodycamMatchers: Record<string, unknown> };
    const main = (await import(mainEntry)) as { simulate: unknown; parseExpectations: unknown };
    expect(Object.keys(matchers.bodycamMatchers)).toContain('toHavePreRoll');
    expect(typeof main.simulate).toBe('function');
    const assertion = expect(BUNDLED_RUN) as unknown as Record<string, (...args: unknown[]) => void>;
    assertion.toHavePreRoll?.(30, { tolerance: 0.034 });
    expect(() => assertion.toHaveStopReason?.('battery')).toThrow('toHaveStopReason: expected recording 1 stopped by battery; measured stop reason button');
  });

  it('types the matchers on vitest\'s Assertion for a consumer (tsc over the published .d.ts)', () => {
    // a consumer inside the package folder, so that the self-reference "bodycam-sim" resolves to dist/
    const dir = mkdtempSync(join(ROOT, 'test', 'api', '.consumer-'));
    try {
      writeFileSync(join(dir, 'consumer.ts'), [
        "import { expect } from 'vitest';",
        "import 'bodycam-sim/vitest';",
        "import { simulate, type SimulationResult } from 'bodycam-sim';",
        'export async function good(): Promise<void> {',
        '  const run: SimulationResult = await simulate({}).done;',
        "  expect(run).toHavePreRoll(30, { tolerance: 0.034 });",
        "  expect(run).toShowLed('record', 'red', { at: 45.1 });",
        "  expect(run).not.toHaveStopReason('battery', { recording: 1 });",
        '}',
        'export function bad(run: SimulationResult): void {',
        '  // @ts-expect-error: not a stop reason',
        "  expect(run).toHaveStopReason('bored');",
        '  // @ts-expect-error: no such matcher',
        '  expect(run).toHavePreRol(30);',
        '}',
        '',
      ].join('\n'));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        files: ['consumer.ts'],
      }));
      const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
