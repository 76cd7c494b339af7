/** The lock file must satisfy `npm ci` (npm 11), which refuses a lock missing any optional package. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry { readonly version?: string; readonly optionalDependencies?: Record<string, string>; readonly os?: string[] }
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, LockEntry> };

/** The lock entry npm would resolve `name` to from the package at `path` (nearest node_modules up). */
function resolveFrom(path: string, name: string): LockEntry | undefined {
  let base = path;
  for (;;) {
    const found = lock.packages[`${base === '' ? '' : `${base}/`}node_modules/${name}`];
    if (found !== undefined || base === '') return found;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('lists every optional dependency of every locked package (else npm ci refuses it: npm run lock:complete)', () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (resolveFrom(path, name) === undefined) missing.push(`${path || '(root)'} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes each added platform package by its os, so npm skips it elsewhere', () => {
    const rollupDarwin = lock.packages['node_modules/@rollup/rollup-darwin-arm64'];
    expect(rollupDarwin?.os).toEqual(['darwin']);
  });
});
