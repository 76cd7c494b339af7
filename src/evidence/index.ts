/** The evidence chain: signatures, encryption at rest, the audit log, the back-office store, export and verify. */
export { canonicalJson, serializeSignedJson } from './canonical-json.js';
export type { JsonValue } from './canonical-json.js';
export {
  fingerprintOf, keyPairFromSeed, publicKeyFromRaw, simulationDeviceKey, simulationBackOfficeKeys, loadPrivateKeyFile, loadPublicKeyFile,
  publicKeyPem, privateKeyPem, generateKeyPair, isSimulationDeviceKey,
} from './keys.js';
export type { KeyAlgorithm, KeyPair, PublicKeyInfo, BackOfficeKeys } from './keys.js';
export {
  MANIFEST_DOMAIN, AUDIT_HEAD_DOMAIN, EXPORT_DOMAIN, signedBytes, signDocument, checkDocumentSignature, signManifest,
} from './signatures.js';
export type { SignatureBlock, SignatureCheck } from './signatures.js';
export {
  ENCRYPTION_SCHEME, ENCRYPTED_SUFFIX, ENCRYPTED_RECORDING_NAME, RECORDING_FILE_NAME, ENCRYPTED_HEADER_BYTES, DEFAULT_CHUNK_BYTES, MIN_CHUNK_BYTES, MAX_CHUNK_BYTES,
  RECORD_OVERHEAD_BYTES, parseEncryptedHeader, recordOffset, looksEncrypted,
} from './encrypted-format.js';
export type { EncryptedHeader } from './encrypted-format.js';
export { createFileCipher, openFileCipher, fileCipherFromDataKey, deriveFileId, encryptChunk, decryptChunk } from './chunk-cipher.js';
export type { FileCipher, EncryptedChunk } from './chunk-cipher.js';
export { EncryptingFileSink } from './encrypting-sink.js';
export type { ChunkEncryptionEvent, EncryptingSinkOptions } from './encrypting-sink.js';
export { decryptRecordingFile } from './decrypt-file.js';
export type { DecryptKey, DecryptResult, EncryptedEnding } from './decrypt-file.js';
export { deviceProtection, resolveDeviceKeys } from './device-protection.js';
export type { DeviceEvidenceOptions, DeviceKeys } from './device-protection.js';
export { AUDIT_ACTIONS, GENESIS_HASH, sealAuditEntry, auditLine, checkAuditLines, nextChainPosition } from './audit-chain.js';
export type {
  AuditAction, AuditDetails, AuditEntry, AuditEntryFields, AuditProblem, AuditCheckMode, AuditCheckResult, ChainPosition, Sha256Hex,
} from './audit-chain.js';
export { AuditLog, AUDIT_FILE, AUDIT_HEAD_FILE, checkAuditText, checkAuditHead, sha256Text } from './audit-log.js';
export type { AuditHead } from './audit-log.js';
export { DEFAULT_RETENTION_DAYS, HOLD_REASONS, activeHolds, decideRetention } from './retention.js';
export type { HoldReason, ActiveHold, RetentionDecision } from './retention.js';
export { EvidenceStore } from './store.js';
export type { StoreConfig, ActionContext, StoreInitOptions, StoreOpenOptions } from './store.js';
export { offloadDevice, deviceRecordingsDir } from './offload.js';
export type { OffloadOptions, OffloadItem } from './offload.js';
export { listRecordings, viewRecording, holdRecording, releaseRecording, purgeStore } from './store-actions.js';
export type { StoreListItem, PurgeResult } from './store-actions.js';
export { exportRecording, serializeExportIndex, EXPORT_INDEX } from './export-package.js';
export type { ExportIndex, ExportOptions, ExportFileEntry } from './export-package.js';
export { exportReport } from './export-report.js';
export type { ExportReportInput } from './export-report.js';
export { checkRecording } from './recording-checks.js';
export type { VerifyCheck, KeyTrust, RecordingCheckResult } from './recording-checks.js';
export { loadTrustAnchors, deviceAnchor, backOfficeAnchor, signerName, isSimulationSigner, backOfficeKeyProblem, BACK_OFFICE_ANCHOR } from './trust-anchors.js';
export type { TrustAnchors, AnchorKey } from './trust-anchors.js';
export { WITNESS_DOMAIN, appendWitness, readWitnessLog, witnessProblem, witnessChecks } from './witness-log.js';
export type { WitnessLine, WitnessRead } from './witness-log.js';
export { hashFileSync } from './file-hash.js';
export { readManifestFile, manifestFormProblem } from './manifest-file.js';
export type { ManifestRead } from './manifest-file.js';
export { verifyPath } from './verify.js';
export type { VerifyOptions } from './verify.js';
export { formatVerifyReport, failureSummary, failures } from './verify-report.js';
export type { VerifyReport, VerifyKind } from './verify-report.js';
