/**
 * Helpers of the evidence tests: real device output made by running the real pipeline on the tiny
 * fixture test/fixtures/jitter-drops (one recording of about 3 s, ~100 KB), copies of it per test,
 * byte tampering, and the CLI run through main() with its output captured.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { type ChunkEncryptionEvent, EvidenceStore, simulationDeviceKey } from '../../src/evidence/index.js';
import type { RecordingManifest } from '../../src/recorder/index.js';
import { runJob } from '../../src/sim/run-job.js';
import { tempDir } from '../helpers/tools.js';

/** The tiny fixture the tests record from. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/jitter-drops', import.meta.url));

/** The time every store action in the tests happens at, unless a test says otherwise. */
export const AT = '2026-01-02T09:00:00+01:00';
/** The actor of the tests' store actions. */
export const ACTOR = 'test-officer';
/** An action context for store calls. */
export const CONTEXT = { at: AT, actor: ACTOR };

/** A device's output folder made by the real pipeline, and its one recording. */
export interface DeviceRun {
  readonly dir: string;
  readonly recordingsDir: string;
  readonly manifest: RecordingManifest;
  readonly manifestFile: string;
  readonly recordingFile: string;
}

/** Options of {@link recordDevice}. */
export interface RecordOptions {
  readonly encrypt?: boolean;
  readonly chunkBytes?: number;
  readonly onEncrypt?: (recordingId: string, event: ChunkEncryptionEvent) => void;
  /** A scenario (bodycam-scenario/1) instead of the fixture's own. */
  readonly scenario?: Record<string, unknown>;
  readonly deviceKeyFile?: string;
  readonly backOfficeKeyFile?: string;
}

/** Runs the real pipeline once into a new folder. */
export async function recordDevice(options: RecordOptions = {}): Promise<DeviceRun> {
  const dir = tempDir('evidence-device');
  const inputs = tempDir('evidence-inputs');
  const configFile = join(inputs, 'config.json');
  writeFileSync(configFile, JSON.stringify({ encryptAtRest: options.encrypt === true }));
  let scenarioFile: string | undefined;
  if (options.scenario !== undefined) {
    scenarioFile = join(inputs, 'scenario.json');
    writeFileSync(scenarioFile, JSON.stringify(options.scenario));
  }
  const result = await runJob({
    source: FIXTURE_DIR,
    outDir: dir,
    configFile,
    ...(scenarioFile === undefined ? {} : { scenarioFile }),
    evidence: {
      ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
      ...(options.onEncrypt === undefined ? {} : { onEncrypt: options.onEncrypt }),
      ...(options.deviceKeyFile === undefined ? {} : { deviceKeyFile: options.deviceKeyFile }),
      ...(options.backOfficeKeyFile === undefined ? {} : { backOfficeKeyFile: options.backOfficeKeyFile }),
    },
  });
  const manifest = result.recordings[0];
  if (manifest === undefined) throw new Error('the fixture run made no recording');
  return describeRun(dir, manifest);
}

function describeRun(dir: string, manifest: RecordingManifest): DeviceRun {
  const recordingsDir = join(dir, 'recordings');
  return { dir, recordingsDir, manifest, manifestFile: join(recordingsDir, `${manifest.id}.json`), recordingFile: join(recordingsDir, manifest.file) };
}

/** A private copy of a device run (tests may tamper with or offload it). */
export function copyRun(run: DeviceRun): DeviceRun {
  const dir = tempDir('evidence-copy');
  cpSync(run.dir, dir, { recursive: true });
  return describeRun(dir, run.manifest);
}

/** A new store with the simulation device key of DRD-BC-0001 registered. */
export function newStore(options: { retentionDays?: number; generateKeys?: boolean } = {}): EvidenceStore {
  const store = EvidenceStore.init(join(tempDir('evidence-store'), 'store'), options);
  store.registerDevice('DRD-BC-0001', simulationDeviceKey('DRD-BC-0001'), { at: '2026-01-01T00:00:00Z', actor: ACTOR });
  return store;
}

/** XORs byte `offset` of `file` with `mask` (default 0x01). */
export function flipByte(file: string, offset: number, mask = 0x01): void {
  const bytes = readFileSync(file);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at] = (bytes[at] ?? 0) ^ mask;
  writeFileSync(file, bytes);
}

/** What one CLI run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs `bodycam ARGS` through main() (src/cli/main.ts). */
export async function cli(...args: string[]): Promise<CliResult> {
  const out = collector();
  const err = collector();
  const code = await main(['node', 'bodycam', ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
