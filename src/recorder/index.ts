export { Recording } from './recording.js';
export type { RecordingSetup, RecordingAudioSource, PumpResult } from './recording.js';
export { serializeManifest } from './manifest.js';
export type { RecordingManifest, PreRollLimit } from './manifest.js';
export { sha256File } from './file-hash.js';
export { writeFileAtomic } from './atomic-write.js';
export { repairRecording } from './repair-recording.js';
export type { RepairReport } from './repair-recording.js';
