#!/usr/bin/env node
/**
 * `npm run lock:complete`: adds to package-lock.json the platform packages of rollup (vitest's
 * bundler) that the project's registry does not serve. npm records only the optional packages it
 * could resolve, and npm 11's `npm ci` then refuses the lock ("Missing: @rollup/rollup-darwin-x64
 * from lock file"). Each added entry carries the package's os/cpu/libc, so npm skips it on other
 * platforms without fetching it, and fetches it from the public registry on its own platform.
 * Run it after any `npm install` that rewrites the lock; `test/setup/lock-file.test.ts` checks it.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] !== undefined || packages[`${path}/${key}`] !== undefined) continue;
    const platform = /^@rollup\/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z]+))?$/.exec(name);
    if (platform === null) throw new Error(`${name}: an optional package missing from the lock that this script does not know how to describe`);
    const [, os, cpu, abi] = platform;
    const libc = os !== 'linux' ? undefined : abi?.startsWith('musl') ? ['musl'] : abi?.startsWith('gnu') ? ['glibc'] : undefined;
    packages[key] = { version, cpu: [cpu], dev: entry.dev, ...(libc === undefined ? {} : { libc }), license: 'MIT', optional: true, os: [os] };
    added.push(name);
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length === 0 ? 'package-lock.json: complete' : `package-lock.json: added ${added.join(', ')}`);
