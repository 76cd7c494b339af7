/**
 * Forgeries, built for real (real files, the library functions the CLI uses, then `bodycam verify`
 * through main()): each one fails verify with exit 1 naming the file and the check once the
 * verifier holds trust anchors from outside what it checks (docs/evidence.md, "Trust model").
 * Without anchors verify never says a bare "all checks passed".
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_HEAD_DOMAIN, type AuditEntry, appendWitness, EXPORT_DOMAIN, EvidenceStore, type KeyPair, auditLine, exportRecording, exportReport, generateKeyPair,
  hashFileSync, holdRecording, isSimulationDeviceKey, loadPublicKeyFile, offloadDevice, privateKeyPem, publicKeyPem, sealAuditEntry, serializeExportIndex,
  serializeSignedJson, sha256Text, signDocument, signManifest, simulationBackOfficeKeys, simulationDeviceKey, viewRecording,
} from '../../src/evidence/index.js';
import { type RecordingManifest, serializeManifest } from '../../src/recorder/index.js';
import { tempDir } from '../helpers/tools.js';
import { type CliResult, type DeviceRun, ACTOR, FIXTURE_DIR, cli, copyRun, newStore, recordDevice } from './helpers.js';

const DEVICE = 'DRD-BC-0001';

/** The real keys of the genuine chain, and an anchors folder made from them (outside every store and package). */
interface RealChain {
  readonly work: string;
  readonly deviceKeyFile: string;
  readonly run: DeviceRun;
  readonly anchors: string;
}

let real: RealChain;
let simulated: DeviceRun;

beforeAll(async () => {
  const work = tempDir('forgery');
  const device = generateKeyPair('ed25519', 'device');
  const deviceKeyFile = join(work, `${DEVICE}.key.pem`);
  writeFileSync(deviceKeyFile, privateKeyPem(device));
  writeFileSync(join(work, `${DEVICE}.pub.pem`), publicKeyPem(device));
  const run = await recordDevice({ deviceKeyFile });
  simulated = await recordDevice();
  real = { work, deviceKeyFile, run, anchors: join(work, 'anchors') };
  mkdirSync(real.anchors);
  copyFileSync(join(work, `${DEVICE}.pub.pem`), join(real.anchors, `${DEVICE}.pub.pem`));
});

/** A store with generated keys, the real device registered, its recording offloaded. */
function realStore(): EvidenceStore {
  const store = EvidenceStore.init(join(tempDir('forgery-store'), 'store'), { generateKeys: true });
  store.registerDevice(DEVICE, loadPublicKeyFile(join(real.work, `${DEVICE}.pub.pem`), 'ed25519'), { at: '2026-01-01T00:00:00Z', actor: ACTOR });
  offloadDevice(store, copyRun(real.run).dir, { at: '2026-01-01T08:00:00Z', actor: 'dock-1' });
  return store;
}

/** An anchors folder with the real device key and the back office's key of `store`. */
function anchorsFor(store: EvidenceStore): string {
  const dir = tempDir('anchors');
  copyFileSync(join(real.anchors, `${DEVICE}.pub.pem`), join(dir, `${DEVICE}.pub.pem`));
  copyFileSync(join(store.dir, 'keys', 'back-office.ed25519.pub.pem'), join(dir, 'back-office.pub.pem'));
  return dir;
}

/** A genuine package: viewed, held, exported. */
function genuinePackage(store: EvidenceStore): string {
  const id = real.run.manifest.id;
  viewRecording(store, id, join(tempDir('view'), 'look.mkv'), { at: '2026-01-02T09:00:00Z', actor: 'inspector' });
  holdRecording(store, id, { reason: 'complaint', caseRef: 'K-1' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
  const dir = join(tempDir('package'), 'pkg');
  exportRecording(store, id, dir, { at: '2026-01-03T10:00:00Z', actor: 'clerk', caseRef: 'K-1' });
  return dir;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const excerptOf = (dir: string): AuditEntry[] => readFileSync(join(dir, 'audit-excerpt.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);

/** Re-links an excerpt (or a whole log) after entries were dropped, as a forger with the format in hand would. */
function relink(entries: readonly AuditEntry[], whole: boolean): AuditEntry[] {
  const out: AuditEntry[] = [];
  const lastOf = new Map<string, string>();
  for (const [i, e] of entries.entries()) {
    const position = whole
      ? { seq: i, prev: out[i - 1]?.hash ?? '0'.repeat(64), recordingPrev: e.recordingId === null ? null : (lastOf.get(e.recordingId) ?? null) }
      : { seq: e.seq, prev: e.prev, recordingPrev: e.recordingId === null ? null : (lastOf.get(e.recordingId) ?? null) };
    const sealed = sealAuditEntry({ at: e.at, action: e.action, recordingId: e.recordingId, actor: e.actor, details: e.details }, position, sha256Text);
    if (sealed.recordingId !== null) lastOf.set(sealed.recordingId, sealed.hash);
    out.push(sealed);
  }
  return out;
}

/**
 * The forger's re-signing of a package: every listed file re-hashed, the excerpt's head updated,
 * export.json signed with `backOffice` whose public key replaces back-office-public-key.pem.
 */
function resignPackage(dir: string, backOffice: KeyPair, options: { deviceKey?: KeyPair; rebuildReport?: boolean } = {}): void {
  if (options.deviceKey !== undefined) writeFileSync(join(dir, 'device-public-key.pem'), publicKeyPem(options.deviceKey));
  writeFileSync(join(dir, 'back-office-public-key.pem'), publicKeyPem(backOffice));
  const index = readJson<Record<string, unknown> & { files: { path: string; role: string; bytes: number; sha256: string }[] }>(join(dir, 'export.json'));
  const manifest = readJson<RecordingManifest>(join(dir, String(index.manifest)));
  // The excerpt is made to agree with the altered recording: the hashes it logs are rewritten and the chain re-linked.
  const playable = hashFileSync(join(dir, String(index.recording))).sha256;
  const excerpt = relink(excerptOf(dir).map((e) => ({
    ...e, details: Object.fromEntries(Object.entries(e.details).map(([k, v]) => [k, k === 'sha256' ? manifest.sha256 : k === 'plaintextSha256' ? playable : v])),
  })), false);
  writeFileSync(join(dir, 'audit-excerpt.jsonl'), excerpt.map((e) => `${auditLine(e)}\n`).join(''));
  const hashed = (path: string): { path: string; bytes: number; sha256: string } => ({ path, ...hashFileSync(join(dir, path)) });
  let files = index.files.map((f) => ({ ...f, ...hashed(f.path) }));
  if (options.rebuildReport === true) {
    const before = files.filter((f) => f.path !== 'REPORT.md');
    writeFileSync(join(dir, 'REPORT.md'), exportReport({
      manifest, exportedAt: String(index.exportedAt), actor: String(index.actor), caseRef: (index.case as string | null) ?? null, files: before,
      recordingFile: String(index.recording), audit: excerpt,
      deviceKey: { fingerprint: manifest.signature?.keyFingerprint ?? '', simulation: isSimulationDeviceKey(manifest.deviceId, manifest.signature?.keyFingerprint ?? '') },
      backOfficeKey: { fingerprint: backOffice.fingerprint, simulation: backOffice.origin === 'simulation' },
    }));
    files = index.files.map((f) => ({ ...f, ...hashed(f.path) }));
  }
  const { signature: _old, ...body } = index;
  const newBody = {
    ...body, files, deviceKeyFingerprint: manifest.signature?.keyFingerprint,
    audit: { file: 'audit-excerpt.jsonl', entries: excerpt.length, lastHash: excerpt[excerpt.length - 1]?.hash ?? '' },
  };
  writeFileSync(join(dir, 'export.json'), serializeExportIndex({ ...newBody, signature: signDocument(EXPORT_DOMAIN, newBody, backOffice) } as never));
}

/** Changes the recording (plain) and re-signs its manifest with `key`. */
function alterRecording(dir: string, key: KeyPair): void {
  const id = real.run.manifest.id;
  const file = join(dir, `${id}.mkv`);
  const bytes = readFileSync(file);
  bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
  const manifest = readJson<RecordingManifest>(join(dir, `${id}.json`));
  writeFileSync(join(dir, `${id}.json`), serializeManifest(signManifest({ ...manifest, ...hashFileSync(file) }, key)));
}

function expectFails(result: CliResult, subject: string, check: string, detail?: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  const line = result.stdout.split('\n').find((l) => l.startsWith(`FAIL  ${subject}  ${check}: `));
  expect(line, `no FAIL line for ${subject} ${check} in\n${result.stdout}`).toBeDefined();
  if (detail !== undefined) expect(line).toMatch(detail);
  expect(result.stderr).toContain(`${subject} (${check})`);
}

/** Without anchors: never a bare "all checks passed"; every passing line says integrity only. */
function expectIntegrityOnly(result: CliResult): void {
  expect(result.stdout).not.toMatch(/all \d+ checks passed/);
  const lines = result.stdout.split('\n').filter((l) => /^\S+ {2}\S/.test(l) && !l.startsWith('Verifying') && !l.startsWith('note') && !l.startsWith('Result'));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line, line).toMatch(/^(FAIL|intact)  /);
  expect(result.stdout).toMatch(/Result: .*integrity only/);
}

describe('forged export packages', () => {
  it('the recording changed and re-signed with fresh keys (REPORT.md left as it was): fails with anchors, and REPORT.md is caught without', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    alterRecording(dir, generateKeyPair('ed25519', 'forger device'));
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: generateKeyPair('ed25519', 'unused') });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(store));
    expectFails(anchored, `${real.run.manifest.id}.json`, 'key');
    expectFails(anchored, 'export.json', 'signature', /not a trust anchor|not anchored/);
    const bare = await cli('verify', dir);
    expectFails(bare, 'REPORT.md', 'content');
  });

  it('the same with REPORT.md rebuilt too: fails with anchors; without, verify says integrity only', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    const forgerDevice = generateKeyPair('ed25519', 'forger device');
    alterRecording(dir, forgerDevice);
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: forgerDevice, rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(store));
    expectFails(anchored, `${real.run.manifest.id}.json`, 'key');
    expectFails(anchored, 'export.json', 'signature');
    const bare = await cli('verify', dir);
    expect(bare.code, bare.stdout).toBe(0);
    expectIntegrityOnly(bare);
  });

  it('re-signed with the public simulation key: named as such, never passes against anchors', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    const sim = simulationDeviceKey(DEVICE);
    alterRecording(dir, sim);
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { deviceKey: sim, rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(store));
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
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(realStore()));
    expectFails(anchored, 'export.json', 'signature', /SIMULATION/);
    expectFails(anchored, `${simulated.manifest.id}.json`, 'key', /SIMULATION/);
  });

  it('the viewed entry dropped, the excerpt re-linked, export.json re-signed with a key put in back-office-public-key.pem', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    const excerpt = excerptOf(dir);
    expect(excerpt.map((e) => e.action)).toContain('viewed');
    writeFileSync(join(dir, 'audit-excerpt.jsonl'), relink(excerpt.filter((e) => e.action !== 'viewed'), false).map((e) => `${auditLine(e)}\n`).join(''));
    resignPackage(dir, generateKeyPair('ed25519', 'forger back office'), { rebuildReport: true });
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(store));
    expectFails(anchored, 'export.json', 'signature');
  });

  it('a package from a rogue back office (its own keys, the genuine device recording) fails against the real anchors', async () => {
    const genuine = realStore();
    const rogue = realStore();
    const dir = genuinePackage(rogue);
    const anchored = await cli('verify', dir, '--trusted-keys', anchorsFor(genuine));
    expectFails(anchored, 'export.json', 'signature');
    // The same package against the rogue's own key passes: anchors decide whom to believe.
    const own = await cli('verify', dir, '--trusted-keys', anchorsFor(rogue));
    expect(own.code, own.stdout).toBe(0);
    expect(own.stdout).toMatch(/Result: all \d+ checks passed against the trust anchors/);
  });

  it('REPORT.md edited (hash and signature not updated): caught as any file (re-hashed and re-signed: see the first test, REPORT.md content)', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    const report = readFileSync(join(dir, 'REPORT.md'), 'utf8');
    writeFileSync(join(dir, 'REPORT.md'), report.replace('complaint', 'investigation'));
    expectFails(await cli('verify', dir), 'REPORT.md', 'sha256');
  });

  it('key order changed in export.json (values and signature untouched) fails', async () => {
    const store = realStore();
    const dir = genuinePackage(store);
    const index = readJson<Record<string, unknown>>(join(dir, 'export.json'));
    const reversed = Object.fromEntries(Object.entries(index).reverse());
    writeFileSync(join(dir, 'export.json'), `${JSON.stringify(reversed, null, 2)}\n`);
    expectFails(await cli('verify', dir, '--trusted-keys', anchorsFor(store)), 'export.json', 'form');
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
    const store = realStore();
    const dir = genuinePackage(store);
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

describe('forged stores', () => {
  /** Drops the `held` entry, rebuilds the whole chain and re-signs the head with `key`. */
  function dropHeld(store: EvidenceStore, key: KeyPair): void {
    const lines = readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
    const rebuilt = relink(lines.filter((e) => e.action !== 'held'), true);
    writeFileSync(store.audit.file, rebuilt.map((e) => `${auditLine(e)}\n`).join(''));
    const body = { format: 'bodycam-audit-head/1', entries: rebuilt.length, lastHash: rebuilt[rebuilt.length - 1]?.hash ?? '0'.repeat(64) };
    writeFileSync(store.audit.headFile, serializeSignedJson({ ...body, signature: signDocument(AUDIT_HEAD_DOMAIN, body, key) }));
  }

  it('the held entry dropped, the chain rebuilt, the head re-signed with a new key put in keys/: fails against the anchored back-office key', async () => {
    const store = realStore();
    const anchors = anchorsFor(store);
    holdRecording(store, real.run.manifest.id, { reason: 'complaint', caseRef: 'K-9' }, { at: '2026-01-02T10:00:00Z', actor: 'clerk' });
    const forger = generateKeyPair('ed25519', 'forger');
    dropHeld(store, forger);
    writeFileSync(join(store.dir, 'keys', 'back-office.ed25519.pub.pem'), publicKeyPem(forger));
    writeFileSync(join(store.dir, 'keys', 'back-office.ed25519.key.pem'), privateKeyPem(forger));
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors), 'audit-head.json', 'head');
    expectIntegrityOnly(await cli('verify', store.dir));
  });

  it('an insider with the real back-office key rewrites history: caught by the witness log from the next witnessed head on', async () => {
    const store = realStore();
    const anchors = anchorsFor(store);
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
    const store = realStore();
    const anchors = anchorsFor(store);
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
    const store = realStore();
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
    const store = realStore();
    const anchors = anchorsFor(store);
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
    const store = realStore();
    const anchors = anchorsFor(store);
    const witness = join(tempDir('witness'), 'heads.jsonl');
    appendWitness(witness, readFileSync(store.audit.file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry),
      generateKeyPair('ed25519', 'forger'), '2026-01-02T11:00:00Z');
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchors, '--witness', witness), 'heads.jsonl', 'witness', /not by the back office/);
  });

  it('a device key swapped in the store registry fails, anchored or not', async () => {
    const store = realStore();
    writeFileSync(join(store.dir, 'devices', `${DEVICE}.pub.pem`), publicKeyPem(generateKeyPair('ed25519', 'swap')));
    expectFails(await cli('verify', store.dir, '--trusted-keys', anchorsFor(store)), `devices/${DEVICE}.pub.pem`, 'registration');
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
    const store = realStore();
    const work = tempDir('enc-sim');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ encryptAtRest: true }));
    const result = await cli('run', '--out', join(work, 'out'), '--config', join(work, 'config.json'), '--back-office-key', join(store.dir, 'keys', 'back-office.x25519.pub.pem'));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/simulation (device )?key/);
    expect(existsSync(join(work, 'out', 'recordings'))).toBe(false);
  });
});

/** The fixture's own scenario with another clock start. */
function withClock(start: string): Record<string, unknown> {
  return { ...readJson<Record<string, unknown>>(join(FIXTURE_DIR, 'scenario.json')), clock: { start } };
}

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
