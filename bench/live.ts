/**
 * `npm run bench:live`: six devices streaming at once from one `bodycam live` process.
 *
 * Starts the built CLI as a child process over the bundled fixture (640x360, 15 fps), opens the
 * six live views with plain node HTTP clients (each view is a stream request: the device records),
 * and measures over BENCH_SECONDS (default 20) after a warm-up: frames per second of each view,
 * how far each device's fixture clock falls behind real time, frames skipped for lateness, and the
 * server process's CPU use (from /proc). Then it stops the server with SIGINT and times the
 * clean shutdown. Prints one JSON object.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { type IncomingMessage, get } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARM_UP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 6);
const TOKEN = 'bench-live-token';
const BOUNDARY = Buffer.from('\r\n--bodycam-live-frame\r\n');
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

interface DeviceStatus {
  id: string;
  streaming: boolean;
  clock: { fixtureUs: number; lagUs: number };
  frames: { delivered: number; skippedLate: number; maxLagUs: number; lastLagUs: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** User + system CPU time of a process, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14, 15)
}

/** The 1-minute load average: other processes on the machine compete for its cores. */
function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolveJson, reject) => {
    get(url, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolveJson(JSON.parse(text) as T));
    }).on('error', reject);
  });
}

/** A live view read by a node client: counts complete parts and the gaps between them. */
class ViewClient {
  parts = 0;
  bytes = 0;
  lastPartMs = 0;
  maxGapMs = 0;
  private tail = Buffer.alloc(0);
  response: IncomingMessage | null = null;

  open(url: string): Promise<void> {
    return new Promise((resolveOpen, reject) => {
      get(url, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
        this.response = res;
        res.on('data', (chunk: Buffer) => this.take(chunk));
        resolveOpen();
      }).on('error', reject);
    });
  }

  private take(chunk: Buffer): void {
    this.bytes += chunk.length;
    const data = Buffer.concat([this.tail, chunk]);
    let from = 0;
    for (let at = data.indexOf(BOUNDARY, from); at >= 0; at = data.indexOf(BOUNDARY, from)) {
      const nowMs = performance.now();
      if (this.parts > 0) this.maxGapMs = Math.max(this.maxGapMs, nowMs - this.lastPartMs);
      this.lastPartMs = nowMs;
      this.parts += 1;
      from = at + BOUNDARY.length;
    }
    this.tail = Buffer.from(data.subarray(Math.max(from, data.length - BOUNDARY.length)));
  }
}

async function startServer(outDir: string): Promise<{ child: ChildProcessWithoutNullStreams; base: string }> {
  const bin = resolve(import.meta.dirname, '..', 'bin', 'bodycam.js');
  const child = spawn(process.execPath, [bin, 'live', '--devices', String(DEVICES), '--port', '0', '--token', TOKEN, '--out', outDir]);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  for (let waited = 0; !/Coordinator page: (\S+)/.test(out); waited += 50) {
    if (child.exitCode !== null || waited > 60_000) throw new Error(`bodycam live did not start: ${out}`);
    await sleep(50);
  }
  const url = new URL(/Coordinator page: (\S+)/.exec(out)?.[1] ?? '');
  return { child, base: url.origin };
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'bodycam-bench-live-'));
  const { child, base } = await startServer(outDir);
  const pid = child.pid as number;
  try {
    const ids = (await getJson<DeviceStatus[]>(`${base}/api/devices`)).map((d) => d.id);
    const views = ids.map(() => new ViewClient());
    await Promise.all(views.map((view, i) => view.open(`${base}/devices/${ids[i]}/live.mjpg?token=${TOKEN}`)));
    await sleep(WARM_UP_MS);

    const before = await getJson<DeviceStatus[]>(`${base}/api/devices`);
    const partsBefore = views.map((v) => v.parts);
    for (const view of views) view.maxGapMs = 0;
    const cpuBefore = cpuSeconds(pid);
    const loadBefore = loadAverage();
    const startMs = performance.now();
    let maxSampledLagUs = 0;
    let maxSampledFrameLagUs = 0;
    let rssMax = 0;
    while (performance.now() - startMs < SECONDS * 1000) {
      await sleep(250);
      const sample = await getJson<DeviceStatus[]>(`${base}/api/devices`);
      maxSampledLagUs = Math.max(maxSampledLagUs, ...sample.map((d) => d.clock.lagUs));
      maxSampledFrameLagUs = Math.max(maxSampledFrameLagUs, ...sample.map((d) => d.frames.lastLagUs));
      rssMax = Math.max(rssMax, rssMiB(pid));
    }
    const elapsedS = (performance.now() - startMs) / 1000;
    const cpuS = cpuSeconds(pid) - cpuBefore;
    const after = await getJson<DeviceStatus[]>(`${base}/api/devices`);

    const fps = views.map((v, i) => (v.parts - (partsBefore[i] ?? 0)) / elapsedS);
    const perDevice = after.map((d, i) => {
      const b = before[i] as DeviceStatus;
      return {
        id: d.id,
        streaming: d.streaming,
        viewFps: round(fps[i] ?? 0, 2),
        viewMaxGapMs: round(views[i]?.maxGapMs ?? 0),
        fixtureSecondsPerRealSecond: round((d.clock.fixtureUs - b.clock.fixtureUs) / 1e6 / elapsedS, 3),
        framesDelivered: d.frames.delivered - b.frames.delivered,
        skippedLate: d.frames.skippedLate - b.frames.skippedLate,
        maxLagUsSinceStart: d.frames.maxLagUs,
      };
    });

    const stopStart = performance.now();
    child.kill('SIGINT');
    const exit = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const shutdownMs = performance.now() - stopStart;
    const manifests = ids.flatMap((id) => readdirSync(join(outDir, id, 'recordings')).filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(outDir, id, 'recordings', name), 'utf8')) as { complete: boolean; video: { frames: number } }));

    console.log(JSON.stringify({
      benchmark: 'bench:live',
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      devices: DEVICES,
      fixture: 'fixtures/street-warning (640x360, 15 fps nominal, jittered)',
      windowSeconds: round(elapsedS, 2),
      viewFps: { median: round(median(fps), 2), min: round(Math.min(...fps), 2), max: round(Math.max(...fps), 2) },
      maxViewGapMs: round(Math.max(...views.map((v) => v.maxGapMs))),
      maxSampledClockLagMs: round(maxSampledLagUs / 1000, 1),
      maxSampledFrameLagMs: round(maxSampledFrameLagUs / 1000, 1),
      skippedLateInWindow: perDevice.reduce((sum, d) => sum + d.skippedLate, 0),
      cpu: { percentOfOneCore: round((cpuS / elapsedS) * 100), percentOfMachine: round((cpuS / elapsedS / cpus().length) * 100) },
      rssMiB: rssMax,
      loadAverage1m: { before: loadBefore, after: loadAverage() },
      shutdown: {
        exitCode: exit,
        ms: Math.round(shutdownMs),
        recordingsFinalized: manifests.filter((m) => m.complete).length,
        framesRecorded: manifests.reduce((sum, m) => sum + m.video.frames, 0),
      },
      perDevice,
    }, null, 2));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
