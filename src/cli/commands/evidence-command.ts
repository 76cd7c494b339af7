/**
 * `bodycam evidence ...`: the back office's side of the evidence chain (docs/evidence.md).
 * Every command that changes the store takes `--now ISO` (when it happened, for the audit log;
 * without it the host clock is used and printed) and `--actor NAME` (who did it).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { BodycamError } from '../../errors/index.js';
import type { ActionContext } from '../../evidence/index.js';
import { DEFAULT_RETENTION_DAYS, HOLD_REASONS } from '../../evidence/retention.js';
import { parseWallClock } from '../../time/wall-clock.js';
import { type CliIo, UsageOptionError, numberOption } from '../cli-io.js';

interface StoreOptions {
  store: string;
  now?: string;
  actor: string;
}

/** `--now` checked, or the host clock (said so on stdout): the audit log's time of the action. */
function actionContext(options: StoreOptions, io: CliIo): ActionContext {
  if (options.now !== undefined) {
    try {
      parseWallClock(options.now);
    } catch {
      throw new UsageOptionError(`--now: expected an ISO-8601 date-time with an offset, like 2026-11-22T14:00:00+01:00, got ${JSON.stringify(options.now)}`);
    }
    io.stdout.write(`Now: ${options.now} (from --now)\n`);
    return { at: options.now, actor: options.actor };
  }
  const at = new Date().toISOString();
  io.stdout.write(`Now: ${at} (host clock; pass --now to fix it)\n`);
  return { at, actor: options.actor };
}

function withStoreOptions(command: Command, mutating: boolean): Command {
  command.requiredOption('--store <dir>', 'the back-office store (a folder made by bodycam evidence init)');
  if (mutating) {
    command
      .option('--now <iso>', 'when this happens, for the audit log (ISO-8601 with offset); default: the host clock, printed')
      .option('--actor <name>', 'who does it, for the audit log', 'back-office');
  }
  return command;
}

const day = (ms: number): string => new Date(ms).toISOString();

const isInside = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}${sep}`);

/** Registers `evidence` and its subcommands on `program`. */
export function registerEvidenceCommand(program: Command, io: CliIo): void {
  // Each action loads the evidence modules when it runs, not with the CLI (docs/performance.md, "The test suite").
  const evidence = program.command('evidence').description('the back office: offload, list, view, hold, release, purge and export recordings');

  evidence.command('init').description('create a back-office store (a folder)')
    .requiredOption('--store <dir>', 'the folder to create the store in (new or empty)')
    .option('--retention-days <n>', `days a recording is kept after its end (default ${DEFAULT_RETENTION_DAYS})`)
    .option('--generate-keys', 'generate real (random) back-office keys instead of the simulation keys (which are NOT secret)')
    .action(async (options: { store: string; retentionDays?: string; generateKeys?: boolean }) => {
      const { EvidenceStore } = await import('../../evidence/index.js');
      const retentionDays = numberOption('--retention-days', options.retentionDays, 'a whole number of days');
      const store = EvidenceStore.init(options.store, { ...(retentionDays === undefined ? {} : { retentionDays }), generateKeys: options.generateKeys === true });
      io.stdout.write(`Created store ${store.dir}: retention ${store.config.retentionDays} days, ${store.config.keys === 'simulation' ? 'SIMULATION back-office keys (not secret)' : 'generated back-office keys'}\n`);
      io.stdout.write(`  devices encrypt to ${join(store.dir, 'keys', 'back-office.x25519.pub.pem')} (bodycam run --back-office-key FILE)\n`);
    });

  evidence.command('keygen').description('generate a device key pair (Ed25519, PEM): DIR/<id>.key.pem and DIR/<id>.pub.pem')
    .requiredOption('--device <id>', 'the device id')
    .requiredOption('--out <dir>', 'where to write the key files')
    .action(async (options: { device: string; out: string }) => {
      const { generateKeyPair, privateKeyPem, publicKeyPem } = await import('../../evidence/index.js');
      const dir = resolve(options.out);
      const privateFile = join(dir, `${options.device}.key.pem`);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(options.device)) throw new UsageOptionError(`--device: expected a device id of letters, digits, ".", "_" or "-", got ${JSON.stringify(options.device)}`);
      if (existsSync(privateFile)) throw BodycamError.usage(`${privateFile} exists; a key file is never overwritten`);
      mkdirSync(dir, { recursive: true });
      const pair = generateKeyPair('ed25519', privateFile);
      writeFileSync(privateFile, privateKeyPem(pair), { mode: 0o600 });
      chmodSync(privateFile, 0o600);
      writeFileSync(join(dir, `${options.device}.pub.pem`), publicKeyPem(pair));
      io.stdout.write(`Wrote ${privateFile} (keep it on the device: bodycam run --device-key) and ${options.device}.pub.pem (register it: bodycam evidence register)\n`);
      io.stdout.write(`  fingerprint ${pair.fingerprint}\n`);
    });

  withStoreOptions(evidence.command('register').description('trust a device\'s public key (once; a key is never replaced)')
    .argument('<deviceId>', 'the device id')
    .option('--public-key <file>', 'the device\'s Ed25519 public key (PEM)')
    .option('--simulation-key', 'register the device\'s simulation key (NOT secret; for simulated devices)'), true)
    .action(async (deviceId: string, options: StoreOptions & { publicKey?: string; simulationKey?: boolean }) => {
      const { EvidenceStore, loadPublicKeyFile, simulationDeviceKey } = await import('../../evidence/index.js');
      if ((options.publicKey === undefined) === (options.simulationKey !== true)) throw new UsageOptionError('register: give exactly one of --public-key FILE or --simulation-key');
      const store = EvidenceStore.open(options.store);
      const key = options.publicKey !== undefined ? loadPublicKeyFile(options.publicKey, 'ed25519') : simulationDeviceKey(deviceId);
      const result = store.registerDevice(deviceId, key, actionContext(options, io));
      io.stdout.write(`${deviceId}: ${result === 'registered' ? 'registered' : 'already registered'}, key ${key.fingerprint}${options.simulationKey === true ? ' (simulation key, NOT secret)' : ''}\n`);
    });

  withStoreOptions(evidence.command('offload').description('offload a docked device: copy (resumable), verify, log, then free the device\'s space')
    .argument('<deviceDir>', 'the device\'s output folder (holding recordings/)')
    .option('--keep-on-device', 'do not delete the device\'s copies'), true)
    .action(async (deviceDir: string, options: StoreOptions & { keepOnDevice?: boolean }) => {
      const { EvidenceStore, offloadDevice } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const items = offloadDevice(store, deviceDir, { ...actionContext(options, io), keepOnDevice: options.keepOnDevice === true });
      if (items.length === 0) io.stdout.write('No recordings on the device.\n');
      for (const item of items) io.stdout.write(`${item.status === 'failed' ? 'FAILED' : item.status}  ${item.id}: ${item.detail} (device copy ${item.deviceCopy})\n`);
      const failed = items.filter((item) => item.status === 'failed');
      if (failed.length > 0) throw new BodycamError('expectation-failed', `offload: ${failed.length} recording(s) failed their checks and stay on the device: ${failed.map((item) => item.id).join(', ')}`);
    });

  withStoreOptions(evidence.command('list').description('list the recordings, their holds and retention')
    .option('--now <iso>', 'the time retention is computed at (default: the host clock, printed)')
    .option('--json', 'print JSON'), false)
    .action(async (options: StoreOptions & { json?: boolean }) => {
      const { EvidenceStore, listRecordings } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const now = options.now ?? new Date().toISOString();
      const items = listRecordings(store, now);
      if (options.json === true) {
        io.stdout.write(`${JSON.stringify({ now, retentionDays: store.config.retentionDays, recordings: items }, null, 2)}\n`);
        return;
      }
      io.stdout.write(`Now: ${now}${options.now === undefined ? ' (host clock; pass --now to fix it)' : ''}; retention ${store.config.retentionDays} days\n`);
      if (items.length === 0) io.stdout.write('No recordings.\n');
      for (const item of items) {
        const holds = item.holds.length === 0 ? '' : `  HELD: ${item.holds.map((h) => `${h.caseRef} (${h.reason})`).join(', ')}`;
        const expires = item.retention === null ? '' : `  expires ${day(item.retention.expiresMs)}${item.retention.action === 'purge' ? ' (due for purge)' : ''}`;
        io.stdout.write(`${item.status.padEnd(6)}  ${item.id}  ${item.deviceId ?? '?'} / ${item.officerId ?? '?'}  ${item.start ?? '?'} .. ${item.end ?? '?'}${item.encrypted ? '  encrypted' : ''}${expires}${holds}\n`);
      }
    });

  withStoreOptions(evidence.command('view').description('write a playable (decrypted) copy of a recording, logged as viewed')
    .argument('<id>', 'the recording id')
    .requiredOption('--out <file>', 'the .mkv file to write'), true)
    .action(async (id: string, options: StoreOptions & { out: string }) => {
      const { EvidenceStore, viewRecording } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const result = viewRecording(store, id, options.out, actionContext(options, io));
      io.stdout.write(`Wrote ${resolve(options.out)} (${result.bytes} bytes, SHA-256 ${result.sha256}); logged as viewed\n`);
    });

  withStoreOptions(evidence.command('hold').description('put a legal hold on a recording: it is never purged while held')
    .argument('<id>', 'the recording id')
    .addOption(new Option('--reason <reason>', 'why').choices([...HOLD_REASONS]).makeOptionMandatory())
    .requiredOption('--case <ref>', 'the case reference'), true)
    .action(async (id: string, options: StoreOptions & { reason: string; case: string }) => {
      const { EvidenceStore, holdRecording } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      holdRecording(store, id, { reason: options.reason, caseRef: options.case }, actionContext(options, io));
      io.stdout.write(`${id}: held for case ${options.case} (${options.reason})\n`);
    });

  withStoreOptions(evidence.command('release').description('release a recording\'s hold for a case')
    .argument('<id>', 'the recording id')
    .requiredOption('--case <ref>', 'the case reference'), true)
    .action(async (id: string, options: StoreOptions & { case: string }) => {
      const { EvidenceStore, releaseRecording } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      releaseRecording(store, id, options.case, actionContext(options, io));
      io.stdout.write(`${id}: released for case ${options.case}\n`);
    });

  withStoreOptions(evidence.command('purge').description('delete recordings past retention (never held ones); every deletion is logged')
    .option('--dry-run', 'only say what would be deleted'), true)
    .action(async (options: StoreOptions & { dryRun?: boolean }) => {
      const { EvidenceStore, purgeStore } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const context = actionContext(options, io);
      const result = purgeStore(store, context, options.dryRun === true);
      for (const decision of result.decisions) {
        const why = decision.why === 'held' ? `held (${decision.holds.map((h) => h.caseRef).join(', ')})`
          : decision.why === 'within-retention' ? `kept until ${day(decision.expiresMs)}` : `retention ended ${day(decision.expiresMs)}`;
        const verb = decision.action === 'keep' ? 'keep ' : result.dryRun ? 'would purge' : 'purged';
        io.stdout.write(`${verb}  ${decision.recordingId}: ${why}\n`);
      }
      io.stdout.write(`${result.dryRun ? 'Dry run: nothing deleted' : `Purged ${result.purged.length}`} of ${result.decisions.length} recording(s) (retention ${store.config.retentionDays} days)\n`);
    });

  evidence.command('witness').description('publish the audit log\'s head to a witness log kept outside the store (verify --witness checks the store against it)')
    .requiredOption('--store <dir>', 'the back-office store')
    .requiredOption('--log <file>', 'the witness log (append-only, outside the store; created when missing)')
    .option('--now <iso>', 'when the head is published (ISO-8601 with offset); default: the host clock, printed')
    .action(async (options: { store: string; log: string; now?: string }) => {
      const { EvidenceStore, appendWitness } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const log = resolve(options.log);
      if (isInside(log, store.dir)) throw new UsageOptionError(`--log: ${log} is inside the store; a witness log must live outside what it witnesses`);
      const context = actionContext({ ...options, actor: 'back-office' }, io);
      const line = store.withLock(() => appendWitness(log, store.audit.entries(), store.keys.signing, context.at));
      io.stdout.write(`Witnessed head ${line.seq}: ${line.entries} entries, last hash ${line.lastHash} -> ${log}\n`);
    });

  withStoreOptions(evidence.command('export').description('export a recording for the prosecutor: recording, manifest, signatures, keys, audit excerpt, report')
    .argument('<id>', 'the recording id')
    .requiredOption('--out <dir>', 'the package folder to create (new or empty)')
    .option('--case <ref>', 'the case the export is for'), true)
    .action(async (id: string, options: StoreOptions & { out: string; case?: string }) => {
      const { EvidenceStore, exportRecording } = await import('../../evidence/index.js');
      const store = EvidenceStore.open(options.store);
      const index = exportRecording(store, id, options.out, { ...actionContext(options, io), ...(options.case === undefined ? {} : { caseRef: options.case }) });
      io.stdout.write(`Exported ${id} to ${resolve(options.out)}: ${index.files.length + 1} files; check it with bodycam verify ${options.out}\n`);
    });
}
