/** The pre-record buffer (issue 3): byte arena, slot ring, GOP-wise eviction, pre-roll rule, pinning readers, storage drain. */
export { PreRecordBuffer } from './pre-record-buffer.js';
export type { BufferReader } from './buffer-reader.js';
export { StorageDrain, DEFAULT_STORAGE_BYTES_PER_SECOND } from './storage-drain.js';
export type { DrainVerdict, DrainOptions } from './storage-drain.js';
export { preRollFor } from './pre-roll-rule.js';
export type { HistoryFate, PreRollHistoryEntry, PreRollRuleRequest } from './pre-roll-rule.js';
export { suggestedSlotCount, bufferStatsEventFields, minimumBufferBytes, MAX_KEYFRAME_INTERVAL_US } from './buffer-sizing.js';
export type { SlotSizing } from './buffer-sizing.js';
export type {
  EntryKind, BufferEntryInput, BufferEntry, PushFailureReason, PushResult, OverlapPolicy, PreRollLimit, PreRollRequest,
  PreRollSelection, EvictionCounts, DropCounts, BufferStats, PreRecordBufferOptions, PreRollStart,
} from './buffer-types.js';
export { PRE_ROLL_LIMITS, PRE_ROLL_STARTS } from './buffer-types.js';
