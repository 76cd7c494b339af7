/**
 * The synchronous face of mediabunny's asynchronous muxer: an I/O edge of the container folder.
 *
 * The device writes its recordings synchronously in virtual time (a power cut at `t` leaves
 * exactly the fragments written before `t`), while mediabunny's muxer awaits a mutex and its
 * flushes for every packet. So the muxer runs on a worker thread of its own (one per recording,
 * src/container/mp4/muxer-worker.ts). Packets are posted without waiting (`post`); `flush` blocks
 * on an `Atomics.wait` until the worker has answered every one, taking the replies with
 * `receiveMessageOnPort`: when it returns, every byte the requests so far caused is in the
 * caller's hands. The bytes depend only on the requests made, in order, never on thread timing.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { BodycamError } from '../../errors/index.js';
import type { Fmp4MuxerOptions, PositionedWrite } from './fmp4-muxer.js';

/** A request to the muxer worker; the worker answers each, in order, with a {@link MuxerReply}. */
export type MuxerRequest =
  | { readonly op: 'open'; readonly options: Fmp4MuxerOptions }
  | { readonly op: 'video'; readonly timestampUs: number; readonly data: Uint8Array; readonly key: boolean; readonly avcC: Uint8Array | null }
  | { readonly op: 'audio'; readonly timestampUs: number; readonly pcm: Uint8Array }
  | { readonly op: 'finalize' }
  /** Several requests in one message (the worker runs them in order and answers once). */
  | { readonly op: 'batch'; readonly requests: readonly MuxerRequest[] };

/** The worker's answer: the bytes the request made the muxer write, or why it failed. */
export type MuxerReply = { readonly writes: readonly PositionedWrite[] } | { readonly error: string };

/** What the worker is started with. */
export interface MuxerWorkerData {
  readonly port: MessagePort;
  /** One Int32: set to 1 and notified when a reply (or a start failure) is posted. */
  readonly signal: SharedArrayBuffer;
  readonly module: string;
  readonly tsxApi: string | null;
}

/** Packets sent to the worker in one message: one structured clone and one answer for these many. */
const BATCH_PACKETS = 64;

/** How long a call may take (the first one includes the worker's start) before the run fails. */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * Loads the worker's module, through tsx when running from TypeScript sources; a module that
 * cannot load answers the first request with the reason instead of leaving the caller waiting.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const load = workerData.tsxApi === null ? import(workerData.module)
  : import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.module); });
load.catch((error) => {
  workerData.port.postMessage({ error: 'the MP4 muxer worker could not start: ' + ((error && error.message) || String(error)) });
  const signal = new Int32Array(workerData.signal);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/** tsx's loader API, for a worker running the TypeScript sources (vitest, tsx). */
function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  const manifest = require('tsx/package.json') as { exports: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports['./esm/api']?.import?.default;
  if (entry === undefined) throw BodycamError.runtime('tsx/package.json names no ES module for tsx/esm/api');
  return new URL(entry, pathToFileURL(require.resolve('tsx/package.json'))).href;
}

/** A muxer worker and the blocking calls into it; see the module comment. */
export class SyncFmp4Muxer {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private closed = false;
  /** The ops of the messages sent and not yet answered, oldest first. */
  private readonly outstanding: MuxerRequest['op'][] = [];
  /** Requests posted and not yet sent, with the buffers their message transfers. */
  private batch: MuxerRequest[] = [];
  private transfer: ArrayBuffer[] = [];

  constructor() {
    const module = new URL(`./muxer-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.signal = new Int32Array(shared);
    this.port = channel.port1;
    const workerData: MuxerWorkerData = {
      port: channel.port2, signal: shared, module: module.href, tsxApi: fileURLToPath(module).endsWith('.ts') ? tsxApiUrl() : null,
    };
    this.worker = new Worker(BOOT, { eval: true, workerData, transferList: [channel.port2] });
    // The worker never keeps the process alive: a recording that is dropped leaves nothing running.
    this.worker.unref();
    this.port.unref();
  }

  /**
   * Runs one request on the worker and returns the bytes it wrote (with those of every request
   * {@link post}ed before it, in order). Packet bytes are copied (a view into the pre-record
   * buffer's arena must not take the whole arena with it).
   */
  call(request: MuxerRequest): readonly PositionedWrite[] {
    this.post(request);
    return this.flush();
  }

  /**
   * Sends one request without waiting for it: the worker muxes it while the caller goes on. Its
   * bytes come back, in order, from the next {@link flush} (or {@link call}). One round trip per
   * flush instead of per packet: the recorder flushes once per storage-drain step.
   */
  post(request: MuxerRequest): void {
    if (this.closed) throw BodycamError.runtime('the MP4 muxer was already closed');
    const owned = (bytes: Uint8Array): Uint8Array => {
      const copy = bytes.slice();
      this.transfer.push(copy.buffer);
      return copy;
    };
    this.batch.push(request.op === 'video' ? { ...request, data: owned(request.data) }
      : request.op === 'audio' ? { ...request, pcm: owned(request.pcm) } : request);
    if (this.batch.length >= BATCH_PACKETS) this.send();
  }

  /** Sends the posted requests as one message (the worker starts on them while the caller goes on). */
  private send(): void {
    if (this.batch.length === 0) return;
    const message: MuxerRequest = this.batch.length === 1 ? this.batch[0]! : { op: 'batch', requests: this.batch };
    this.port.postMessage(message, this.transfer);
    this.outstanding.push(message.op);
    this.batch = [];
    this.transfer = [];
  }

  /** True while requests are posted and not yet answered. */
  get pending(): boolean {
    return this.outstanding.length > 0 || this.batch.length > 0;
  }

  /**
   * Waits until the worker has answered every posted request and returns their bytes, in order;
   * the first request that failed throws (after every answer is taken, so none is left behind).
   */
  flush(): readonly PositionedWrite[] {
    this.send();
    const writes: PositionedWrite[] = [];
    let failure: string | null = null;
    while (this.outstanding.length > 0) {
      // Cleared before looking: an answer posted after the look sets it again, so the wait returns at once.
      Atomics.store(this.signal, 0, 0);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) {
        const op = this.outstanding.shift();
        const reply = received.message as MuxerReply;
        if ('error' in reply) failure ??= `${reply.error} (a '${op ?? '?'}' request)`;
        else for (const write of reply.writes) writes.push(write);
        continue;
      }
      if (Atomics.wait(this.signal, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
        throw BodycamError.runtime(`the MP4 muxer worker did not answer a '${this.outstanding[0] ?? '?'}' request within ${ANSWER_TIMEOUT_MS / 1000} s`);
      }
    }
    if (failure !== null) throw BodycamError.runtime(`the MP4 muxer (mediabunny) failed: ${failure}`);
    return writes;
  }

  /** Stops the worker (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    // Terminating a worker that already ended is not a fault of the recording: nothing to report.
    this.worker.terminate().catch(() => undefined);
  }
}
