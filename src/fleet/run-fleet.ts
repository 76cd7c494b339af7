/**
 * A team in virtual time (contract §10): every camera of a fleet scenario on ONE virtual clock,
 * with the trigger bus between them. The composition root of a fleet run, beside src/sim's of one
 * camera: frames go to each camera in capture order across all of them (ties: the scenario's
 * order), a frame shared by cameras on one fixture is read and decoded from its file once, and the
 * host clock is never read, so every run gives the same bytes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { concatMap, from, lastValueFrom } from 'rxjs';
import { Camera } from '../camera/index.js';
import { AudioChunker } from '../encoder/index.js';
import { BodycamError, errorMessage } from '../errors/index.js';
import type { DeviceEvent } from '../events/index.js';
import { type DeviceEvidenceOptions, deviceProtection } from '../evidence/index.js';
import type { PacketResult } from '../media/index.js';
import { type RecordingManifest, type RecordingProtection, writeFileAtomic } from '../recorder/index.js';
import { type BufferSample, TIMELINE_FILES, writeTimeline } from '../report/index.js';
import { checkOutDir, encodeConcurrencyFor, frameWorkBytes, mapInOrder } from '../sim/index.js';
import type { FrameSource } from '../source/index.js';
import { VirtualClock, exactSecondsToUs } from '../time/index.js';
import type { FleetDeviceOutcome, FleetEventListener, FleetRunResult, FleetScenario } from './fleet-types.js';
import { type PreparedFleet, type PreparedFleetCamera, prepareFleet } from './prepare-fleet.js';
import { type FleetPart, beginTeamRun, deviceOutDir, finishTeamRun } from './team-output.js';
import { type CancelDelivery, arrivesTooLate, cancelOf, planTriggerBus } from './trigger-bus.js';

/** What to run: a fleet scenario (parsed or a file) into `outDir`. */
export interface RunFleetOptions {
  /** An already parsed fleet scenario (the library API's inline scenarios); wins over `scenarioFile`. */
  readonly scenario?: FleetScenario;
  readonly scenarioFile?: string;
  /** A device profile JSON for every camera (`--config`; no `deviceId`). */
  readonly configFile?: string;
  /** `DIR`: each camera writes `DIR/devices/<id>/`; the bus log and the team's timeline go in `DIR`. */
  readonly outDir: string;
  /** The devices' keys (default: each camera's own simulation key; encryption to the simulation back office). */
  readonly evidence?: DeviceEvidenceOptions;
  /** Called with every event of every camera as it happens. */
  readonly onEvent?: FleetEventListener;
  /** Called with the fraction of the run's frames replayed (0..1). */
  readonly onProgress?: (fraction: number) => void;
  /** Write the timelines (each camera's and the team's; default true). */
  readonly timeline?: boolean;
  readonly allowOutsideFixture?: boolean;
  /** Frames encoded at once over all cameras (default: as a single replay). */
  readonly encodeConcurrency?: number;
  /**
   * Only these cameras' outputs (a shard, `--shard i/n`): their `devices/<id>/` folders are the
   * bytes a run of the whole team writes there. The senders of their groups run too (a sender's
   * cancel depends on its own run), writing to a scratch folder that is removed; `bus.jsonl` and
   * the team's timeline cover these cameras only. Default: every camera.
   */
  readonly cameras?: readonly string[];
  /** Fault injection (tests): a camera's recording files (default, or undefined: the device's own protection). */
  readonly recordingProtection?: (deviceId: string) => RecordingProtection | undefined;
}

/** One step of the run: a source frame for the cameras on that source, or the end of that source. */
interface Step {
  readonly atUs: number;
  readonly group: number;
  /** Frame index, or -1 for the end of the source's input. */
  readonly frame: number;
}

/** The cameras that capture from one source. */
interface SourceGroup {
  readonly source: FrameSource;
  readonly members: readonly number[];
}

/** Runs a fleet scenario to the end; see the module comment. */
export async function runFleet(options: RunFleetOptions): Promise<FleetRunResult> {
  const whole = await prepareFleet(options);
  const outDir = resolve(options.outDir);
  beginTeamRun(outDir, options.cameras ?? whole.scenario.devices.map((device) => device.id));
  const part = await runPart(options, whole, outDir);
  return finishTeamRun(whole, [part], { outDir, timeline: options.timeline ?? true, ...(options.cameras === undefined ? {} : { cameras: options.cameras }) });
}

/**
 * Runs one part of a team (`cameras`, default every camera) and writes only its cameras' folders,
 * `DIR/devices/<id>/`, not the team's files: what one worker of `bodycam run TEAM.json --jobs N`
 * does. {@link finishTeamRun} makes the team's files from the parts.
 * @throws BodycamError `bad-input` (before anything is written) or `runtime`
 */
export async function runFleetPart(options: RunFleetOptions): Promise<FleetPart> {
  const whole = await prepareFleet(options);
  return runPart(options, whole, resolve(options.outDir));
}

/** Runs the cameras `options.cameras` (with the senders of their groups as shadows) into their folders. */
async function runPart(options: RunFleetOptions, whole: PreparedFleet, outDir: string): Promise<FleetPart> {
  const { fleet, shadows } = shardOf(whole, options.cameras);
  const scratch = shadows.size === 0 ? null : mkdtempSync(join(tmpdir(), 'bodycam-shard-'));
  try {
    return await runPrepared(options, whole, fleet, (id) => (scratch !== null && shadows.has(id) ? join(scratch, id) : deviceOutDir(outDir, id)), shadows);
  } finally {
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The cameras a shard runs: the ones asked for, and as shadows (run, outputs discarded) the
 * senders of their groups, whose cancels reach them. Every camera without `cameras`.
 * @throws BodycamError `usage` for an id the scenario does not have
 */
function shardOf(whole: PreparedFleet, cameras: readonly string[] | undefined): { fleet: PreparedFleet; shadows: ReadonlySet<string> } {
  if (cameras === undefined) return { fleet: whole, shadows: new Set() };
  const ids = whole.cameras.map((camera) => camera.spec.id);
  const unknown = cameras.find((id) => !ids.includes(id));
  if (unknown !== undefined) throw BodycamError.usage(`no camera "${unknown}" in the team (cameras: ${ids.join(', ')})`);
  const wanted = new Set(cameras);
  const groups = new Set(whole.cameras.flatMap((camera) => (wanted.has(camera.spec.id) && camera.spec.group !== null ? [camera.spec.group] : [])));
  const sends = (camera: PreparedFleetCamera): boolean => camera.spec.inputs.some((input) => input.kind === 'signal');
  const shadows = new Set(whole.cameras.filter((camera) => !wanted.has(camera.spec.id) && camera.spec.group !== null && groups.has(camera.spec.group) && sends(camera)).map((camera) => camera.spec.id));
  return { fleet: { ...whole, cameras: whole.cameras.filter((camera) => wanted.has(camera.spec.id) || shadows.has(camera.spec.id)) }, shadows };
}

async function runPrepared(
  options: RunFleetOptions, whole: PreparedFleet, fleet: PreparedFleet, folderOf: (id: string) => string, shadows: ReadonlySet<string>,
): Promise<FleetPart> {
  for (const camera of fleet.cameras) checkOutDir(folderOf(camera.spec.id));
  const protections = fleet.cameras.map((camera) => options.recordingProtection?.(camera.spec.id) ?? deviceProtection(camera.profile, options.evidence));
  for (const camera of fleet.cameras) {
    rmSync(join(folderOf(camera.spec.id), 'run.json'), { force: true });
    mkdirSync(join(folderOf(camera.spec.id), 'recordings'), { recursive: true });
  }
  const withTimeline = options.timeline ?? true;
  const clock = new VirtualClock(0);
  // Every camera's, also in a shard: a delivery to a camera outside it is dropped as the whole run drops it.
  const endUsOf = new Map(whole.cameras.map((camera) => [camera.spec.id, camera.source.endUs]));
  const plan = planTriggerBus(whole.scenario, (id) => endUsOf.get(id) ?? 0);
  const cancels: CancelDelivery[] = [];
  const events = fleet.cameras.map((): DeviceEvent[] => []);
  const startOrder = fleet.cameras.map((): string[] => []);
  const lastEventUs = fleet.cameras.map(() => 0);
  const bufferSamples = fleet.cameras.map((): BufferSample[] => []);
  const cameras: Camera[] = [];
  const indexOf = new Map(fleet.cameras.map((camera, i) => [camera.spec.id, i]));
  /**
   * The team's first fault. A camera whose card fails is one device with a failed card: it logs
   * the fault, cuts its recordings off and records nothing more, while the other cameras run to
   * their end and finish their recordings (issue 18); the run then ends with this error (exit 3).
   * `note` runs after every frame step: cameras report their fault as it happens (`onFault`), so a
   * step costs nothing until one has; then the faulted camera first in the scenario wins, as when
   * every camera was asked in order (a 60-camera team paid a scan of all 60 on every step).
   */
  const faultedCameras: number[] = [];
  const faults = { first: null as BodycamError | null, note: (): void => {
    if (faults.first !== null || faultedCameras.length === 0) return;
    faults.first = cameras[Math.min(...faultedCameras)]?.firstFault ?? null;
  } };

  /** A cancel a sender's log announces goes to its receivers `latencyUs` later (unless their input has ended). */
  const carryCancel = (event: DeviceEvent): void => {
    const cancel = cancelOf(event);
    if (cancel === null) return;
    if (!shadows.has(cancel.sender)) cancels.push(cancel);
    for (const receiver of cancel.receivers) {
      if (arrivesTooLate(cancel.arrivalUs, endUsOf.get(receiver) ?? 0)) continue;
      cameras[indexOf.get(receiver) ?? -1]?.schedule([{ kind: 'bus-cancel', sender: cancel.sender, signalSentUs: cancel.signalSentUs, sentUs: cancel.sentUs, atUs: cancel.arrivalUs }]);
    }
  };

  try {
    fleet.cameras.forEach((prepared, i) => {
      cameras.push(new Camera({
        profile: prepared.profile,
        clock,
        origin: prepared.origin,
        initialState: prepared.spec.initialState,
        outDir: folderOf(prepared.spec.id),
        sensor: prepared.source,
        audio: prepared.source.audio === null ? null : { sampleRate: prepared.source.audio.sampleRate, startUs: prepared.source.audio.startUs, totalSamples: prepared.source.audio.samples.length },
        writingApp: 'bodycam-sim',
        protection: protections[i] ?? deviceProtection(prepared.profile),
        onEvent: (event) => {
          lastEventUs[i] = event.t;
          if (withTimeline) events[i]?.push(event);
          if (event.type === 'recording.start') startOrder[i]?.push(event.id);
          options.onEvent?.(prepared.spec.id, event);
          carryCancel(event);
        },
        onFault: () => faultedCameras.push(i),
      }));
    });
    cameras.forEach((camera, i) => {
      const prepared = fleet.cameras[i] as PreparedFleetCamera;
      camera.start(plan.inputs.get(prepared.spec.id) ?? []);
      if (prepared.source.audio !== null) camera.startAudio(new AudioChunker(prepared.source.audio, prepared.profile.audioChunkMs));
    });
    const framesReplayed = await replayFrames(fleet, cameras, clock, options, withTimeline ? bufferSamples : null, faults.note);
    drainAll(cameras, clock, faults.note);
    const manifests: RecordingManifest[][] = [];
    // Each camera's own end (its input's end, or its last event after it), not the team's: a
    // camera's folder is the same bytes whichever other cameras ran beside it (--shard, --jobs).
    const ownEndUs = fleet.cameras.map((prepared, i) => Math.max(prepared.source.endUs, lastEventUs[i] ?? 0));
    for (const [i, camera] of cameras.entries()) {
      manifests.push(camera.firstFault === null ? await camera.complete(ownEndUs[i]) : await camera.closeAfterFault(ownEndUs[i]));
    }
    faults.note();
    const devices = fleet.cameras.map((prepared, i): FleetDeviceOutcome => {
      const camera = cameras[i] as Camera;
      const order = startOrder[i] ?? [];
      const rank = (m: RecordingManifest): number => { const at = order.indexOf(m.id); return at < 0 ? Number.MAX_SAFE_INTEGER : at; };
      return {
        id: prepared.spec.id,
        officerId: prepared.profile.officerId,
        group: prepared.spec.group,
        outDir: folderOf(prepared.spec.id),
        recordings: [...(manifests[i] ?? [])].sort((a, b) => rank(a) - rank(b) || a.trigger.atUs - b.trigger.atUs),
        eventsFile: camera.eventsFile,
        eventCount: camera.eventCount,
        profile: prepared.profile,
        sourcePath: prepared.source.path,
        framesReplayed: framesReplayed[i] ?? 0,
        framesEncoded: camera.encoderPaths,
      };
    });
    const kept = (_: unknown, i: number): boolean => !shadows.has(fleet.cameras[i]?.spec.id ?? '');
    const outputs = devices.filter(kept);
    // A camera whose card failed keeps its timeline but gets no run.json (its log stays
    // events.jsonl.part), and the part ends with the team's first fault (exit 3): the team's own
    // files, made from finished parts, are not written.
    const faulted = new Set(fleet.cameras.flatMap((prepared, i) => (cameras[i]?.firstFault === null ? [] : [prepared.spec.id])));
    if (withTimeline) await writeDeviceTimelines(whole.scenario, outputs, { events: events.filter(kept), bufferSamples: bufferSamples.filter(kept), ownEndUs: ownEndUs.filter(kept) });
    for (const device of outputs) if (!faulted.has(device.id)) writeDeviceRunJson(whole.scenario, device, withTimeline);
    if (faults.first !== null) throw faults.first;
    return { devices: outputs, events: withTimeline ? events.filter(kept) : null, cancels, endUs: clock.nowUs(), frameReads: Object.fromEntries(fleet.frameReads) };
  } catch (error) {
    if (error === faults.first) throw error;
    const fault = faults.first ?? cameras.map((camera) => camera.firstFault).find((f) => f !== null) ?? null;
    await Promise.all(cameras.map((camera) => camera.abort()));
    throw fault ?? error;
  }
}

/** Feeds every source's frames to its cameras in capture order across all sources; returns the frames each camera was offered. */
async function replayFrames(
  fleet: PreparedFleet, cameras: readonly Camera[], clock: VirtualClock, options: RunFleetOptions, samples: BufferSample[][] | null, noteFaults: () => void,
): Promise<number[]> {
  const groups: SourceGroup[] = [];
  const groupOf = new Map<FrameSource, SourceGroup>();
  fleet.cameras.forEach((camera, i) => {
    const known = groupOf.get(camera.source);
    if (known !== undefined) (known.members as number[]).push(i);
    else {
      const group = { source: camera.source, members: [i] };
      groupOf.set(camera.source, group);
      groups.push(group);
    }
  });
  const steps: Step[] = [];
  groups.forEach((group, g) => {
    group.source.captureUs.forEach((atUs, frame) => steps.push({ atUs, group: g, frame }));
    steps.push({ atUs: group.source.endUs, group: g, frame: -1 });
  });
  // In time order; at one instant an input's end comes before frames, then sources in scenario order.
  steps.sort((a, b) => a.atUs - b.atUs || (a.frame < 0 ? 0 : 1) - (b.frame < 0 ? 0 : 1) || a.group - b.group || a.frame - b.frame);
  const widest = Math.max(...groups.map((group) => group.members.length));
  const first = fleet.cameras[0] as PreparedFleetCamera;
  const perFrame = options.encodeConcurrency ?? encodeConcurrencyFor((cameras[0] as Camera).framesInFlight, frameWorkBytes(
    { width: first.source.width, height: first.source.height, format: first.source.frameFormat ?? 'jpeg' },
    { width: first.profile.video.width ?? first.source.width, height: first.profile.video.height ?? first.source.height }));
  // A step encodes one frame for each of its cameras: keep about as many frames in flight as one replay would.
  const concurrency = Math.max(1, Math.floor(perFrame / widest));
  const offered = fleet.cameras.map(() => 0);
  let done = 0;

  const encodeFor = async (member: number, frame: Uint8Array, captureUs: number): Promise<PacketResult> => {
    try {
      return await (cameras[member] as Camera).encode(frame, captureUs);
    } catch (error) {
      return { ok: false, reason: 'corrupt', detail: errorMessage(error) };
    }
  };
  const read = async (source: FrameSource, index: number): Promise<Uint8Array | Error> => {
    try {
      return await source.readFrame(index);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const speculate = async (step: Step): Promise<{ step: Step; frame: Uint8Array | Error | null; results: (PacketResult | null)[] }> => {
    const group = groups[step.group] as SourceGroup;
    if (step.frame < 0 || !group.members.some((m) => (cameras[m] as Camera).wantsFrames())) return { step, frame: null, results: [] };
    const frame = await read(group.source, step.frame);
    const captureUs = group.source.captureUs[step.frame] ?? 0;
    const results = await Promise.all(group.members.map((m) => {
      if (!(cameras[m] as Camera).wantsFrames()) return null;
      return frame instanceof Error ? { ok: false as const, reason: 'corrupt' as const, detail: errorMessage(frame) } : encodeFor(m, frame, captureUs);
    }));
    return { step, frame, results };
  };
  const deliver = async ({ step, frame, results }: Awaited<ReturnType<typeof speculate>>): Promise<void> => {
    const group = groups[step.group] as SourceGroup;
    clock.advanceTo(Math.max(clock.nowUs(), step.atUs));
    if (step.frame < 0) {
      for (const m of group.members) (cameras[m] as Camera).endInput();
    } else {
      let bytes = frame;
      for (const [k, m] of group.members.entries()) {
        const camera = cameras[m] as Camera;
        offered[m] = (offered[m] ?? 0) + 1;
        if (camera.isBuffering) {
          let result = results[k] ?? null;
          if (result === null) {
            bytes ??= await read(group.source, step.frame);
            result = bytes instanceof Error ? { ok: false, reason: 'corrupt', detail: errorMessage(bytes) } : await encodeFor(m, bytes, step.atUs);
          }
          camera.deliverFrame(step.atUs, result);
          // Delivered means copied into the camera's pre-record buffer: the encoder may reuse its bytes.
          if (result.ok) result.release?.();
        }
        samples?.[m]?.push({ atUs: step.atUs, ...camera.bufferFill() });
      }
    }
    noteFaults();
    done += 1;
    options.onProgress?.(done / steps.length);
  };
  await lastValueFrom(from(steps).pipe(mapInOrder(speculate, concurrency), concatMap(deliver)), { defaultValue: undefined });
  return offered;
}

/** How long virtual time may run after every input ended before a drain that never ends is a bug. */
const DRAIN_LIMIT_US = 30 * 86_400_000_000;

/** After every input ended: runs the one clock until every camera's recordings are written and finalized. */
function drainAll(cameras: readonly Camera[], clock: VirtualClock, noteFaults: () => void): void {
  const limitUs = clock.nowUs() + DRAIN_LIMIT_US;
  while (cameras.some((camera) => camera.busy)) {
    const nextUs = clock.nextDueUs();
    if (nextUs === undefined || nextUs > limitUs) {
      throw BodycamError.runtime(`the storage drain had not finished ${DRAIN_LIMIT_US / 86_400_000_000} days of virtual time after the end of the input (nothing left scheduled: ${nextUs === undefined})`);
    }
    clock.advanceTo(Math.max(nextUs, clock.nowUs()));
    noteFaults();
  }
}

/** Each camera's timeline (its folder, as a one-camera run writes it). */
async function writeDeviceTimelines(
  scenario: FleetScenario, devices: readonly FleetDeviceOutcome[],
  timeline: { events: readonly DeviceEvent[][]; bufferSamples: readonly BufferSample[][]; ownEndUs: readonly number[] },
): Promise<void> {
  const title = scenario.file === null ? 'team' : basename(scenario.file);
  for (const [i, device] of devices.entries()) {
    await writeTimeline(device.outDir, {
      title: `${device.id} - ${title}`,
      events: timeline.events[i] ?? [],
      recordings: device.recordings,
      bufferSamples: timeline.bufferSamples[i] ?? [],
      preRecordUs: exactSecondsToUs(device.profile.preRecordSeconds),
      bufferBytes: device.profile.bufferBytes,
      endUs: timeline.ownEndUs[i] ?? 0,
    });
  }
}

/** A camera's `run.json`, written last in its folder. */
function writeDeviceRunJson(scenario: FleetScenario, device: FleetDeviceOutcome, timeline: boolean): void {
  writeFileAtomic(join(device.outDir, 'run.json'), `${JSON.stringify({
    format: 'bodycam-run/1',
    source: device.sourcePath,
    scenario: scenario.file,
    device: device.id,
    files: ['events.jsonl', ...(timeline ? TIMELINE_FILES : []), ...device.recordings.flatMap((m) => [`recordings/${m.file}`, `recordings/${m.id}.json`])],
  }, null, 2)}\n`);
}
