/**
 * Forged export packages, recordings and manifests, built for real (real files, the library
 * functions the CLI uses, then `bodycam verify` through main()): each fails verify with exit 1
 * naming the file and the check once the verifier holds trust anchors from outside what it checks
 * (docs/evidence.md, "Trust model"); without anchors verify never says a bare "all checks passed".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditLine, exportRecording, generateKeyPair, offloadDevice, publicKeyPem, signManifest, simulationBackOfficeKeys, simulationDeviceKey,
} from '../../src/evidence/index.js';
import { type RecordingManifest, serializeManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import {
  DEVICE, type RealChain, recordChains, realStore, anchorsFor, genuinePackage, readJson, excerptOf, relink, resignPackage, alterRecording, expectFails, expectIntegrityOnly,
} from './forgery-helpers.js';
import { type DeviceRun, cli, copyRun, newStore } from './helpers.js';

let real: RealChain;
let simulated: DeviceRun;
beforeAll(async () => {
  ({ real, simulated } = await recordChains());
});

describe('forged export packages', () => {
  it('the recording changed and re-signed with fresh keys (REPORT.md left as it was): fails with anchors, and REPORT.md is caught without', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    alterRecording(real, dir, generateKeyPair('ed25519', 'forger device'));
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: generateKeyPair('ed25519', 'unused') });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, store));
    expectFails(anchored, `${real.run.manifest.id}.json`, 'key');
    expectFails(anchored, 'export.json', 'signature', /not a trust anchor|not anchored/);
    const bare = await cli('verify', dir);
    expectFails(bare, 'REPORT.md', 'content');
  });

  it('the same with REPORT.md rebuilt too: fails with anchors; without, verify says integrity only', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const forgerDevice = generateKeyPair('ed25519', 'forger device');
    alterRecording(real, dir, forgerDevice);
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: forgerDevice, rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, store));
    expectFails(anchored, `${real.run.manifest.id}.json`, 'key');
    expectFails(anchored, 'export.json', 'signature');
    const bare = await cli('verify', dir);
    expect(bare.code, bare.stdout).toBe(0);
    expectIntegrityOnly(bare);
  });

  it('re-signed with the public simulation key: named as such, never passes against anchors', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const sim = simulationDeviceKey(DEVICE);
    alterRecording(real, dir, sim);
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: sim, rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, store));
    expectFails(anchored, `${real.run.manifest.id}.json`, 'key', /SIMULATION key/);
    const bare = await cli('verify', dir);
    expectIntegrityOnly(bare);
    expect(bare.stdout).toMatch(/\.json {2}signature: .*SIMULATION key of DRD-BC-0001/);
  });

  it('a whole package made with simulation keys: every signature named simulation, fails against real anchors', async () => {
    const store = newStore();
    offloadDevice(store, copyRun(simulated).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock' });
    const dir = join(tempDir('sim-package'), 'pkg');
    exportRecording(store, simulated.manifest.id, dir, { at: '2026-01-03T10:00:00Z', actor: 'clerk' });
    const bare = await cli('verify', dir);
    expect(bare.code, bare.stdout).toBe(0);
    expectIntegrityOnly(bare);
    expect(bare.stdout).toMatch(/export\.json {2}signature: .*SIMULATION back-office key/);
    expect(bare.stdout).toMatch(/\.json {2}signature: .*SIMULATION key of DRD-BC-0001/);
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, realStore(real)));
    expectFails(anchored, 'export.json', 'signature', /SIMULATION/);
    expectFails(anchored, `${simulated.manifest.id}.json`, 'key', /SIMULATION/);
  });

  it('the viewed entry dropped, the excerpt re-linked, export.json re-signed with a key put in back-office-public-key.pem', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const excerpt = excerptOf(dir);
    expect(excerpt.map((e) => e.action)).toContain('viewed');
    writeFileSync(join(dir, 'audit-excerpt.jsonl'), relink(excerpt.filter((e) => e.action !== 'viewed'), false).map((e) => `${auditLine(e)}\n`).join(''));
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, store));
    expectFails(anchored, 'export.json', 'signature');
  });

  it('a package from a rogue back office (its own keys, the genuine device recording) fails against the real anchors', async () => {
    const genuine = realStore(real);
    const rogue = realStore(real);
    const dir = genuinePackage(real, rogue);
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(real, genuine));
    expectFails(anchored, 'export.json', 'signature');
    // The same package against the rogue's own key passes: anchors decide whom to believe.
    const own = await cli('verify', dir, '--trusted-keys', anchorsFor(real, rogue));
    expect(own.code, own.stdout).toBe(0);
    expect(own.stdout).toMatch(/Result: all \d+ checks passed against the trust anchors/);
  });

  it('REPORT.md edited (hash and signature not updated): caught as any file (re-hashed and re-signed: see the first test, REPORT.md content)', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const report = readFileSync(join(dir, 'REPORT.md'), 'utf8');
    writeFileSync(join(dir, 'REPORT.md'), report.replace('complaint', 'investigation'));
    expectFails(await cli('verify', dir), 'REPORT.md', 'sha256');
  });

  it('key order changed in export.json (values and signature untouched) fails', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const index = readJson<Record<string, unknown>>(join(dir, 'export.json'));
    const reversed = Object.fromEntries(Object.entries(index).reverse());
    writeFileSync(join(dir, 'export.json'), `${JSON.stringify(reversed, null, 2)}\n`);
    expectFails(await cli('verify', dir, '--trusted-keys', anchorsFor(real, store)), 'export.json', 'form');
  });
});

describe('forged recordings and manifests', () => {
  it('key order changed in a manifest (values and signature untouched) fails', async () => {
    const copy = copyRun(real.run);
    const manifest = readJson<Record<string, unknown>>(copy.manifestFile);
    const { id, format, ...rest } = manifest;
    writeFileSync(copy.manifestFile, `${JSON.stringify({ id, format, ...rest }, null, 2)}\n`);
    expectFails(await cli('verify', copy.dir, '--trusted-keys', real.anchors), `recordings/${real.run.manifest.id}.json`, 'manifest');
    // Nested: video.codec moved after video.lastFrameUs.
    const text = readFileSync(real.run.manifestFile, 'utf8');
    const moved = text.replace('    "codec": "V_MJPEG",\n', '').replace(/("lastFrameUs": [^\n]*)\n/, '$1,\n    "codec": "V_MJPEG"\n');
    expect(JSON.parse(moved)).toEqual(JSON.parse(text));
    expect(moved).not.toBe(text);
    writeFileSync(copy.manifestFile, moved);
    expectFails(await cli('verify', copy.dir, '--trusted-keys', real.anchors), `recordings/${real.run.manifest.id}.json`, 'manifest');
  });

  it('a duplicated key in a manifest (JSON.parse keeps the last one) fails its form check', async () => {
    const copy = copyRun(real.run);
    const text = readFileSync(copy.manifestFile, 'utf8');
    writeFileSync(copy.manifestFile, text.replace('  "officerId":', '  "officerId": "H-9999",\n  "officerId":'));
    expectFails(await cli('verify', copy.dir, '--trusted-keys', real.anchors), `recordings/${real.run.manifest.id}.json`, 'manifest');
  });

  it('a run re-signed with the simulation key: verify against the device anchor fails naming the simulation key', async () => {
    const copy = copyRun(real.run);
    writeFileSync(copy.manifestFile, serializeManifest(signManifest(readJson<RecordingManifest>(copy.manifestFile), simulationDeviceKey(DEVICE))));
    expectFails(await cli('verify', copy.dir, '--trusted-keys', real.anchors), `recordings/${real.run.manifest.id}.json`, 'key', /SIMULATION/);
    expectFails(await cli('verify', copy.dir, '--trusted-keys', join(real.anchors, `${DEVICE}.pub.pem`)), `recordings/${real.run.manifest.id}.json`, 'key', /SIMULATION/);
    const bare = await cli('verify', copy.dir);
    expectIntegrityOnly(bare);
  });

  it('anchors that are simulation keys are refused (exit 2): they cannot anchor anything', async () => {
    const dir = tempDir('sim-anchor');
    writeFileSync(join(dir, `${DEVICE}.pub.pem`), publicKeyPem(simulationDeviceKey(DEVICE)));
    const result = await cli('verify', simulated.dir, '--trusted-keys', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DRD-BC-0001\.pub\.pem: .*simulation key/);
    const bo = tempDir('sim-anchor-bo');
    writeFileSync(join(bo, 'back-office.pub.pem'), publicKeyPem(simulationBackOfficeKeys().signing));
    expect((await cli('verify', simulated.dir, '--trusted-keys', bo)).code).toBe(2);
  });

  it('anchors inside what is verified are refused (exit 2): the store\'s keys/, the package\'s own key copy', async () => {
    const store = realStore(real);
    const dir = genuinePackage(real, store);
    const own = await cli('verify', dir, '--trusted-keys', join(dir, 'back-office-public-key.pem'));
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('trust anchors must come from outside it');
    expect((await cli('verify', store.dir, '--trusted-keys', join(store.dir, 'keys'))).code).toBe(2);
  });

  it('an empty folder: exit 2 "nothing to verify" naming the path', async () => {
    const dir = tempDir('empty');
    const result = await cli('verify', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(dir);
    expect(result.stderr).toContain('nothing to verify');
    expect(result.stdout).not.toMatch(/checks passed/);
  });
});
