/**
 * The architecture's boundaries (docs/architecture.md), enforced on the import graph of `src/`:
 * - the pure folders reach no Node built-in and no sharp, not even through another module;
 * - only the entry points (cli, api, the root index and the job runners) import the composition root;
 * - no import cycles;
 * - the CLI starts without the heavy packages: each command loads them with `import()` when it runs
 *   (docs/performance.md, "The test suite"), so `bodycam --version`, `--help` and a usage error
 *   stay cheap in every CLI process the suite starts.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, type ImportGraph, findCycles, isNodeBuiltin, readImportGraph, reachingImports } from './import-graph.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Pure modules: no I/O, no Node. A folder (trailing `/`) holds only pure modules except the edge
 * files named in {@link PURE_FOLDER_EDGES}; a file is pure by itself.
 */
const PURE = [
  'src/errors/', 'src/time/', 'src/events/', 'src/text/', 'src/buffer/', 'src/device/', 'src/jpeg/',
  'src/container/', 'src/check/', 'src/report/', 'src/media/',
  'src/evidence/canonical-json.ts', 'src/evidence/audit-chain.ts', 'src/evidence/retention.ts',
  'src/evidence/encrypted-format.ts', 'src/evidence/bytes.ts', 'src/evidence/export-report.ts', 'src/evidence/verify-report.ts',
  'src/recorder/recording-span.ts',
  'src/fleet/fleet-types.ts', 'src/fleet/trigger-bus.ts',
] as const;

/**
 * The I/O edges inside otherwise pure folders (docs/architecture.md, the "I/O?" column), and the
 * index of each such folder, which re-exports its edge with the rest: a pure module imports the
 * pure file it needs, not the folder's index.
 */
const PURE_FOLDER_EDGES = new Set([
  'src/container/file-sink.ts', 'src/container/fd-io.ts', 'src/container/index.ts',
  'src/container/mp4/sync-muxer.ts', 'src/container/mp4/muxer-worker.ts', 'src/container/mp4/recording-format.ts',
  'src/check/check-runner.ts', 'src/check/team-files.ts', 'src/check/index.ts',
  'src/report/timeline-files.ts', 'src/report/index.ts',
]);

/** The composition root: the folder that wires a whole run. */
const COMPOSITION_ROOT = 'src/sim/';

/**
 * Who may import the composition root: the entry points. `src/parallel` (the `--jobs` workers) and
 * the `check` runner are entry points too: each runs whole jobs for the CLI or the API. `src/fleet`
 * is the composition root of a team (every camera on one clock) and shares the single run's checks.
 */
const ROOT_IMPORTERS = ['src/cli/', 'src/api/', 'src/index.ts', 'src/parallel/', 'src/check/check-runner.ts', 'src/fleet/'] as const;

/** True when `module` is in one of `prefixes` (a folder ending in `/`, or a file). */
function within(module: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => (prefix.endsWith('/') ? module.startsWith(prefix) : module === prefix));
}

function isPure(module: string): boolean {
  return within(module, PURE) && !PURE_FOLDER_EDGES.has(module);
}

const forbiddenInPure = (specifier: string): boolean => isNodeBuiltin(specifier) || specifier === 'sharp' || specifier.startsWith('sharp/');

/** Every way a pure module reaches Node or sharp (directly or through the modules it loads). */
function purityViolations(graph: ImportGraph): string[] {
  return [...graph.keys()].filter(isPure).sort().flatMap((module) => reachingImports(graph, module, forbiddenInPure));
}

/** Imports of the composition root from outside it and its importers. */
function rootViolations(graph: ImportGraph): string[] {
  return [...graph.entries()].filter(([module]) => !module.startsWith(COMPOSITION_ROOT) && !within(module, ROOT_IMPORTERS))
    .flatMap(([module, edges]) => edges.filter((edge) => edge.target?.startsWith(COMPOSITION_ROOT) === true).map((edge) => `${module} → ${edge.specifier}`))
    .sort();
}

/** The graph with one more import in `module`. */
function withImport(graph: ImportGraph, module: string, edge: ImportEdge): ImportGraph {
  const copy = new Map(graph);
  copy.set(module, [...(graph.get(module) ?? []), edge]);
  return copy;
}

/** Packages that cost 0.1-0.25 s of CPU each to load, and that the CLI's start needs none of. */
const HEAVY_PACKAGES = ['sharp', 'mediabunny', 'zod', 'rxjs'];
const isHeavy = (specifier: string): boolean => HEAVY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** Every way loading the CLI (src/cli/main.ts, without running a command) loads a heavy package. */
function cliStartViolations(graph: ImportGraph): string[] {
  return reachingImports(graph, 'src/cli/main.ts', isHeavy, true);
}

const graph = readImportGraph(ROOT);

describe('architecture boundaries', () => {
  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/buffer/index.ts')?.length).toBeGreaterThan(0);
  });

  it('keeps Node built-ins and sharp out of the pure folders, directly and through what they load', () => {
    expect(purityViolations(graph)).toEqual([]);
  });

  it('lets only the entry points import the composition root', () => {
    expect(rootViolations(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('starts the CLI without sharp, mediabunny, zod or rxjs (each command imports its modules when it runs)', () => {
    expect(cliStartViolations(graph)).toEqual([]);
    // and the commands do reach them, through their import() calls
    expect(reachingImports(graph, 'src/cli/main.ts', isHeavy).length).toBeGreaterThan(0);
  });

  it('runs a replay without mediabunny until an MP4 is read (the demuxer imports it on its first read)', () => {
    expect(reachingImports(graph, 'src/cli/commands/run-action.ts', (specifier) => specifier === 'mediabunny', true)).toEqual([]);
    expect(reachingImports(graph, 'src/cli/commands/run-action.ts', (specifier) => specifier === 'mediabunny').length).toBeGreaterThan(0);
  });
});

describe('the boundary rules catch what they are for', () => {
  it('a node: import in src/buffer', () => {
    const broken = withImport(graph, 'src/buffer/slot-table.ts', { specifier: 'node:fs', target: null, typeOnly: false });
    expect(purityViolations(broken)).toContain('src/buffer/slot-table.ts → node:fs');
    // and through every pure module that loads it (the buffer's index, the device's host types...)
    const through = purityViolations(broken).filter((path) => path.endsWith('src/buffer/slot-table.ts → node:fs'));
    expect(through.filter((path) => path.startsWith('src/buffer/index.ts → '))).toHaveLength(1);
  });

  it('a pure module loading an I/O module, but not a type-only import of one', () => {
    const valueImport = withImport(graph, 'src/device/device.ts', { specifier: '../recorder/file-hash.js', target: 'src/recorder/file-hash.ts', typeOnly: false });
    // file-hash.ts reaches Node through the worker pool (src/workers) it runs its hashing on.
    expect(purityViolations(valueImport).some((path) => path.startsWith('src/device/device.ts → src/recorder/file-hash.ts → ') && / → node:/.test(path))).toBe(true);
    const typeImport = withImport(graph, 'src/device/device.ts', { specifier: '../recorder/file-hash.js', target: 'src/recorder/file-hash.ts', typeOnly: true });
    expect(purityViolations(typeImport)).toEqual([]);
  });

  it('sharp in a pure folder', () => {
    const broken = withImport(graph, 'src/jpeg/index.ts', { specifier: 'sharp', target: null, typeOnly: false });
    expect(purityViolations(broken)).toContain('src/jpeg/index.ts → sharp');
  });

  it('the composition root imported from elsewhere', () => {
    const broken = withImport(graph, 'src/recorder/recording.ts', { specifier: '../sim/index.js', target: 'src/sim/index.ts', typeOnly: true });
    expect(rootViolations(broken)).toEqual(['src/recorder/recording.ts → ../sim/index.js']);
  });

  it('a command importing a heavy module statically, but not with import()', () => {
    const staticImport = withImport(graph, 'src/cli/commands/verify-command.ts', { specifier: '../../sim/index.js', target: 'src/sim/index.ts', typeOnly: false });
    expect(cliStartViolations(staticImport).some((path) => path.startsWith('src/cli/main.ts → src/cli/commands/verify-command.ts → src/sim/index.ts → '))).toBe(true);
    const dynamicImport = withImport(graph, 'src/cli/commands/verify-command.ts', { specifier: '../../sim/index.js', target: 'src/sim/index.ts', typeOnly: false, dynamic: true });
    expect(cliStartViolations(dynamicImport)).toEqual([]);
  });

  it('a cycle', () => {
    const broken = withImport(graph, 'src/errors/index.ts', { specifier: '../buffer/index.js', target: 'src/buffer/index.ts', typeOnly: true });
    expect(findCycles(broken).some((cycle) => cycle.includes('src/errors/index.ts') && cycle.includes('src/buffer/index.ts'))).toBe(true);
  });
});
