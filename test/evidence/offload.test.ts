/**
 * Offload from a docked device: verified by hash (and decryption) before the device frees the
 * space; resumable after an interrupted copy; refuses what does not check out.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, EvidenceStore, offloadDevice, simulationDeviceKey, verifyPath, hashFileSync } from '../../src/evidence/index.js';
import { tempDir } from '../helpers/tools.js';
import { type DeviceRun, CONTEXT, cli, copyRun, flipByte, newStore, recordDevice } from './helpers.js';

let encrypted: DeviceRun;
beforeAll(async () => {
  encrypted = await recordDevice({ encrypt: true, chunkBytes: 8192 });
});

class Interrupted extends Error {}

function entries(store: EvidenceStore): AuditEntry[] {
  return readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
}

describe('offload', () => {
  it('copies, verifies, logs, then frees the device', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    const [item] = offloadDevice(store, device.dir, CONTEXT);
    expect(item).toMatchObject({ id: encrypted.manifest.id, status: 'offloaded', deviceCopy: 'freed', resumedFromBytes: 0 });
    expect(existsSync(device.recordingFile) || existsSync(device.manifestFile)).toBe(false);
    const stored = join(store.recordingDir(encrypted.manifest.id), encrypted.manifest.file);
    expect(hashFileSync(stored).sha256).toBe(encrypted.manifest.sha256);
    expect(readFileSync(join(store.recordingDir(encrypted.manifest.id), `${encrypted.manifest.id}.json`), 'utf8')).toBe(readFileSync(encrypted.manifestFile, 'utf8'));
    const offloaded = entries(store).find((e) => e.action === 'offloaded');
    expect(offloaded?.details).toMatchObject({ sha256: encrypted.manifest.sha256, encrypted: true, deviceCopy: 'freed', plaintextBytes: encrypted.manifest.encryption?.plaintextBytes });
    expect(verifyPath(store.dir).ok).toBe(true);
  });

  it('resumes after a copy interrupted midway, and verifies the whole file', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    const stopAtBytes = 40_000;
    const seen: number[] = [];
    expect(() => offloadDevice(store, device.dir, {
      ...CONTEXT, copyBlockBytes: 8192, afterCopyBlock: (copied) => {
        seen.push(copied);
        if (copied >= stopAtBytes) throw new Interrupted(`cable pulled at byte ${copied}`);
      },
    })).toThrow(Interrupted);
    const part = join(store.dir, 'incoming', encrypted.manifest.id, `${encrypted.manifest.file}.part`);
    const partBytes = statSync(part).size;
    expect(partBytes).toBe(seen[seen.length - 1]);
    expect(partBytes).toBeGreaterThanOrEqual(stopAtBytes);
    expect(partBytes).toBeLessThan(encrypted.manifest.bytes);
    // Nothing is in the store, nothing logged, the device keeps everything, the lock is released.
    expect(store.recordingIds()).toEqual([]);
    expect(entries(store).map((e) => e.action)).toEqual(['device-registered']);
    expect(existsSync(device.recordingFile) && existsSync(device.manifestFile)).toBe(true);
    expect(existsSync(join(store.dir, '.lock'))).toBe(false);
    const midway = verifyPath(store.dir);
    expect(midway.ok).toBe(true);
    expect(midway.notes.join('\n')).toContain('1 interrupted offload(s)');

    const copiedOnResume: number[] = [];
    const [item] = offloadDevice(store, device.dir, { ...CONTEXT, copyBlockBytes: 8192, afterCopyBlock: (copied) => copiedOnResume.push(copied) });
    expect(item).toMatchObject({ status: 'offloaded', resumedFromBytes: partBytes, deviceCopy: 'freed' });
    expect(copiedOnResume[0]).toBe(partBytes + 8192); // the copy went on where it stopped
    expect(entries(store).find((e) => e.action === 'offloaded')?.details.resumedFromBytes).toBe(partBytes);
    expect(hashFileSync(join(store.recordingDir(encrypted.manifest.id), encrypted.manifest.file)).sha256).toBe(encrypted.manifest.sha256);
    expect(existsSync(device.recordingFile)).toBe(false);
    expect(verifyPath(store.dir).ok).toBe(true);
    expect(existsSync(join(store.dir, 'incoming', encrypted.manifest.id))).toBe(false);
  });

  it('a partial copy damaged while interrupted: the hash fails, the device keeps its file, the next try starts over', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    const interrupt = (copied: number): void => {
      if (copied >= 16_384) throw new Interrupted('interrupted');
    };
    expect(() => offloadDevice(store, device.dir, { ...CONTEXT, copyBlockBytes: 8192, afterCopyBlock: interrupt })).toThrow(Interrupted);
    flipByte(join(store.dir, 'incoming', encrypted.manifest.id, `${encrypted.manifest.file}.part`), 100);
    const [failed] = offloadDevice(store, device.dir, CONTEXT);
    expect(failed).toMatchObject({ status: 'failed', deviceCopy: 'kept', resumedFromBytes: 16_384 });
    expect(failed?.detail).toMatch(/does not match the manifest .* it stays on the device/);
    expect(existsSync(join(store.dir, 'incoming', encrypted.manifest.id, `${encrypted.manifest.file}.part`))).toBe(false);
    expect(existsSync(device.recordingFile)).toBe(true);
    const [item] = offloadDevice(store, device.dir, CONTEXT);
    expect(item).toMatchObject({ status: 'offloaded', resumedFromBytes: 0 });
    expect(verifyPath(store.dir).ok).toBe(true);
  });

  it('a device file altered past the part already copied: caught when the copy resumes', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    const interrupt = (copied: number): void => {
      if (copied >= 16_384) throw new Interrupted('interrupted');
    };
    expect(() => offloadDevice(store, device.dir, { ...CONTEXT, copyBlockBytes: 8192, afterCopyBlock: interrupt })).toThrow(Interrupted);
    flipByte(device.recordingFile, 50_000);
    expect(offloadDevice(store, device.dir, CONTEXT)[0]).toMatchObject({ status: 'failed', deviceCopy: 'kept' });
    expect(store.recordingIds()).toEqual([]);
  });

  it('keeps the device copy on request; a second offload finds it in the store and frees it', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    expect(offloadDevice(store, device.dir, { ...CONTEXT, keepOnDevice: true })[0]).toMatchObject({ status: 'offloaded', deviceCopy: 'kept' });
    expect(existsSync(device.recordingFile)).toBe(true);
    expect(offloadDevice(store, device.dir, CONTEXT)[0]).toMatchObject({ status: 'already-in-store', deviceCopy: 'freed' });
    expect(existsSync(device.recordingFile)).toBe(false);
    expect(entries(store).filter((e) => e.action === 'offloaded')).toHaveLength(1);
  });

  it('refuses an unregistered device, and a recording signed by another key', () => {
    const bare = EvidenceStore.init(join(tempDir('bare'), 'store'));
    const device = copyRun(encrypted);
    expect(offloadDevice(bare, device.dir, CONTEXT)[0]).toMatchObject({ status: 'failed', deviceCopy: 'kept' });
    const other = EvidenceStore.init(join(tempDir('other'), 'store'));
    other.registerDevice('DRD-BC-0001', simulationDeviceKey('DRD-BC-0002'), CONTEXT);
    const [item] = offloadDevice(other, device.dir, CONTEXT);
    expect(item?.detail).toMatch(/key: signed with the SIMULATION key of DRD-BC-0001 \(NOT secret\), but the key registered for DRD-BC-0001 is/);
    expect(existsSync(device.recordingFile)).toBe(true);
  });

  it('offers a manifest damaged beside its recording (it fails and stays), and ignores other JSON', () => {
    const store = newStore();
    const device = copyRun(encrypted);
    writeFileSync(device.manifestFile, readFileSync(device.manifestFile, 'utf8').replace('"format": "bodycam-recording/1"', '"format": "bodycam-recording/2"'));
    writeFileSync(join(device.recordingsDir, 'notes.json'), '{"hello": 1}');
    const items = offloadDevice(store, device.dir, CONTEXT);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'failed', deviceCopy: 'kept' });
    expect(existsSync(device.recordingFile)).toBe(true);
  });

  it('refuses a recording encrypted for another back office (wrong key), keeping it on the device', () => {
    const store = newStore({ generateKeys: true });
    const device = copyRun(encrypted);
    const [item] = offloadDevice(store, device.dir, CONTEXT);
    expect(item?.status).toBe('failed');
    expect(item?.detail).toMatch(/cannot decrypt it: .*encrypted for key [0-9a-f]{16}…: wrong key/);
    expect(existsSync(device.recordingFile)).toBe(true);
    expect(store.recordingIds()).toEqual([]);
  });

  it('CLI: exit 1 naming the recording when a device file was altered; exit 2 for a folder that is no device', async () => {
    const store = newStore();
    const device = copyRun(encrypted);
    flipByte(device.recordingFile, -1);
    const result = await cli('evidence', 'offload', device.dir, '--store', store.dir, '--now', CONTEXT.at);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAILED  ${encrypted.manifest.id}`);
    expect(result.stderr).toContain(`stay on the device: ${encrypted.manifest.id}`);
    const nowhere = await cli('evidence', 'offload', join(tempDir('x'), 'missing'), '--store', store.dir, '--now', CONTEXT.at);
    expect(nowhere.code).toBe(2);
    writeFileSync(join(store.dir, 'store.json'), '{');
    expect((await cli('evidence', 'offload', device.dir, '--store', store.dir, '--now', CONTEXT.at)).code).toBe(2);
  });
});
