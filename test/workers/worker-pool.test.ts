/**
 * The one worker-pool helper (src/workers, issue 15): it runs a TypeScript worker from sources
 * (as vitest does), answers requests in any order with their progress, rejects a request whose
 * handler threw, replaces a worker that died after it started, and fails loudly (a `runtime`
 * BodycamError naming the worker) when a worker cannot start.
 */
import { describe, expect, it } from 'vitest';
import { BodycamError } from '../../src/errors/index.js';
import { WorkerPool, isStartFailure } from '../../src/workers/index.js';

type Request = { readonly value: number; readonly fail?: boolean; readonly exit?: boolean };
type Reply = { readonly value: number; readonly module: string };
const echo = (size: number) => new WorkerPool<Request, Reply>({ name: 'the echo worker', source: { file: new URL('./modules/echo-worker.ts', import.meta.url) }, size });

describe('WorkerPool', () => {
  it('runs the TypeScript module from sources, several requests at once, with progress', async () => {
    const pool = echo(2);
    try {
      const progress: unknown[] = [];
      const replies = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ value }, { onProgress: (p) => progress.push(p) })));
      expect(replies.map((reply) => reply.value)).toEqual([2, 4, 6, 8]);
      expect(new Set(replies.map((reply) => reply.module))).toEqual(new Set([new URL('./modules/echo-worker.ts', import.meta.url).href]));
      expect(progress.sort()).toEqual([0.5, 1, 1.5, 2]);
      expect(pool.running).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects a request whose handler threw, and goes on with the next', async () => {
    const pool = echo(1);
    try {
      const failed = await pool.run({ value: 5, fail: true }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(BodycamError);
      expect((failed as BodycamError).code).toBe('runtime');
      expect((failed as Error).message).toBe('the echo worker: asked to fail with 5');
      expect(isStartFailure(failed)).toBe(false);
      expect((await pool.run({ value: 6 })).value).toBe(12);
    } finally {
      await pool.close();
    }
  });

  it('rejects the requests of a worker that died after starting, and starts another for the next', async () => {
    const pool = echo(1);
    try {
      expect((await pool.run({ value: 1 })).value).toBe(2);
      const died = await pool.run({ value: 1, exit: true }).catch((error: unknown) => error);
      expect((died as Error).message).toBe('the echo worker failed: exited with code 7');
      expect(isStartFailure(died)).toBe(false);
      expect((await pool.run({ value: 3 })).value).toBe(6);
    } finally {
      await pool.close();
    }
  });

  it('fails loudly when the worker module cannot load, for that request and every later one', async () => {
    const pool = new WorkerPool<Request, Reply>({ name: 'the broken worker', source: { file: new URL('./modules/broken-worker.ts', import.meta.url) }, size: 2 });
    const first = await pool.run({ value: 1 }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(BodycamError);
    expect((first as BodycamError).code).toBe('runtime');
    expect((first as Error).message).toBe('the broken worker could not start: this worker module is broken on purpose');
    expect(isStartFailure(first)).toBe(true);
    const later = await pool.run({ value: 2 }).catch((error: unknown) => error);
    expect(later).toBe(first);
    await pool.close();
  });

  it('fails loudly when the worker module is missing', async () => {
    const pool = new WorkerPool<Request, Reply>({ name: 'the absent worker', source: { file: new URL('./modules/absent-worker.js', import.meta.url) }, size: 1 });
    const error = await pool.run({ value: 1 }).catch((caught: unknown) => caught);
    expect(isStartFailure(error)).toBe(true);
    expect((error as Error).message).toMatch(/^the absent worker cannot start: its module .*absent-worker\.js is missing \(run `npm run build`\)$/);
  });
});
