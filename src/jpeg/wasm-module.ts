/**
 * What the two WebAssembly hosts of src/jpeg (wasm-transcode.ts, wasm-block-dct.ts) share: the
 * little of the WebAssembly API they use, and a module instantiated from its generated base64
 * bytes with its static data checked against where the host's own layout begins. Pure: no Node
 * import (the bytes are a string in a generated module, compiled with the global WebAssembly).
 */

/** The little of the WebAssembly API this uses (the project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A module's exported linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Bytes in a page of linear memory. */
export const WASM_PAGE_BYTES = 65_536;

/**
 * The instance of the module whose bytes are `base64`, with its memory; null where WebAssembly is
 * not available. Throws when the module's static data (its exported `heapBase`) reaches past
 * `layoutStart`, where the host lays out its own data: `name` says which module.
 */
export function instantiateWasm(name: string, base64: string, layoutStart: number): { readonly exports: Record<string, unknown>; readonly memory: WasmMemory } | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  const binary = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const instance = new api.Instance(new api.Module(binary), {});
  const heapBase = (instance.exports['heapBase'] as () => number)();
  if (heapBase > layoutStart) throw new Error(`${name}: its static data reaches ${heapBase}, past ${layoutStart}`);
  return { exports: instance.exports, memory: instance.exports['memory'] as WasmMemory };
}
