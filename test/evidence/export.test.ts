/**
 * The export package for the prosecutor: export → verify round trip, for plain and encrypted
 * recordings; tampering with the package is caught; the export is in the audit log.
 */
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, type ExportIndex, exportRecording, holdRecording, offloadDevice, purgeStore, verifyPath, hashFileSync } from '../../src/evidence/index.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';
import { type DeviceRun, CONTEXT, cli, copyRun, flipByte, newStore, recordDevice } from './helpers.js';

let plain: DeviceRun;
let encrypted: DeviceRun;
beforeAll(async () => {
  requireTestTool('ffprobe');
  plain = await recordDevice();
  encrypted = await recordDevice({ encrypt: true, chunkBytes: 8192 });
});

/** A store holding `run`'s recording, held for case OM-1, exported to a new folder. */
function exported(run: DeviceRun): { dir: string; index: ExportIndex; storeDir: string } {
  const store = newStore();
  offloadDevice(store, copyRun(run).dir, CONTEXT);
  holdRecording(store, run.manifest.id, { reason: 'investigation', caseRef: 'OM-1' }, CONTEXT);
  const dir = join(tempDir('export'), 'package');
  const index = exportRecording(store, run.manifest.id, dir, { at: '2026-01-03T10:00:00+01:00', actor: 'clerk', caseRef: 'OM-1' });
  return { dir, index, storeDir: store.dir };
}

describe('export → verify', () => {
  it('an encrypted recording: the package holds the decrypted recording, the original, keys, excerpt and report, and verifies', async () => {
    const { dir, index, storeDir } = exported(encrypted);
    const id = encrypted.manifest.id;
    expect(readdirSync(dir).sort()).toEqual([`${id}.json`, `${id}.mkv`, `${id}.mkv.enc`, 'REPORT.md', 'audit-excerpt.jsonl', 'back-office-public-key.pem',
      'data-key.json', 'device-public-key.pem', 'export.json'].sort());
    expect(hashFileSync(join(dir, `${id}.mkv`)).sha256).toBe(plain.manifest.sha256); // the same Matroska bytes as an unencrypted recording
    expect(ffprobeFramePtsUs(join(dir, `${id}.mkv`)).length).toBe(encrypted.manifest.video.frames);
    expect(readFileSync(join(dir, `${id}.json`), 'utf8')).toBe(readFileSync(encrypted.manifestFile, 'utf8'));
    expect(index).toMatchObject({ format: 'bodycam-export/1', recordingId: id, case: 'OM-1', encrypted: true, audit: { entries: 4 } });
    const excerpt = readFileSync(join(dir, 'audit-excerpt.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
    expect(excerpt.map((e) => e.action)).toEqual(['recorded', 'offloaded', 'held', 'exported']);
    const report = readFileSync(join(dir, 'REPORT.md'), 'utf8');
    for (const text of [id, 'DRD-BC-0001', 'H-0001', encrypted.manifest.sha256, plain.manifest.sha256, encrypted.manifest.wallClock.start,
      'SIMULATION KEY, NOT SECRET', '| 3 | 2026-01-02T09:00:00+01:00 | held |', 'exported']) {
      expect(report).toContain(text);
    }
    const result = await cli('verify', dir);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('decryption: the encrypted original decrypts to exactly this file');
    expect(result.stdout).toContain('audit-excerpt.jsonl  chain: 4 entries');
    expect((await cli('verify', join(dir, 'export.json'))).code).toBe(0);
    // The export is in the store's log, which still verifies.
    expect(verifyPath(storeDir).ok).toBe(true);
  });

  it('a plain recording: the package verifies (integrity only); the store\'s simulation keys cannot be anchors (exit 2)', async () => {
    const { dir, storeDir } = exported(plain);
    expect(readdirSync(dir)).not.toContain('data-key.json');
    const result = await cli('verify', dir);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('REPORT.md  content: says exactly what the signed files say');
    expect(result.stdout).toMatch(/Result: integrity only: all \d+ integrity checks hold/);
    const anchored = await cli('verify', dir, '--trusted-keys', join(storeDir, 'devices'));
    expect(anchored.code).toBe(2);
    expect(anchored.stderr).toContain('a simulation key');
  });

  it('refuses a purged recording, and a folder that is not empty', () => {
    const store = newStore();
    offloadDevice(store, copyRun(plain).dir, CONTEXT);
    const busy = tempDir('busy');
    writeFileSync(join(busy, 'x'), 'x');
    expect(() => exportRecording(store, plain.manifest.id, busy, CONTEXT)).toThrow(/is not empty/);
    purgeStore(store, { at: '2026-03-01T00:00:00Z', actor: 'retention' }, false);
    expect(() => exportRecording(store, plain.manifest.id, join(tempDir('p'), 'pkg'), CONTEXT)).toThrow(/no such recording in the store/);
  });
});

describe('a tampered package fails verify (exit 1) naming what', () => {
  const cases: { name: string; change: (dir: string, id: string) => void; expect: RegExp }[] = [
    { name: 'one byte of the decrypted recording', change: (dir, id) => flipByte(join(dir, `${id}.mkv`), 5000), expect: /FAIL {2}\S+\.mkv {2}sha256: [\s\S]*FAIL {2}\S+\.mkv {2}decryption: / },
    { name: 'one byte of the encrypted original', change: (dir, id) => flipByte(join(dir, `${id}.mkv.enc`), -3), expect: /FAIL {2}\S+\.mkv\.enc {2}sha256: / },
    { name: 'the manifest', change: (dir, id) => writeFileSync(join(dir, `${id}.json`), readFileSync(join(dir, `${id}.json`), 'utf8').replace('"H-0001"', '"H-0002"')), expect: /FAIL {2}\S+\.json {2}signature: / },
    { name: 'the signed index', change: (dir) => writeFileSync(join(dir, 'export.json'), readFileSync(join(dir, 'export.json'), 'utf8').replace('"case": "OM-1"', '"case": "OM-2"')), expect: /FAIL {2}export\.json {2}signature: the signature does not match/ },
    {
      name: 'an audit excerpt line removed', expect: /FAIL {2}audit-excerpt\.jsonl {2}(sha256|chain): /,
      change: (dir) => {
        const lines = readFileSync(join(dir, 'audit-excerpt.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
        writeFileSync(join(dir, 'audit-excerpt.jsonl'), `${lines.filter((_, i) => i !== 2).join('\n')}\n`);
      },
    },
    { name: 'an added file', change: (dir) => writeFileSync(join(dir, 'notes.txt'), 'x'), expect: /FAIL {2}notes\.txt {2}file: not listed in the signed export\.json/ },
    { name: 'the device key replaced', change: (dir) => appendFileSync(join(dir, 'device-public-key.pem'), '\n'), expect: /FAIL {2}device-public-key\.pem {2}sha256: / },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const { dir } = exported(encrypted);
      testCase.change(dir, encrypted.manifest.id);
      const result = await cli('verify', dir);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stdout).toMatch(testCase.expect);
      expect(result.stderr).toMatch(/^bodycam: verify: \d+ checks? failed: /);
    });
  }

  it('the excerpt checked on its own catches a removed entry even with a re-signed index', () => {
    // Without the back office's key an attacker cannot re-sign export.json; the excerpt's own chain still names the gap.
    const { dir } = exported(encrypted);
    const lines = readFileSync(join(dir, 'audit-excerpt.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(join(dir, 'audit-excerpt.jsonl'), `${lines.filter((_, i) => i !== 1).join('\n')}\n`);
    const report = verifyPath(dir);
    const chain = report.checks.find((c) => c.subject === 'audit-excerpt.jsonl' && c.check === 'chain');
    expect(chain?.ok).toBe(false);
    expect(chain?.detail).toMatch(/line 2 \(seq \d+\): recordingPrev does not link to the previous entry/);
  });
});
