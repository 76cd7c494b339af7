/**
 * The whole chain through the command line (main() of src/cli/main.ts), with real keys: a device
 * key from `evidence keygen`, a store with generated back-office keys, a recording encrypted to
 * it, offload, list, view, hold, export and verify; exit codes 0, 1 and 2.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/evidence/index.js';
import { ffprobeFramePtsUs, requireTestTool, tempDir } from '../helpers/tools.js';
import { FIXTURE_DIR, cli, flipByte } from './helpers.js';

describe('bodycam evidence / verify with real keys', () => {
  it('keygen → run (signed, encrypted) → init → register → offload → list → view → hold → export → verify', async () => {
    requireTestTool('ffprobe');
    const work = tempDir('cli-chain');
    const store = join(work, 'store');
    const device = join(work, 'device');
    const ok = async (...args: string[]): Promise<string> => {
      const result = await cli(...args);
      expect(result.code, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
      return result.stdout;
    };
    await ok('evidence', 'keygen', '--device', 'DRD-BC-0001', '--out', join(work, 'keys'));
    expect((await cli('evidence', 'keygen', '--device', 'DRD-BC-0001', '--out', join(work, 'keys'))).code).toBe(2); // never overwritten
    expect(await ok('evidence', 'init', '--store', store, '--generate-keys', '--retention-days', '31')).toContain('generated back-office keys');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ encryptAtRest: true }));
    await ok('run', FIXTURE_DIR, '--out', device, '--config', join(work, 'config.json'),
      '--device-key', join(work, 'keys', 'DRD-BC-0001.key.pem'), '--back-office-key', join(store, 'keys', 'back-office.x25519.pub.pem'));
    const verifyDevice = await ok('verify', device, '--trusted-keys', join(work, 'keys', 'DRD-BC-0001.pub.pem'));
    expect(verifyDevice).toContain('the key anchored for DRD-BC-0001');
    expect(verifyDevice).toMatch(/Result: all \d+ checks passed against the trust anchors in /);
    // Not registered yet: the offload refuses, the device keeps its recording (exit 1).
    const refused = await cli('evidence', 'offload', device, '--store', store, '--now', '2026-01-02T09:00:00+01:00');
    expect(refused.code).toBe(1);
    await ok('evidence', 'register', 'DRD-BC-0001', '--public-key', join(work, 'keys', 'DRD-BC-0001.pub.pem'), '--store', store, '--now', '2026-01-02T08:00:00+01:00');
    expect((await cli('evidence', 'register', 'DRD-BC-0001', '--simulation-key', '--store', store, '--now', '2026-01-02T08:00:00+01:00')).code).toBe(2);
    expect(await ok('evidence', 'offload', device, '--store', store, '--now', '2026-01-02T09:00:00+01:00', '--actor', 'dock-7'))
      .toMatch(/offloaded {2}DRD-BC-0001_\S+: copied \(device copy freed\)/);
    const listing = JSON.parse(await ok('evidence', 'list', '--store', store, '--now', '2026-01-10T00:00:00Z', '--json')) as { recordings: { id: string; encrypted: boolean; retention: { expiresMs: number } }[] };
    const [recording] = listing.recordings;
    expect(recording).toMatchObject({ encrypted: true });
    expect(new Date(recording?.retention.expiresMs ?? 0).toISOString()).toBe('2026-02-02T08:00:00.000Z'); // 31 days after the offload (later than the end)
    const id = recording?.id ?? '';
    const viewed = join(work, 'viewed.mkv');
    await ok('evidence', 'view', id, '--out', viewed, '--store', store, '--now', '2026-01-03T10:00:00+01:00');
    expect(ffprobeFramePtsUs(viewed).length).toBeGreaterThan(20);
    await ok('evidence', 'hold', id, '--reason', 'complaint', '--case', 'K-2026-12', '--store', store, '--now', '2026-01-03T11:00:00+01:00');
    await ok('evidence', 'export', id, '--out', join(work, 'package'), '--case', 'K-2026-12', '--store', store, '--now', '2026-01-04T09:00:00+01:00');
    // The anchors come from outside the store and the package: the device's key from keygen, the back office's published key.
    const anchors = join(work, 'anchors');
    mkdirSync(anchors);
    copyFileSync(join(work, 'keys', 'DRD-BC-0001.pub.pem'), join(anchors, 'DRD-BC-0001.pub.pem'));
    copyFileSync(join(store, 'keys', 'back-office.ed25519.pub.pem'), join(anchors, 'back-office.pub.pem'));
    const report = JSON.parse(await ok('verify', join(work, 'package'), '--json', '--trusted-keys', anchors)) as VerifyReport;
    expect(report).toMatchObject({ kind: 'export', ok: true, assurance: 'anchored' });
    expect((await cli('verify', join(work, 'package'), '--trusted-keys', join(store, 'devices'))).code).toBe(1); // no back-office anchor: export.json chains to nothing
    expect(await ok('verify', store, '--trusted-keys', anchors)).toMatch(/Result: all \d+ checks passed against the trust anchors/);
    expect(readFileSync(join(work, 'package', 'REPORT.md'), 'utf8')).not.toContain('SIMULATION KEY');
    const storeReport = await ok('verify', store);
    expect(storeReport).toContain('chain: 6 entries');
    expect(storeReport).not.toContain('simulation back-office keys');
    // An auditor's copy without the private keys verifies too (public keys only).
    const copy = join(work, 'store-copy');
    cpSync(store, copy, { recursive: true });
    for (const name of readdirSync(join(copy, 'keys')).filter((n) => n.endsWith('.key.pem'))) rmSync(join(copy, 'keys', name));
    expect(await ok('verify', copy)).toContain('was read from the store\'s keys/ folder');
    expect((await cli('evidence', 'purge', '--store', copy, '--now', '2026-03-01T00:00:00Z')).code).toBe(2);
    // One byte in the stored recording: exit 1, naming the file and the check.
    flipByte(join(store, 'recordings', id, `${id}.mkv.enc`), 1000);
    const broken = await cli('verify', store);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(`bodycam: verify: 1 check failed: recordings/${id}/${id}.mkv.enc (sha256)\n`);
    // Viewing or exporting altered evidence is refused (exit 1).
    expect((await cli('evidence', 'export', id, '--out', join(work, 'package2'), '--store', store, '--now', '2026-01-05T09:00:00+01:00')).code).toBe(1);
    expect(existsSync(join(work, 'package2'))).toBe(false);
  });

  it('bad input and usage exit 2 with one line: a missing key file, a missing store, a bad hold reason', async () => {
    const work = tempDir('cli-bad');
    const missingKey = await cli('run', FIXTURE_DIR, '--out', join(work, 'out'), '--device-key', join(work, 'nope.pem'));
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toMatch(/nope\.pem: expected a PEM private key \(PKCS#8\) of type ed25519, found no such file/);
    expect(existsSync(join(work, 'out', 'recordings'))).toBe(false);
    const noStore = await cli('evidence', 'list', '--store', join(work, 'nowhere'));
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('expected a back-office store (create one with bodycam evidence init --store DIR)');
    expect((await cli('evidence', 'init', '--store', join(work, 's'), '--retention-days', 'soon')).code).toBe(2);
    expect((await cli('evidence', 'register', 'DRD-BC-0001', '--store', join(work, 's'))).code).toBe(2);
  });
});
