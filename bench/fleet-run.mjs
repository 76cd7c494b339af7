// The benchmark's child process (bench/fleet.ts): runs one team scenario with the compiled
// package's runFleet, as `bodycam run --scenario TEAM.json --out DIR` does, and exits. Its usage
// (peak RSS, CPU time) is written at exit by bench/usage-hook.mjs, preloaded.
import { runFleet } from '../dist/fleet/index.js';

const [scenarioFile, outDir, cameras] = process.argv.slice(2);
// BENCH_TIMELINE=0: no timelines (their per-frame buffer samples and kept events are the run's only per-frame memory).
const timeline = process.env.BENCH_TIMELINE !== '0';
const result = await runFleet({ scenarioFile, outDir, timeline, ...(cameras === undefined ? {} : { cameras: cameras.split(',') }) });
process.stdout.write(`${JSON.stringify({ cameras: result.devices.length, recordings: result.devices.reduce((n, d) => n + d.recordings.length, 0), endUs: result.endUs })}\n`);
