/**
 * The camera as one unit: firmware, pre-record buffer, encoder, recorder and event log of one
 * device, on a clock it is given. Replay (src/sim) and live (src/live) drive it.
 */
export { createDeviceRig } from './device-rig.js';
export type { DeviceRig, DeviceRigOptions } from './device-rig.js';
export { CameraHost } from './camera-host.js';
export type { CameraHostOptions } from './camera-host.js';
export { EventLog } from './event-log.js';
export { DEFAULT_MEDIA, H264_MEDIA, H264_MP4_MEDIA, RECORDING_FORMATS, VIDEO_CODECS, assertRecordingContainer, mediaForProfile } from './media-registry.js';
export type { CameraMedia } from './media-registry.js';
export { Camera, isProcessFault } from './camera.js';
export type { CameraOptions, CameraClock, CameraSensor, CameraAudioChunk, CameraAudioFeed } from './camera.js';
export { assertBufferBudget } from './buffer-budget.js';
export type { BudgetOrigin } from './buffer-budget.js';
