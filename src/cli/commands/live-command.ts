/** `bodycam live`: devices paced by the real clock, and the coordinator's HTTP server (contract §7). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_LIVE_HOST, DEFAULT_LIVE_PORT } from '../../live/live-defaults.js';
import type { RecordingManifest } from '../../recorder/index.js';
import { type CliIo, UsageOptionError, numberOption } from '../cli-io.js';
import { addKeyOptions, evidenceOf } from '../key-options.js';
import { errorMessage } from '../../errors/index.js';

interface LiveCommandOptions {
  devices?: string;
  port?: string;
  token?: string;
  out: string;
  host: string;
  scenario?: string;
  config?: string;
  deviceKey?: string;
  backOfficeKey?: string;
  allowOutsideFixture?: boolean;
}

/** Registers `live` on `program`. */
export function registerLiveCommand(program: Command, io: CliIo): void {
  const command = program
    .command('live')
    .description('run devices in real time over looping fixtures and serve the coordinator\'s live view (stop with Ctrl+C)')
    .argument('[source...]', 'fixture folders, one device each (default: the bundled fixture)')
    .option('--devices <n>', 'number of devices (default: one per source, else 6); with sources, devices take them in turn')
    .option('--port <port>', `port to listen on (0: a free one)`, String(DEFAULT_LIVE_PORT))
    .option('--host <address>', 'address to bind to; anything but 127.0.0.1 exposes the devices to the network', DEFAULT_LIVE_HOST)
    .option('--token <token>', 'access token for every request (default: a random one, printed)')
    .option('--out <dir>', 'output folder: <dir>/<deviceId>/recordings and events.jsonl', 'bodycam-live')
    .option('--scenario <file>', 'a scenario whose events every device replays on every loop of its fixture; a team scenario (with "devices") runs its cameras, their events and trigger bus in real time')
    .option('--config <file>', 'device profile JSON (contract §5 keys) for every device')
    .option('--allow-outside-fixture', 'read fixture paths and symlinks that lead outside a fixture\'s folder (refused by default: a fixture is self-contained)');
  addKeyOptions(command, 'the')
    .action(async (sources: string[], options: LiveCommandOptions) => {
      const devices = integerOption('--devices', options.devices, 1);
      const port = integerOption('--port', options.port, 0) ?? DEFAULT_LIVE_PORT;
      if (port > 65535) throw new UsageOptionError(`--port: expected a port from 0 to 65535, got ${port}`);
      // the live modules load when `live` runs, not with the CLI (docs/performance.md, "The test suite")
      const { assertToken, randomToken } = await import('../../live/index.js');
      const token = options.token ?? randomToken();
      assertToken(token);
      await runLive({ sources, devices, port, token, options }, io);
    });
}

function integerOption(name: string, value: string | undefined, min: number): number | undefined {
  const parsed = numberOption(name, value, `an integer of at least ${min}`);
  if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < min)) {
    throw new UsageOptionError(`${name}: expected an integer of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

async function runLive(
  args: { sources: string[]; devices: number | undefined; port: number; token: string; options: LiveCommandOptions },
  io: CliIo,
): Promise<void> {
  const { options } = args;
  const [{ LiveFleet, startLiveServer, startLiveTeam }, { isFleetScenario, loadAnyScenario }] = await Promise.all([
    import('../../live/index.js'), import('../../fleet/index.js'),
  ]);
  const outDir = resolve(options.out);
  const team = options.scenario === undefined ? false : isFleetScenario(await loadAnyScenario(options.scenario));
  if (team && (args.sources.length > 0 || args.devices !== undefined)) {
    throw new UsageOptionError('--scenario: a team scenario names its own cameras and fixtures; give no SOURCE and no --devices with it');
  }
  const onError = (deviceId: string, error: unknown): void => {
    io.stderr.write(`bodycam: ${deviceId} failed: ${errorMessage(error)}\n`);
  };
  const fleet = team ? await startLiveTeam({
    scenarioFile: options.scenario as string,
    ...(options.config === undefined ? {} : { configFile: options.config }),
    outDir,
    evidence: evidenceOf(options),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    onError,
  }) : await LiveFleet.start({
    sources: args.sources,
    ...(args.devices === undefined ? {} : { devices: args.devices }),
    ...(options.scenario === undefined ? {} : { scenarioFile: options.scenario }),
    ...(options.config === undefined ? {} : { configFile: options.config }),
    outDir,
    evidence: evidenceOf(options),
    ...(options.allowOutsideFixture === true ? { allowOutsideFixture: true } : {}),
    onError,
  });
  let server;
  try {
    server = await startLiveServer({
      fleet,
      token: args.token,
      host: options.host,
      port: args.port,
      onError: (error) => io.stderr.write(`bodycam: request failed: ${errorMessage(error)}\n`),
    });
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  const names = [...new Set(fleet.devices.map((device) => device.status().source))].join(', ');
  io.stdout.write(`bodycam live: ${fleet.devices.length} device${fleet.devices.length === 1 ? '' : 's'} (${names}), recordings under ${outDir}\n`);
  io.stdout.write(`Coordinator page: ${server.url}?token=${args.token}\n`);
  if (options.host !== DEFAULT_LIVE_HOST) io.stderr.write(`bodycam: warning: listening on ${options.host}, not only this machine; anyone with the token can watch\n`);
  io.stdout.write('Stop with Ctrl+C: recordings are stopped and finalized.\n');

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (name: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // A second signal while finalizing is ignored: cutting the finalize short would leave files without their Cues.
  const ignore = (): void => {
    io.stderr.write('bodycam: still finalizing recordings…\n');
  };
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  try {
    io.stdout.write(`${signal}: stopping the devices and finalizing their recordings…\n`);
    const manifests = await fleet.stop();
    await server.close();
    io.stdout.write(formatShutdown(manifests, outDir));
    // A camera whose storage failed ran on as a device does (cut off, logged); the run ends with the first such fault: exit 3.
    if (fleet.firstFault !== null) throw fleet.firstFault;
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', ignore);
  }
}

function formatShutdown(manifests: readonly RecordingManifest[], outDir: string): string {
  const lines = [`${manifests.length} recording${manifests.length === 1 ? '' : 's'} finalized.`];
  for (const m of manifests) {
    lines.push(`  ${outDir}/${m.deviceId}/recordings/${m.file}: ${m.video.frames} frames, trigger ${m.trigger.source}, stop ${m.stop.reason}${m.complete ? '' : ' [INCOMPLETE]'}`);
  }
  return `${lines.join('\n')}\n`;
}
