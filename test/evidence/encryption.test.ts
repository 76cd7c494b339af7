/**
 * Encryption at rest: a round trip gives back the exact Matroska file; a cut-off encrypted file
 * decrypts up to its last whole chunk and still plays (ffprobe); a wrong key fails clearly; no
 * nonce is ever used for two different chunk contents, across the finalize re-encryption too.
 */
import { createDecipheriv, createHash, createPublicKey, diffieHellman, hkdfSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMatroska } from '../../src/container/index.js';
import {
  type ChunkEncryptionEvent, ENCRYPTED_HEADER_BYTES, EncryptingFileSink, RECORD_OVERHEAD_BYTES, createFileCipher, decryptRecordingFile,
  generateKeyPair, offloadDevice, simulationBackOfficeKeys, simulationDeviceKey, viewRecording,
} from '../../src/evidence/index.js';
import { isBodycamError } from '../../src/errors/index.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';
import { type DeviceRun, CONTEXT, cli, copyRun, newStore, recordDevice } from './helpers.js';

const CHUNK = 4096;
const RECORD = CHUNK + RECORD_OVERHEAD_BYTES;
const backOffice = { backOffice: simulationBackOfficeKeys() };

let plain: DeviceRun;
let encrypted: DeviceRun;
let plainBytes: Uint8Array;
const events: ChunkEncryptionEvent[] = [];

beforeAll(async () => {
  requireTestTool('ffprobe');
  plain = await recordDevice();
  encrypted = await recordDevice({ encrypt: true, chunkBytes: CHUNK, onEncrypt: (_id, event) => events.push(event) });
  plainBytes = new Uint8Array(readFileSync(plain.recordingFile));
});

describe('an encrypted recording', () => {
  it('is a .mkv.enc whose manifest says how it is encrypted', () => {
    const m = encrypted.manifest;
    expect(m.file).toBe(`${m.id}.mkv.enc`);
    expect(m.encryption).toMatchObject({ scheme: 'bodycam-aes-256-gcm-chunked/1', chunkBytes: CHUNK, plaintextBytes: plainBytes.length, chunks: Math.ceil(plainBytes.length / CHUNK) });
    expect(m.bytes).toBe(ENCRYPTED_HEADER_BYTES + plainBytes.length + (m.encryption?.chunks ?? 0) * RECORD_OVERHEAD_BYTES);
    expect(m.encryption?.recipient).toBe(simulationBackOfficeKeys().encryption.fingerprint);
    const bytes = readFileSync(encrypted.recordingFile);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('BCAMENC1');
    expect(bytes.includes(Buffer.from('V_MJPEG'))).toBe(false); // no plaintext Matroska on the device
    expect(m.video).toEqual(plain.manifest.video); // the same recording as without encryption
  });

  it('decrypts (back office) to exactly the Matroska file an unencrypted run writes', () => {
    const out = join(tempDir('decrypted'), 'r.mkv');
    const result = decryptRecordingFile(encrypted.recordingFile, backOffice, out);
    expect(result).toMatchObject({ ending: 'final', droppedBytes: 0, chunks: encrypted.manifest.encryption?.chunks, plaintextBytes: plainBytes.length });
    expect(Buffer.compare(readFileSync(out), plainBytes)).toBe(0);
    expect(result.plaintextSha256).toBe(plain.manifest.sha256);
  });

  it('is byte-identical on every run (with the default 1 MiB chunks too)', async () => {
    const again = await recordDevice({ encrypt: true, chunkBytes: CHUNK });
    expect(Buffer.compare(readFileSync(again.recordingFile), readFileSync(encrypted.recordingFile))).toBe(0);
    expect(readFileSync(again.manifestFile, 'utf8')).toBe(readFileSync(encrypted.manifestFile, 'utf8'));
    const a = await recordDevice({ encrypt: true });
    const b = await recordDevice({ encrypt: true });
    expect(a.manifest.sha256).toBe(b.manifest.sha256);
    expect(a.manifest.encryption?.chunks).toBe(1);
    expect(decryptRecordingFile(a.recordingFile, backOffice, null).plaintextSha256).toBe(plain.manifest.sha256);
  });

  it('follows the documented layout: decrypting chunk 0 by hand from docs/evidence.md gives the EBML header', () => {
    const file = new Uint8Array(readFileSync(encrypted.recordingFile));
    const header = file.subarray(0, 144);
    const fileId = header.subarray(16, 32);
    const ephemeral = header.subarray(64, 96);
    const wrapped = header.subarray(96, 144);
    const keys = simulationBackOfficeKeys().encryption;
    const ephemeralKey = { key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), ephemeral]), format: 'der' as const, type: 'spki' as const };
    const shared = diffieHellman({ privateKey: keys.privateKey, publicKey: createPublicKey(ephemeralKey) });
    const info = Buffer.concat([Buffer.from('bodycam-sim/wrap/1'), ephemeral, keys.publicKeyRaw]);
    const kek = Buffer.from(hkdfSync('sha256', shared, fileId, info, 32));
    const unwrap = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
    unwrap.setAAD(Buffer.concat([fileId, header.subarray(32, 64), ephemeral]));
    unwrap.setAuthTag(wrapped.subarray(32));
    const dataKey = Buffer.concat([unwrap.update(wrapped.subarray(0, 32)), unwrap.final()]);
    const record = file.subarray(144, 144 + RECORD);
    const gcm = createDecipheriv('aes-256-gcm', dataKey, record.subarray(0, 12));
    gcm.setAAD(Buffer.concat([header, Buffer.from([0, 0, 0, 0, 0])]));
    gcm.setAuthTag(record.subarray(RECORD - 16));
    const chunk0 = Buffer.concat([gcm.update(record.subarray(12, RECORD - 16)), gcm.final()]);
    expect(Buffer.compare(chunk0, plainBytes.subarray(0, CHUNK))).toBe(0);
    expect(chunk0.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  });
});

describe('nonces', () => {
  it('are never reused for different inputs, across provisional tails and the finalize re-encryption', () => {
    expect(events.length).toBeGreaterThan(encrypted.manifest.encryption?.chunks ?? 0);
    const byNonce = new Map<string, string>();
    for (const e of events) {
      const input = `${e.index}/${e.final}/${e.plaintextSha256}`;
      const previous = byNonce.get(e.nonceHex);
      if (previous !== undefined) expect(previous).toBe(input); // the same nonce only for the very same input
      byNonce.set(e.nonceHex, input);
    }
    // Chunk 0 (the Matroska header) was encrypted, then re-encrypted after finalize patched it: different contents, different nonces.
    const chunk0 = events.filter((e) => e.index === 0);
    const contents = new Set(chunk0.map((e) => e.plaintextSha256));
    expect(contents.size).toBeGreaterThanOrEqual(2);
    expect(new Set(chunk0.map((e) => e.nonceHex)).size).toBe(contents.size);
    const last = events[events.length - 1];
    expect(last?.final).toBe(true);
    // The file as it ends: one record per chunk, every nonce distinct.
    const file = readFileSync(encrypted.recordingFile);
    const nonces = new Set<string>();
    for (let offset = ENCRYPTED_HEADER_BYTES; offset < file.length; offset += RECORD) nonces.add(file.subarray(offset, offset + 12).toString('hex'));
    expect(nonces.size).toBe(encrypted.manifest.encryption?.chunks);
  });

  it('the sink re-encrypts chunk 0 when patched and refuses a patch in any other sealed chunk', () => {
    const file = join(tempDir('sink'), 'x.mkv.enc');
    const cipher = createFileCipher({ deviceSeed: simulationDeviceKey('T').seed, fileId: new Uint8Array(16), recipient: simulationBackOfficeKeys().encryption, chunkBytes: CHUNK });
    const seen: ChunkEncryptionEvent[] = [];
    const sink = EncryptingFileSink.create(file, cipher, { onEncrypt: (e) => seen.push(e) });
    sink.write(new Uint8Array(3 * CHUNK + 10).fill(7));
    expect(() => sink.patch(CHUNK + 5, Uint8Array.of(1))).toThrow(/chunk 1 is sealed/);
    const before = seen.length;
    sink.patch(10, Uint8Array.of(1, 2, 3));
    expect(seen.slice(before).map((e) => e.index)).toEqual([0]);
    sink.close(true);
    const out = join(tempDir('sink-out'), 'x');
    decryptRecordingFile(file, backOffice, out);
    const expected = new Uint8Array(3 * CHUNK + 10).fill(7);
    expected.set([1, 2, 3], 10);
    expect(Buffer.compare(readFileSync(out), expected)).toBe(0);
  });
});

describe('a cut-off encrypted file', () => {
  it('decrypts up to its last whole chunk, and the result plays up to its last whole cluster (ffprobe)', () => {
    const full = new Uint8Array(readFileSync(encrypted.recordingFile));
    const fullMkv = readMatroska(plainBytes);
    const dir = tempDir('cut');
    const chunks = encrypted.manifest.encryption?.chunks ?? 0;
    // Past the first cluster (about a second, ~35 KB here): at a record boundary, inside records, and 1 byte short of the end.
    const atRecord = (k: number): number => ENCRYPTED_HEADER_BYTES + k * RECORD;
    const cuts = [atRecord(Math.floor(chunks * 0.6)), atRecord(Math.floor(chunks * 0.45)) + 100, Math.floor(full.length * 0.75), full.length - 17, full.length - 1];
    for (const cut of cuts) {
      const cutFile = join(dir, `cut-${cut}.mkv.enc`);
      writeFileSync(cutFile, full.subarray(0, cut));
      const out = join(dir, `cut-${cut}.mkv`);
      const result = decryptRecordingFile(cutFile, backOffice, out);
      const wholeChunks = Math.floor((cut - ENCRYPTED_HEADER_BYTES) / RECORD);
      expect(result.chunks, `cut at ${cut}`).toBe(wholeChunks);
      expect(result.ending).toBe((cut - ENCRYPTED_HEADER_BYTES) % RECORD === 0 ? 'open' : 'cut');
      const prefix = new Uint8Array(readFileSync(out));
      expect(Buffer.compare(prefix, plainBytes.subarray(0, wholeChunks * CHUNK))).toBe(0);
      const cutMkv = readMatroska(prefix);
      expect(cutMkv.blocks.length).toBeGreaterThan(0);
      expect(cutMkv.blocks.map((b) => b.timestampUs)).toEqual(fullMkv.blocks.slice(0, cutMkv.blocks.length).map((b) => b.timestampUs));
      const wholeClusterFrames = cutMkv.blocks.filter((b) => b.trackNumber === 1).length;
      const probed = ffprobeFramePtsUs(out);
      expect(probed.length).toBeGreaterThanOrEqual(wholeClusterFrames);
      expect(probed.length).toBeLessThanOrEqual(encrypted.manifest.video.frames);
    }
  });

  it('a power cut leaves an open (not final) file that the back office offloads and plays', async () => {
    const cutRun = await recordDevice({
      encrypt: true, chunkBytes: CHUNK,
      scenario: { format: 'bodycam-scenario/1', device: { preRecordSeconds: 1 }, events: [{ at: 2.5, press: 'record' }, { at: 4.0, power: 'cut' }] },
    });
    expect(cutRun.manifest).toMatchObject({ complete: false, stop: { reason: 'power-cut' } });
    expect(decryptRecordingFile(cutRun.recordingFile, backOffice, null).ending).toBe('open');
    const store = newStore();
    expect(offloadDevice(store, cutRun.dir, CONTEXT)[0]?.status).toBe('offloaded');
    const out = join(tempDir('view'), 'cut.mkv');
    viewRecording(store, cutRun.manifest.id, out, CONTEXT);
    expect(ffprobeFramePtsUs(out).length).toBe(cutRun.manifest.video.frames);
  });
});

describe('keys', () => {
  it('a wrong back-office key fails clearly (bad input naming both fingerprints), nothing written', () => {
    const other = { encryption: generateKeyPair('x25519', 'other'), signing: generateKeyPair('ed25519', 'other') };
    const out = join(tempDir('wrong'), 'r.mkv');
    let caught: unknown;
    try {
      decryptRecordingFile(encrypted.recordingFile, { backOffice: other }, out);
    } catch (error) {
      caught = error;
    }
    expect(isBodycamError(caught) && caught.code).toBe('bad-input');
    expect(String((caught as Error).message)).toMatch(new RegExp(`expected a file encrypted for this back office's key \\(X25519 fingerprint ${other.encryption.fingerprint.slice(0, 16)}…\\), found a file encrypted for key ${simulationBackOfficeKeys().encryption.fingerprint.slice(0, 16)}…: wrong key`));
    expect(existsSync(out)).toBe(false);
    const wrongDataKey = (): unknown => decryptRecordingFile(encrypted.recordingFile, { dataKey: new Uint8Array(32) }, null);
    expect(wrongDataKey).toThrow(/chunk 0 does not decrypt with the given data key/);
  });

  it('a chunk altered in the middle fails authentication, naming the chunk', () => {
    const copy = copyRun(encrypted);
    const bytes = readFileSync(copy.recordingFile);
    const offset = ENCRYPTED_HEADER_BYTES + 4 * RECORD + 500;
    bytes[offset] = (bytes[offset] ?? 0) ^ 0x80;
    writeFileSync(copy.recordingFile, bytes);
    expect(() => decryptRecordingFile(copy.recordingFile, backOffice, null)).toThrow(/chunk 4 \(bytes \d+\.\.\d+\) does not authenticate: the file was altered/);
  });
});

describe('the device cannot play or delete its recordings', () => {
  it('bodycam run refuses an encrypted recording; store commands refuse a device folder', async () => {
    const run = await cli('run', encrypted.recordingFile, '--out', tempDir('replay'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('only the back office can decrypt');
    for (const args of [['evidence', 'view', encrypted.manifest.id, '--out', join(tempDir('v'), 'x.mkv')], ['evidence', 'purge', '--now', CONTEXT.at]]) {
      const result = await cli(...args, '--store', encrypted.dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('the device can neither play nor delete its recordings');
    }
    expect(existsSync(encrypted.recordingFile)).toBe(true);
  });

  it('the device module tree has no decrypt path (src/recorder, src/camera and the drivers never import it)', () => {
    const sources = ['src/recorder/recording.ts', 'src/recorder/protection.ts', 'src/sim/replay.ts', 'src/camera/camera-host.ts', 'src/camera/device-rig.ts', 'src/live/live-device.ts', 'src/evidence/device-protection.ts', 'src/evidence/encrypting-sink.ts'];
    for (const source of sources) {
      const text = readFileSync(new URL(`../../${source}`, import.meta.url), 'utf8');
      expect(text, source).not.toMatch(/decrypt-file|openFileCipher|decryptChunk|createDecipheriv/);
    }
    expect(createHash('sha256').update(plainBytes).digest('hex')).toBe(plain.manifest.sha256);
  });
});
