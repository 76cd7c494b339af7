/**
 * The worker side of a {@link WorkerPool}: answers each request with the handler's reply (moving
 * the buffers it names instead of copying them), its progress messages on the way, or the error
 * it threw; and tells the pool it has started once its module has loaded.
 */
import { parentPort } from 'node:worker_threads';
import type { Transferable } from 'node:worker_threads';
import { errorMessage } from '../errors/index.js';
import type { FromWorker, ToWorker } from './worker-pool.js';

/** A handler's answer: the reply, and buffers to move with it. */
export interface Answer<Reply> {
  readonly reply: Reply;
  readonly transfer?: readonly Transferable[];
}

/**
 * Serves the pool's requests with `handle` (which may report progress). Call once, at the end of
 * a worker module's loading; does nothing outside a worker thread.
 */
export function serveRequests<Request, Reply>(handle: (request: Request, progress: (value: unknown) => void) => Promise<Answer<Reply>> | Answer<Reply>): void {
  const port = parentPort;
  if (port === null) return;
  port.on('message', (message: ToWorker) => {
    const { id } = message;
    const post = (out: FromWorker, transfer: readonly Transferable[] = []): void => port.postMessage(out, [...transfer]);
    new Promise<Answer<Reply>>((resolve) => resolve(handle(message.request as Request, (progress) => post({ id, progress })))).then(
      (answer) => post({ id, reply: answer.reply }, answer.transfer),
      (error: unknown) => post({ id, error: errorMessage(error) }),
    );
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}
