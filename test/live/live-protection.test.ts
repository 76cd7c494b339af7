/**
 * Issue 15: a live device protects its recordings as a replay does. Its manifests are signed with
 * the same keys (the device's simulation key, or `--device-key`); `verify` accepts the live output
 * folder; `evidence offload` takes its recordings; with `encryptAtRest` it writes `.mkv.enc`.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceStore, loadPrivateKeyFile, offloadDevice, simulationDeviceKey, verifyPath } from '../../src/evidence/index.js';
import { LiveFleet } from '../../src/live/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { cli } from '../evidence/helpers.js';
import { tempDir } from '../helpers/tools.js';
import { waitFor } from '../helpers/wait-for.js';
import { smallLiveFixture } from './live-helpers.js';

/** Runs a one-device fleet that records from 0.3 s until the fleet stops; returns its manifests. */
async function recordLive(options: { config?: Record<string, unknown>; deviceKeyFile?: string; backOfficeKeyFile?: string } = {}): Promise<{ outDir: string; manifests: readonly RecordingManifest[] }> {
  const inputs = tempDir('live-protection-inputs');
  const scenarioFile = join(inputs, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({ format: 'bodycam-scenario/1', events: [{ at: 0.3, signal: 'holster' }] }));
  const configFile = join(inputs, 'config.json');
  writeFileSync(configFile, JSON.stringify(options.config ?? {}));
  const outDir = tempDir('live-protection-out');
  const fleet = await LiveFleet.start({
    sources: [await smallLiveFixture()], devices: 1, scenarioFile, configFile, outDir,
    evidence: {
      ...(options.deviceKeyFile === undefined ? {} : { deviceKeyFile: options.deviceKeyFile }),
      ...(options.backOfficeKeyFile === undefined ? {} : { backOfficeKeyFile: options.backOfficeKeyFile }),
    },
  });
  try {
    await waitFor('the device recording', () => fleet.status().every((status) => status.recording), 10_000);
    await waitFor('half a second of recording', () => fleet.status().every((status) => status.clock.fixtureUs > 900_000), 10_000);
  } finally {
    await fleet.stop();
  }
  return { outDir, manifests: await fleet.stop() };
}

describe('live recordings are protected like a replay\'s', () => {
  it('signs every manifest with the device\'s simulation key; verify accepts the live output folder; offload takes them', async () => {
    const { outDir, manifests } = await recordLive();
    expect(manifests).toHaveLength(1);
    const [manifest] = manifests as [RecordingManifest];
    expect(manifest.file.endsWith('.mkv')).toBe(true);
    expect(manifest.signature?.keyFingerprint).toBe(simulationDeviceKey('DRD-BC-0001').fingerprint);

    const report = verifyPath(outDir);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((check) => check.check === 'signature' && check.ok)).toHaveLength(1);
    expect((await cli('verify', outDir)).code).toBe(0);

    const store = EvidenceStore.init(join(tempDir('live-protection-store'), 'store'));
    const context = { at: '2026-01-02T09:00:00+01:00', actor: 'dock-1' };
    store.registerDevice('DRD-BC-0001', simulationDeviceKey('DRD-BC-0001'), context);
    const items = offloadDevice(store, join(outDir, 'DRD-BC-0001'), context);
    expect(items.map((item) => [item.id, item.status])).toEqual([[manifest.id, 'offloaded']]);
  }, 60_000);

  it('with encryptAtRest writes .mkv.enc, signed with --device-key and encrypted for --back-office-key', async () => {
    const keys = tempDir('live-protection-keys');
    expect((await cli('evidence', 'keygen', '--device', 'DRD-BC-0001', '--out', keys)).code).toBe(0);
    const store = EvidenceStore.init(join(tempDir('live-protection-store'), 'store'), { generateKeys: true });
    const { outDir, manifests } = await recordLive({
      config: { encryptAtRest: true },
      deviceKeyFile: join(keys, 'DRD-BC-0001.key.pem'),
      backOfficeKeyFile: join(store.dir, 'keys', 'back-office.x25519.pub.pem'),
    });
    const [manifest] = manifests as [RecordingManifest];
    expect(manifest.file.endsWith('.mkv.enc')).toBe(true);
    expect(manifest.encryption?.scheme).toBe('bodycam-aes-256-gcm-chunked/1');
    expect(readdirSync(join(outDir, 'DRD-BC-0001', 'recordings')).filter((name) => name.endsWith('.mkv'))).toEqual([]);
    expect(manifest.signature?.keyFingerprint).toBe(loadPrivateKeyFile(join(keys, 'DRD-BC-0001.key.pem'), 'ed25519').fingerprint);
    expect(verifyPath(outDir, { trustedKeys: join(keys, 'DRD-BC-0001.pub.pem') }).ok).toBe(true);
  }, 60_000);
});
