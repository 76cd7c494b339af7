export { Recording } from './recording.js';
export type { RecordingSetup, RecordingAudioSource, PumpResult } from './recording.js';
export { serializeManifest } from './manifest.js';
export type { RecordingManifest, PreRollLimit, ManifestEncryption, ManifestSignature } from './manifest.js';
export { plainFileSink, UNPROTECTED } from './protection.js';
export type { RecordingFileSink, RecordingProtection } from './protection.js';
export { sha256File } from './file-hash.js';
export { writeFileAtomic } from './atomic-write.js';
