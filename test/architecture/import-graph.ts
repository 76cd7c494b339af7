/**
 * The import graph of `src/`, read with the TypeScript parser (no build, no dependency): for each
 * module, the modules and packages it imports, and whether each import is type-only (erased at
 * compile time, so it carries no code and no I/O).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import or re-export of a module. */
export interface ImportEdge {
  /** The specifier as written (`node:fs`, `sharp`, `../buffer/index.js`). */
  readonly specifier: string;
  /** For a relative import: the imported file, relative to the repository root (`src/buffer/index.ts`). */
  readonly target: string | null;
  /** `import type`, `export type`, or every named binding marked `type`: erased, loads nothing. */
  readonly typeOnly: boolean;
  /** `import('...')`: loads its module when the call runs, not when the importing module loads. */
  readonly dynamic?: boolean;
}

/** The modules of a source tree and their imports, keyed by path relative to `root` (`src/x/y.ts`). */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** Reads every `.ts` file under `root/dir` into an import graph. */
export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of listTs(join(root, dir))) {
    const path = relative(root, file).split('\\').join('/');
    graph.set(path, importsOf(root, file, readFileSync(file, 'utf8')));
  }
  return graph;
}

/** The imports of one module's text. */
export function importsOf(root: string, file: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic = false): void => {
    const target = specifier.startsWith('.')
      ? relative(root, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))).split('\\').join('/')
      : null;
    edges.push({ specifier, target, typeOnly, ...(dynamic ? { dynamic } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedTypeOnly = clause !== undefined && clause.name === undefined && bindings !== undefined
        && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, clause?.isTypeOnly === true || allNamedTypeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allNamedTypeOnly = clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier.text, node.isTypeOnly || allNamedTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteral(argument)) add(argument.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** True for a Node built-in (`node:fs`, or a bare `fs`). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/**
 * The import cycles among modules (value and type imports alike), each as the list of its
 * modules; empty when the graph is acyclic.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string): void => {
    state.set(module, 'open');
    stack.push(module);
    for (const edge of graph.get(module) ?? []) {
      const target = edge.target;
      if (target === null || !graph.has(target)) continue;
      const seen = state.get(target);
      if (seen === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (seen === undefined) visit(target);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of [...graph.keys()].sort()) if (!state.has(module)) visit(module);
  return cycles;
}

/**
 * Every path from `module` along value (not type-only) imports to a module or package `forbidden`
 * accepts, as `a → b → specifier`; stops at the first hit on each path. With `staticOnly`, only
 * the imports that load with the module (not `import()` calls): what loading `module` loads.
 */
export function reachingImports(graph: ImportGraph, module: string, forbidden: (specifier: string) => boolean, staticOnly = false): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (current: string, path: readonly string[]): void => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const edge of graph.get(current) ?? []) {
      if (edge.typeOnly || (staticOnly && edge.dynamic === true)) continue;
      if (forbidden(edge.specifier)) found.push([...path, current, edge.specifier].join(' → '));
      else if (edge.target !== null) walk(edge.target, [...path, current]);
    }
  };
  walk(module, []);
  return found;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTs(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
