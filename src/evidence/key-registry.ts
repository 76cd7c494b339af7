/**
 * Trusted device keys for `bodycam verify --trusted-keys PATH`: a folder of `<deviceId>.pub.pem`
 * files (a store's `devices/` folder is one), or one PEM file trusted for every device.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BodycamError } from '../errors/index.js';
import { type PublicKeyInfo, loadPublicKeyFile } from './keys.js';
import type { KeyTrust } from './recording-checks.js';

/** Loads a registry from a folder or a single PEM file. */
export function loadKeyRegistry(path: string): KeyTrust {
  const root = resolve(path);
  if (!existsSync(root)) throw BodycamError.badInput({ file: root }, 'a folder of <deviceId>.pub.pem files or one PEM public key', 'nothing at that path');
  if (!statSync(root).isDirectory()) {
    const key = loadPublicKeyFile(root, 'ed25519');
    return { kind: 'registry', lookup: () => ({ key, source: basename(root) }) };
  }
  const keys = new Map<string, PublicKeyInfo>();
  for (const name of readdirSync(root).filter((n) => n.endsWith('.pub.pem'))) {
    keys.set(name.slice(0, -'.pub.pem'.length), loadPublicKeyFile(join(root, name), 'ed25519'));
  }
  if (keys.size === 0) throw BodycamError.badInput({ file: root }, 'at least one <deviceId>.pub.pem file', 'none');
  return {
    kind: 'registry',
    lookup: (deviceId) => {
      const key = keys.get(deviceId);
      return key === undefined ? null : { key, source: `${basename(root)}/${deviceId}.pub.pem` };
    },
  };
}
