/**
 * Tampering with a device's output is caught by `bodycam verify`: one byte anywhere in the .mkv
 * or the manifest, the signature, a deleted manifest; exit 1 names the file and the check.
 */
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyPem, signManifest, simulationDeviceKey, verifyPath } from '../../src/evidence/index.js';
import { serializeManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import { type DeviceRun, cli, copyRun, flipByte, recordDevice } from './helpers.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 40);

let plain: DeviceRun;
let encrypted: DeviceRun;

beforeAll(async () => {
  plain = await recordDevice();
  encrypted = await recordDevice({ encrypt: true, chunkBytes: 8192 });
});

describe('an untouched run', () => {
  it('verifies: exit 0, every check ok, for the folder, the recordings folder, the manifest and the .mkv', async () => {
    for (const run of [plain, encrypted]) {
      for (const target of [run.dir, run.recordingsDir, run.manifestFile, run.recordingFile]) {
        const result = await cli('verify', target);
        expect(result.code, `${target}: ${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout).toContain('Result: integrity only: all');
        expect(result.stdout).not.toMatch(/checks passed/);
        expect(result.stdout).not.toContain('FAIL');
      }
    }
  });
});

describe('one byte changed', () => {
  it('in the .mkv (first, middle, last byte): exit 1 naming the file and sha256', async () => {
    for (const run of [plain, encrypted]) {
      const size = readFileSync(run.recordingFile).length;
      for (const offset of [0, Math.floor(size / 2), size - 1]) {
        const copy = copyRun(run);
        flipByte(copy.recordingFile, offset);
        const result = await cli('verify', copy.dir);
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(new RegExp(`FAIL  recordings/${run.manifest.file.replace(/\./g, '\\.')}  sha256: `));
        expect(result.stderr).toContain(`recordings/${run.manifest.file} (sha256)`);
      }
    }
  });

  it('in a manifest value (the frame count): exit 1, the signature fails', async () => {
    const copy = copyRun(plain);
    const text = readFileSync(copy.manifestFile, 'utf8');
    writeFileSync(copy.manifestFile, text.replace(`"frames": ${plain.manifest.video.frames}`, `"frames": ${plain.manifest.video.frames + 1}`));
    const result = await cli('verify', copy.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}recordings\/\S+\.json {2}signature: the signature does not match the content/);
  });

  it('in the manifest\'s sha256, to match a doctored file: the signature fails', async () => {
    const copy = copyRun(plain);
    flipByte(copy.recordingFile, 100);
    const doctored = { ...plain.manifest, sha256: createHash('sha256').update(readFileSync(copy.recordingFile)).digest('hex') };
    writeFileSync(copy.manifestFile, serializeManifest(doctored));
    const report = verifyPath(copy.dir);
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['signature']);
  });

  it('in whitespace only (values unchanged): exit 1, the manifest is not byte-exact', async () => {
    const copy = copyRun(plain);
    writeFileSync(copy.manifestFile, readFileSync(copy.manifestFile, 'utf8').replace('\n  "id"', '\n   "id"'));
    const report = verifyPath(copy.dir);
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.check}`)).toEqual(['manifest']);
  });

  it('in the signature value: exit 1 naming the manifest and signature', async () => {
    const copy = copyRun(encrypted);
    const manifest = JSON.parse(readFileSync(copy.manifestFile, 'utf8')) as { signature: { value: string } };
    const value = manifest.signature.value;
    const changed = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    writeFileSync(copy.manifestFile, readFileSync(copy.manifestFile, 'utf8').replace(value, changed));
    const result = await cli('verify', copy.manifestFile);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}\S+\.json {2}signature: /);
  });

  it('anywhere in the .mkv or the manifest (property: every single-byte change is caught)', () => {
    const work = copyRun(encrypted);
    const originals = { mkv: readFileSync(work.recordingFile), json: readFileSync(work.manifestFile) };
    fc.assert(fc.property(
      fc.constantFrom('mkv' as const, 'json' as const), fc.nat(), fc.integer({ min: 1, max: 255 }),
      (which, position, mask) => {
        const file = which === 'mkv' ? work.recordingFile : work.manifestFile;
        const original = originals[which];
        const bytes = Buffer.from(original);
        const at = position % bytes.length;
        bytes[at] = (bytes[at] ?? 0) ^ mask;
        writeFileSync(file, bytes);
        try {
          expect(verifyPath(work.dir).ok).toBe(false);
        } finally {
          writeFileSync(file, original);
        }
      },
    ), { numRuns: FC_RUNS });
    expect(verifyPath(work.dir).ok).toBe(true);
  });
});

describe('files removed or replaced', () => {
  it('a deleted manifest: the recording has nothing vouching for it (exit 1)', async () => {
    const copy = copyRun(plain);
    rmSync(copy.manifestFile);
    const result = await cli('verify', copy.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no manifest for this recording');
  });

  it('a deleted recording file: exit 1, file missing', async () => {
    const copy = copyRun(plain);
    rmSync(copy.recordingFile);
    const result = await cli('verify', copy.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}\S+\.mkv {2}file: the recording file is missing/);
  });

  it('a manifest re-signed by another key passes alone but fails against the registered keys', async () => {
    const copy = copyRun(plain);
    const attacker = generateKeyPair('ed25519', 'attacker');
    writeFileSync(copy.manifestFile, serializeManifest(signManifest({ ...plain.manifest, officerId: 'H-9999' }, attacker)));
    expect(verifyPath(copy.dir).ok).toBe(true); // without a registry only integrity is checked
    // The simulation key cannot be an anchor (exit 2); a real key that is not the signer's fails the key check.
    const keys = tempDir('trusted');
    writeFileSync(join(keys, 'DRD-BC-0001.pub.pem'), publicKeyPem(simulationDeviceKey('DRD-BC-0001')));
    expect((await cli('verify', copy.dir, '--trusted-keys', keys)).code).toBe(2);
    const real = generateKeyPair('ed25519', 'real');
    writeFileSync(join(keys, 'DRD-BC-0001.pub.pem'), publicKeyPem(real));
    const result = await cli('verify', copy.dir, '--trusted-keys', keys);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}\S+\.json {2}key: signed with key [0-9a-f]{16}…, but the key anchored for DRD-BC-0001 is/);
    writeFileSync(join(keys, 'DRD-BC-0001.pub.pem'), publicKeyPem(attacker));
    const anchoredToAttacker = await cli('verify', copy.dir, '--trusted-keys', keys);
    expect(anchoredToAttacker.code, anchoredToAttacker.stdout).toBe(0);
  });
});

describe('bad input: exit 2', () => {
  it('a missing path, a folder of something else, a .mkv without manifest, an unreadable key registry', async () => {
    const empty = tempDir('not-evidence');
    writeFileSync(join(empty, 'notes.txt'), 'hello');
    const lone = tempDir('lone');
    cpSync(plain.recordingFile, join(lone, plain.manifest.file));
    for (const args of [['verify', join(empty, 'nothing-here')], ['verify', empty], ['verify', join(lone, plain.manifest.file)],
      ['verify', join(empty, 'notes.txt')], ['verify', plain.dir, '--trusted-keys', join(empty, 'notes.txt')]]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^bodycam: .*expected/);
      expect(result.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    }
  });
});
