/**
 * The storage model, pure: a capacity, the bytes the host reports written, and two conditions a
 * scenario can impose (`full`, `fail`). Free space is what is left of the capacity, or 0 while
 * forced full. The device stops recording when free space reaches 0.
 */
import type { StorageState as StorageStateName } from '../events/index.js';

/** Storage at one instant. */
export interface StorageState {
  readonly capacityBytes: number;
  readonly usedBytes: number;
  /** A scenario said `storage: "full"` (cleared by `"ok"`). */
  readonly forcedFull: boolean;
  /** Write errors: a scenario said `"fail"` or the host reported a failed write (cleared by `"ok"`). */
  readonly failed: boolean;
}

/** Below this fraction of the capacity free, storage is `low`. */
export const STORAGE_LOW_FRACTION = 0.1;

/** The space condition, as the `storage` event reports it (`fail` wins over space). */
export type StorageReport = StorageStateName;

/** Empty storage of `capacityBytes`. */
export function emptyStorage(capacityBytes: number): StorageState {
  return { capacityBytes, usedBytes: 0, forcedFull: false, failed: false };
}

/** Free bytes. */
export function storageFreeBytes(state: StorageState): number {
  return state.forcedFull ? 0 : Math.max(0, state.capacityBytes - state.usedBytes);
}

/** The space band, ignoring failures. */
export function storageSpace(state: StorageState): 'ok' | 'low' | 'full' {
  const free = storageFreeBytes(state);
  if (free <= 0) return 'full';
  return free < state.capacityBytes * STORAGE_LOW_FRACTION ? 'low' : 'ok';
}

/** What the `storage` event says. */
export function storageReport(state: StorageState): StorageReport {
  return state.failed ? 'fail' : storageSpace(state);
}

/** After the host wrote `bytes`. */
export function storageWritten(state: StorageState, bytes: number): StorageState {
  return { ...state, usedBytes: state.usedBytes + bytes };
}
