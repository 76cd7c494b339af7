/**
 * Forged stores (a rewritten or rolled-back audit history, swapped keys, a witness log tampered
 * with), a swapped store copy at offload, encryption with simulation keys, and time: each built
 * for real and refused or caught by verify (docs/evidence.md, "Threats and what catches them").
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry, appendWitness, generateKeyPair, hashFileSync, holdRecording, offloadDevice, privateKeyPem, publicKeyPem, signManifest, simulationDeviceKey,
} from '../../src/evidence/index.js';
import { serializeManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import {
  DEVICE, type RealChain, recordChains, realStore, anchorsFor, expectFails, expectIntegrityOnly, withClock, dropHeld,
} from './forgery-helpers.js';
import { type DeviceRun, FIXTURE_DIR, cli, copyRun, newStore, recordDevice } from './helpers.js';

let real: RealChain;
let simulated: DeviceRun;
beforeAll(async () => {
  ({ real, simulated } = await recordChains());
});

describe('forged stores', () => {

  it('the held entry dropped, the chain rebuilt, the head re-signed with a new key put in keys/: fails against the anchored back-office key', async () => {
    const store = realStore(real);
    const anchors = anchorsFor(real, store);
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    const forger = generateKeyPair('ed25519', 'forger');
    dropHeld(store, forger);
    writeFileSync(join(store.dir, 'keys', 'back-office.ed25519.pub.pem'), publicKeyPem(forger));
    writeFileSync(join(store.dir, 'keys', 'back-office.ed25519.key.pem'), privateKeyPem(forger));
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors), 'audit-head.json', 'head');
    expectIntegrityOnly(await cli('verify', store.dir));
  });

  it('an insider with the real back-office key rewrites history: caught by the witness log from the next witnessed head on', async () => {
    const store = realStore(real);
    const anchors = anchorsFor(real, store);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    const published = await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-02T11:00:00Z');
    expect(published.code, published.stderr).toBe(0);
    expect((await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness)).code).toBe(0);
    dropHeld(store, store.keys.signing);
    // The head is genuinely signed: anchors alone cannot tell.
    expect((await cli('verify', store.dir, '--trusted-keys', anchors)).code).toBe(0);
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness), 'audit.jsonl', 'witness');
  });

  it('an old log and head replayed (rolled back past a witnessed head): caught by the witness log', async () => {
    const store = realStore(real);
    const anchors = anchorsFor(real, store);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    const old = tempDir('old');
    cpSync(store.audit.file, join(old, 'audit.jsonl'));
    cpSync(store.audit.headFile, join(old, 'audit-head.json'));
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    expect((await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-02T11:00:00Z')).code).toBe(0);
    cpSync(join(old, 'audit.jsonl'), store.audit.file);
    cpSync(join(old, 'audit-head.json'), store.audit.headFile);
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness), 'audit.jsonl', 'witness', /fewer|rolled back|removed/);
  });

  it('evidence witness refuses a store whose history no longer matches, a log inside the store; --witness needs a store', async () => {
    const store = realStore(real);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    expect((await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-02T11:00:00Z')).code).toBe(0);
    dropHeld(store, store.keys.signing);
    const refused = await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-02T12:00:00Z');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not match the witness log: the log holds 3 entries, fewer than the 4 witnessed/);
    expect(readFileSync(witness, 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(1);
    const inside = await cli('evidence', 'witness', '--store', store.dir, '--log', join(store.dir, 'heads.jsonl'), '--now', '2026-01-02T12:00:00Z');
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('must live outside what it witnesses');
    expect((await cli('verify', real.run.dir, '--witness', witness)).code).toBe(2);
  });

  it('the witness log truncated at its end is not caught by the log alone (the documented residual risk); edited in the middle it is', async () => {
    const store = realStore(real);
    const anchors = anchorsFor(real, store);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    expect((await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-01T09:00:00Z')).code).toBe(0);
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    expect((await cli('evidence', 'witness', '--store', store.dir, '--log', witness, '--now', '2026-01-02T11:00:00Z')).code).toBe(0);
    const lines = readFileSync(witness, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    writeFileSync(witness, `${lines[0]}\n${(lines[1] ?? '').replace('"entries":', '"entries":1')}\n`);
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness), 'heads.jsonl', 'witness');
    writeFileSync(witness, `${lines[0]}\n`);
    expect((await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness)).code).toBe(0);
  });

  it('a witness log signed by a key other than the anchored back office fails', async () => {
    const store = realStore(real);
    const anchors = anchorsFor(real, store);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    appendWitness(witness, readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry),
      generateKeyPair('ed25519', 'forger'), '2026-01-02T11:00:00Z');
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness), 'heads.jsonl', 'witness', /not by the back office/);
  });

  it('a device key swapped in the store registry fails, anchored or not', async () => {
    const store = realStore(real);
    writeFileSync(join(store.dir, 'devices', `${DEVICE}.pub.pem`), publicKeyPem(generateKeyPair('ed25519', 'swap')));
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchorsFor(real, store)), `devices/${DEVICE}.pub.pem`, 'registration');
  });
});

describe('offload against the logged hash', () => {
  it('a store copy swapped together with the device copy: offload refuses to free the device', () => {
    const store = newStore();
    const device = copyRun(simulated);
    expect(offloadDevice(store, device.dir, { at: '2026-01-01T08:00:00Z', actor: 'dock', keepOnDevice: true })[0]).toMatchObject({ status: 'offloaded' });
    // The forger holds the (public) simulation key the store registered and rewrites both copies alike.
    const id = simulated.manifest.id;
    const bytes = readFileSync(device.recordingFile);
    bytes[bytes.length - 50] = (bytes[bytes.length - 50] ?? 0) ^ 0xff;
    writeFileSync(device.recordingFile, bytes);
    const forged = serializeManifest(signManifest({ ...simulated.manifest, ...hashFileSync(device.recordingFile) }, simulationDeviceKey(DEVICE)));
    writeFileSync(device.manifestFile, forged);
    cpSync(device.recordingFile, join(store.recordingDir(id), simulated.manifest.file));
    writeFileSync(join(store.recordingDir(id), `${id}.json`), forged);
    const [item] = offloadDevice(store, device.dir, { at: '2026-01-01T09:00:00Z', actor: 'dock' });
    expect(item).toMatchObject({ status: 'failed', deviceCopy: 'kept' });
    expect(item?.detail).toMatch(/logged at the first offload/);
    expect(existsSync(device.recordingFile)).toBe(true);
  });
});

describe('encryption with simulation device keys', () => {
  it('encryptAtRest to a real back office without --device-key is refused (exit 2), nothing written', async () => {
    const store = realStore(real);
    const work = tempDir('enc-sim');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ encryptAtRest: true }));
    const result = await cli('run', '--out', join(work, 'out'), '--config', join(work, 'config.json'), '--back-office-key', join(store.dir, 'keys', 'back-office.x25519.pub.pem'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/simulation (device )?key/);
    expect(existsSync(join(work, 'out', 'recordings'))).toBe(false);
  });
});

describe('time', () => {
  it('a store action dated before the last logged one is refused (exit 2): a release before its hold, a purge before a hold', async () => {
    const store = newStore();
    offloadDevice(store, copyRun(simulated).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock' });
    const id = simulated.manifest.id;
    expect((await cli('evidence', 'hold', id, '--reason', 'complaint', '--case', 'K-1', '--store', store.dir, '--now', '2026-01-05T10:00:00Z')).code).toBe(0);
    const release = await cli('evidence', 'release', id, '--case', 'K-1', '--store', store.dir, '--now', '2026-01-04T10:00:00Z');
    expect(release.code).toBe(2);
    expect(release.stderr).toMatch(/--now: .*before the last logged action/);
    const purge = await cli('evidence', 'purge', '--store', store.dir, '--now', '2026-01-03T10:00:00Z');
    expect(purge.code).toBe(2);
  });

  it('a device clock in 2000: retention counts from the offload, not from the claimed end', async () => {
    const old = await recordDevice({ scenario: withClock('2000-01-01T00:00:00Z') });
    const store = newStore();
    const [item] = offloadDevice(store, copyRun(old).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock' });
    expect(item?.status).toBe('offloaded');
    expect(item?.detail).toMatch(/clock/);
    const purge = await cli('evidence', 'purge', '--store', store.dir, '--now', '2026-01-01T08:00:01Z');
    expect(purge.code).toBe(0);
    expect(store.recordingIds()).toEqual([old.manifest.id]);
  });

  it('a device clock ahead of the back office (beyond 5 min) is flagged at offload and logged; within 5 min it is not', async () => {
    const ahead = await recordDevice({ scenario: withClock('2026-06-01T00:00:00Z') });
    const store = newStore();
    const [item] = offloadDevice(store, copyRun(ahead).dir, { at: '2026-05-31T23:54:00Z', actor: 'dock' });
    expect(item?.status).toBe('offloaded');
    expect(item?.detail).toMatch(/WARNING: the device clock runs ahead: the recording ends 2026-06-01T00:00:05\.000Z, after its offload at 2026-05-31T23:54:00Z \(more than 5 min\)/);
    const logged = readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
    expect(logged.find((e) => e.action === 'offloaded')?.details.deviceClock).toBe('ahead');
    const near = newStore();
    const [fine] = offloadDevice(near, copyRun(ahead).dir, { at: '2026-05-31T23:56:00Z', actor: 'dock' });
    expect(fine?.detail).toBe('copied');
  });

  it('a year-10000 end is refused at input (the run), and a forged manifest with one does not break list or purge', async () => {
    const work = tempDir('y10k');
    writeFileSync(join(work, 'scenario.json'), JSON.stringify(withClock('9999-12-31T23:59:58Z')));
    const run = await cli('run', FIXTURE_DIR, '--scenario', join(work, 'scenario.json'), '--out', join(work, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/clock\.start/);
    const store = newStore();
    offloadDevice(store, copyRun(simulated).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock' });
    const device = copyRun(simulated);
    const forged = { ...simulated.manifest, id: 'DRD-BC-0001_99991231T235958Z', wallClock: { ...simulated.manifest.wallClock, end: '+010000-01-01T00:00:03.000Z' } };
    writeFileSync(device.manifestFile, serializeManifest(signManifest(forged, simulationDeviceKey(DEVICE))));
    const [item] = offloadDevice(store, device.dir, { at: '2026-01-01T09:00:00Z', actor: 'dock' });
    expect(item?.status).toBe('failed');
    expect((await cli('evidence', 'list', '--store', store.dir, '--now', '2026-01-02T00:00:00Z')).code).toBe(0);
    expect((await cli('evidence', 'purge', '--store', store.dir, '--now', '2026-01-02T00:00:00Z', '--dry-run')).code).toBe(0);
  });
});

