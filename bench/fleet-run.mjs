// The benchmark's child process (bench/fleet.ts): runs one team scenario with the compiled
// package, as `bodycam run TEAM.json --out DIR [--jobs N] [--shard i/n]` does, and exits. Its usage
// (peak RSS, CPU time of every thread) is written at exit by bench/usage-hook.mjs, preloaded.
//   node bench/fleet-run.mjs TEAM.json DIR [--jobs N] [--shard i/n] [--cameras A,B]
import { parseArgs } from 'node:util';
import { runFleet, loadFleetScenario } from '../dist/fleet/index.js';
import { parseShard, runTeamJobs, selectCameraShard } from '../dist/parallel/index.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { jobs: { type: 'string' }, shard: { type: 'string' }, cameras: { type: 'string' } } });
const [scenarioFile, outDir] = positionals;
// BENCH_TIMELINE=0: no timelines (their per-frame buffer samples and kept events are the run's only per-frame memory).
const timeline = process.env.BENCH_TIMELINE !== '0';
let cameras = values.cameras?.split(',');
if (values.shard !== undefined) {
  const scenario = await loadFleetScenario(scenarioFile);
  cameras = selectCameraShard(scenario.devices.map((device) => device.id), parseShard(values.shard));
}
const jobs = Number(values.jobs ?? 1);
const common = { scenarioFile, outDir, timeline, ...(cameras === undefined ? {} : { cameras }) };
const result = jobs > 1 ? await runTeamJobs({ ...common, jobs }) : await runFleet(common);
process.stdout.write(`${JSON.stringify({ cameras: result.devices.length, recordings: result.devices.reduce((n, d) => n + d.recordings.length, 0), endUs: result.endUs })}\n`);
