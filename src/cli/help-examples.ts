/**
 * The examples at the end of every command's `--help`, kept in one table so that every command has
 * some (a test walks the command tree). Each line is a command a user can paste; paths are the
 * README's.
 */
import type { Command } from 'commander';

const REC = 'bodycam-out/recordings/DRD-BC-0001_20261122T140010+0100';
const ID = 'DRD-BC-0001_20261122T140010+0100';

/** Examples by command path (`evidence offload`), each `[command, what it does]`. */
export const HELP_EXAMPLES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  '': [
    ['npx bodycam run', 'replay the bundled fixture with its scenario into bodycam-out/'],
    ['npx bodycam check fixtures/street-warning/scenario.json --junit report.xml', 'check a scenario\'s expectations'],
    ['npx bodycam fixture import clip.mp4 --out my-fixture', 'turn a video into a fixture'],
    ['npx bodycam run --help', 'the options of one command'],
  ],
  run: [
    ['bodycam run', 'the bundled fixture with its own scenario, into bodycam-out/'],
    ['bodycam run my-fixture --scenario park.json --out park-out', 'a fixture folder with another scenario'],
    [`bodycam run ${REC}.mkv --out replayed`, 'replay one of the device\'s own recordings'],
    ['bodycam run --scenario a.json --scenario b.json --jobs 2 --json', 'two scenarios at once, one JSON summary'],
    ['bodycam run my-fixture --allow-outside-fixture', 'a fixture whose files lie (or link) outside its folder'],
  ],
  check: [
    ['bodycam check fixtures/street-warning/scenario.json', 'run a scenario and check its "expect" list'],
    ['bodycam check scenarios/*.json --jobs 2 --junit report.xml', 'many scenarios, JUnit XML for CI'],
    ['bodycam check scenarios/*.json --shard 2/3', 'the second of three CI machines'],
  ],
  fixture: [['bodycam fixture import clip.mp4 --out my-fixture', 'see bodycam fixture import --help']],
  'fixture import': [
    ['bodycam fixture import clip.mp4 --out my-fixture', 'every frame with its real timestamp, and the audio'],
    ['bodycam fixture import clip.mp4 --out my-fixture --from 10 --to 40 --size 640x360', 'an excerpt, scaled'],
    ['bodycam fixture import clip.mp4 --out my-fixture --fps 15 --force', 'a constant 15 fps, replacing the folder'],
  ],
  repair: [
    [`bodycam repair ${REC}.mkv`, 'writes ...repaired.mkv and ...repaired.json beside it'],
    [`bodycam repair ${REC}.mkv --out fixed.mkv`, 'to a file of your choice'],
  ],
  'export-audio': [[`bodycam export-audio ${REC}.mkv --out warning.wav`, 'the audio track, sample for sample']],
  verify: [
    ['bodycam verify bodycam-out/', 'every recording of a run: hash and signature'],
    ['bodycam verify st/', 'a back-office store and its audit log'],
    ['bodycam verify om-package/ --json', 'an export package, as JSON'],
    ['bodycam verify dock/ --trusted-keys anchors/', 'signatures must chain to these keys (device and back office)'],
    ['bodycam verify st/ --trusted-keys anchors/ --witness witness.jsonl', 'a store against its anchors and its witnessed heads'],
  ],
  live: [
    ['bodycam live', 'six devices over the bundled fixture; open the printed page'],
    ['bodycam live my-fixture --devices 2 --port 0 --token secret', 'two devices on a free port'],
    ['bodycam live my-fixture --allow-outside-fixture', 'a fixture whose files lie (or link) outside its folder'],
  ],
  evidence: [['bodycam evidence init --store st/', 'see bodycam evidence <command> --help']],
  'evidence init': [
    ['bodycam evidence init --store st/', 'a store with the simulation keys (not secret)'],
    ['bodycam evidence init --store st/ --generate-keys --retention-days 90', 'real keys, 90 days'],
  ],
  'evidence keygen': [['bodycam evidence keygen --device DRD-BC-0001 --out keys/', 'keys/DRD-BC-0001.key.pem and .pub.pem']],
  'evidence register': [
    ['bodycam evidence register DRD-BC-0001 --simulation-key --store st/ --now 2026-11-22T08:00:00+01:00', 'trust a simulated device (actions are logged in time order)'],
    ['bodycam evidence register DRD-BC-0001 --public-key keys/DRD-BC-0001.pub.pem --store st/', 'trust a real key'],
  ],
  'evidence offload': [['bodycam evidence offload dock/ --store st/ --now 2026-11-23T09:00:00+01:00', 'copy, verify, log, free the device']],
  'evidence list': [['bodycam evidence list --store st/ --now 2026-11-23T09:00:00+01:00', 'recordings, holds and retention']],
  'evidence view': [[`bodycam evidence view ${ID} --out look.mkv --store st/`, 'a playable copy, logged as viewed']],
  'evidence hold': [[`bodycam evidence hold ${ID} --reason investigation --case OM-2026-0451 --store st/`, 'never purged while held']],
  'evidence release': [[`bodycam evidence release ${ID} --case OM-2026-0451 --store st/`, 'end that case\'s hold']],
  'evidence export': [[`bodycam evidence export ${ID} --out om-package/ --case OM-2026-0451 --store st/`, 'a package for the prosecutor']],
  'evidence witness': [['bodycam evidence witness --store st/ --log /srv/published/witness.jsonl --now 2026-11-23T09:05:00+01:00', 'append the signed audit head to a log kept outside the store']],
  'evidence purge': [['bodycam evidence purge --store st/ --now 2027-01-01T00:00:00Z --dry-run', 'what retention would delete']],
};

/** The command's path below the program (`evidence offload`; '' for the program). */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent != null; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

/** Adds the examples of `command` and of every command under it to their help. */
export function addHelpExamples(command: Command): void {
  const examples = HELP_EXAMPLES[commandPath(command)];
  if (examples !== undefined) {
    const width = Math.max(...examples.map(([line]) => line.length));
    command.addHelpText('after', `\nExamples:\n${examples.map(([line, what]) => `  $ ${line.padEnd(width)}  # ${what}`).join('\n')}\n`);
  }
  for (const sub of command.commands) addHelpExamples(sub);
}
