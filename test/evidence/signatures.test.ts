/**
 * Keys, canonical JSON and Ed25519 signatures: deterministic (golden values), checked by an
 * independent implementation (openssl), and every field of a manifest is covered.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MANIFEST_DOMAIN, canonicalJson, checkDocumentSignature, loadPrivateKeyFile, publicKeyPem, signManifest, signedBytes, simulationBackOfficeKeys,
  simulationDeviceKey,
} from '../../src/evidence/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import { type DeviceRun, recordDevice } from './helpers.js';

const FC_RUNS = Number(process.env.FC_RUNS ?? 200);
const GOLDEN_SIGNATURE = 'i4TxCRDOH0EyiXDJwUeURgwXmMYDRbymr3CKnB398Yn4KPHW6OFtO7p/quP9ro0xd9eJOtE/wE5rwpfQTgo8Dw==';
/** A manifest written out in full, so the golden signature depends on nothing but the signing code. */
const FIXED_MANIFEST: RecordingManifest = {
  format: 'bodycam-recording/1', id: 'DRD-BC-0001_20261122T140015+0100', deviceId: 'DRD-BC-0001', officerId: 'H-0001',
  file: 'DRD-BC-0001_20261122T140015+0100.mkv', bytes: 123_456, sha256: 'ab'.repeat(32), complete: true, repaired: false,
  trigger: { atUs: 45_050_000, source: 'button' }, preRoll: { requestedUs: 30_000_000, actualUs: 30_000_000, limitedBy: null },
  video: { codec: 'V_MJPEG', width: 640, height: 360, frames: 1350, firstFrameUs: 15_050_000, lastFrameUs: 60_016_666 },
  audio: { codec: 'A_PCM/INT/LIT', sampleRate: 16_000, samples: 720_000, firstSampleUs: 15_050_000 },
  stop: { atUs: 60_050_000, reason: 'button' }, markers: [50_000_000],
  wallClock: { start: '2026-11-22T14:00:15.050+01:00', end: '2026-11-22T14:01:00.050+01:00', trigger: '2026-11-22T14:00:45.050+01:00' },
  originUs: 15_050_000,
};

/** openssl's own Ed25519 verification of `signatureBase64` over `message`. */
function opensslVerifies(publicPem: string, message: Uint8Array, signatureBase64: string): boolean {
  const dir = tempDir('openssl-verify');
  writeFileSync(join(dir, 'pub.pem'), publicPem);
  writeFileSync(join(dir, 'msg'), message);
  writeFileSync(join(dir, 'sig'), Buffer.from(signatureBase64, 'base64'));
  const result = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'msg'), '-sigfile', join(dir, 'sig')], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === 'Signature Verified Successfully';
}

let run: DeviceRun;
beforeAll(async () => {
  run = await recordDevice();
});

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys, drops whitespace, writes numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'é\n"', '': -0, e: 1e21, f: 0.5 })).toBe('{"":0,"a":"é\\n\\"","b":[1,{"c":null,"d":true}],"e":1e+21,"f":0.5}');
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite number/);
  });

  it('does not depend on key order, and parses back to the same value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(text);
      }
    }), { numRuns: FC_RUNS });
  });
});

describe('keys', () => {
  it('the simulation keys are fixed (golden fingerprints): anyone can derive them', () => {
    expect(simulationDeviceKey('DRD-BC-0001').fingerprint).toBe('9d938b505d1fa7b252523a3a0d05289d9598fe349be55e05a5e45dec8fab82a8');
    expect(simulationBackOfficeKeys().signing.fingerprint).toBe('a0543b829ab7c870945d80e66dc47c4570b87925fe55b5184276c3f7aa0d3106');
    expect(simulationBackOfficeKeys().encryption.fingerprint).toBe('0f4a5cbd10d015098c8c02f0087fe4e0cbad0ff71b4d561b6510a2b00deb1756');
    expect(simulationDeviceKey('DRD-BC-0002').fingerprint).not.toBe(simulationDeviceKey('DRD-BC-0001').fingerprint);
  });

  it('reads a key openssl generated, and signs with it; openssl verifies the signature', () => {
    const dir = tempDir('openssl');
    const keyFile = join(dir, 'device.key.pem');
    const made = spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyFile]);
    expect(made.status).toBe(0);
    const key = loadPrivateKeyFile(keyFile, 'ed25519');
    const signed = signManifest(run.manifest, key);
    expect(opensslVerifies(publicKeyPem(key), signedBytes(MANIFEST_DOMAIN, signed), signed.signature?.value ?? '')).toBe(true);
    expect(checkDocumentSignature(MANIFEST_DOMAIN, signed)).toMatchObject({ ok: true });
    expect(() => loadPrivateKeyFile(join(dir, 'pub.pem'), 'ed25519')).toThrow(/expected a PEM private key \(PKCS#8\) of type ed25519/);
  });
});

describe('manifest signatures', () => {
  it('are deterministic: signing again gives the same block; a fixed manifest gives the golden signature', () => {
    const again = signManifest(run.manifest, simulationDeviceKey('DRD-BC-0001'));
    expect(again.signature).toEqual(run.manifest.signature);
    expect(signManifest(FIXED_MANIFEST, simulationDeviceKey('DRD-BC-0001')).signature?.value).toBe(GOLDEN_SIGNATURE);
    expect(opensslVerifies(publicKeyPem(simulationDeviceKey('DRD-BC-0001')), signedBytes(MANIFEST_DOMAIN, FIXED_MANIFEST), GOLDEN_SIGNATURE)).toBe(true);
    expect(opensslVerifies(publicKeyPem(simulationDeviceKey('DRD-BC-0002')), signedBytes(MANIFEST_DOMAIN, FIXED_MANIFEST), GOLDEN_SIGNATURE)).toBe(false);
  });

  it('sign the canonical form: the domain line, then the manifest without its signature, keys sorted', () => {
    const text = new TextDecoder().decode(signedBytes(MANIFEST_DOMAIN, run.manifest));
    expect(text.startsWith('bodycam-manifest-signature/1\n{"audio":')).toBe(true);
    expect(text).not.toContain('"signature"');
    expect(text).toContain(`"sha256":"${run.manifest.sha256}"`);
  });

  it('cover every field: changing any leaf value breaks the signature (property)', () => {
    const leaves: string[][] = [];
    const walk = (value: unknown, path: string[]): void => {
      if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value)) if (!(path.length === 0 && key === 'signature')) walk(child, [...path, key]);
      } else {
        leaves.push(path);
      }
    };
    walk(run.manifest, []);
    expect(leaves.length).toBeGreaterThanOrEqual(30);
    fc.assert(fc.property(fc.constantFrom(...leaves), (path) => {
      const copy = JSON.parse(JSON.stringify(run.manifest)) as Record<string, unknown>;
      let parent: Record<string, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
      const last = path[path.length - 1] as string;
      const old = parent[last];
      parent[last] = typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : old === null ? 0 : `${String(old)}x`;
      expect(checkDocumentSignature(MANIFEST_DOMAIN, copy as unknown as RecordingManifest).ok).toBe(false);
    }), { numRuns: Math.min(FC_RUNS, 100) });
  });

  it('a signature block with a non-canonical base64 character is refused (Node\'s decoder would skip it)', () => {
    const value = run.manifest.signature?.value ?? '';
    const sloppy = { ...run.manifest, signature: { ...run.manifest.signature, value: `${value.slice(0, 10)}!${value.slice(10)}` } };
    expect(checkDocumentSignature(MANIFEST_DOMAIN, sloppy)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a base64 64-byte/) });
  });
});
