/**
 * The Node flags a worker thread can take from its parent. Node refuses a worker whose `execArgv`
 * holds a V8 heap flag (the `bodycam` launcher runs node with `--max-semi-space-size=1`,
 * docs/performance.md) or `--input-type` (scripts run with `node -e`); the heap sizes are given to
 * the worker as its `resourceLimits` instead, so it keeps the parent's memory settings.
 */
import type { ResourceLimits } from 'node:worker_threads';

/** What a worker is started with. */
export interface WorkerFlags {
  readonly execArgv: readonly string[];
  readonly resourceLimits?: ResourceLimits;
}

/** V8 sizes young generation as three semi-spaces (two, and the new large-object space). */
const YOUNG_GENERATION_PER_SEMI_SPACE = 3;

/** The flags of `execArgv` (default: this process's) that a worker accepts, and its heap limits. */
export function workerFlags(execArgv: readonly string[] = process.execArgv): WorkerFlags {
  const kept: string[] = [];
  const limits: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number } = {};
  for (let i = 0; i < execArgv.length; i += 1) {
    const arg = execArgv[i] as string;
    const match = /^--(max[-_]semi[-_]space[-_]size|max[-_]old[-_]space[-_]size|input[-_]type)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      kept.push(arg);
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      value = execArgv[i + 1];
      i += 1;
    }
    const mb = Number(value);
    if (!Number.isFinite(mb) || mb <= 0) continue;
    if (/^max.semi/.test(match[1] ?? '')) limits.maxYoungGenerationSizeMb = mb * YOUNG_GENERATION_PER_SEMI_SPACE;
    else if (/^max.old/.test(match[1] ?? '')) limits.maxOldGenerationSizeMb = mb;
  }
  return Object.keys(limits).length === 0 ? { execArgv: kept } : { execArgv: kept, resourceLimits: limits };
}
