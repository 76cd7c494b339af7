/**
 * The MP4 muxer's worker thread (an I/O edge): runs mediabunny's asynchronous muxer for one
 * recording and answers each request of {@link SyncFmp4Muxer} in order, then wakes the caller.
 */
import { workerData as data } from 'node:worker_threads';
import { errorMessage } from '../../errors/index.js';
import { Fmp4Muxer } from './fmp4-muxer.js';
import type { MuxerReply, MuxerRequest, MuxerWorkerData } from './sync-muxer.js';

async function handle(muxer: Fmp4Muxer | null, request: MuxerRequest): Promise<Fmp4Muxer> {
  if (request.op === 'batch') {
    let current = muxer;
    for (const one of request.requests) current = await handle(current, one);
    if (current === null) throw new Error('an empty batch before \'open\'');
    return current;
  }
  if (request.op === 'open') return Fmp4Muxer.open(request.options);
  if (muxer === null) throw new Error(`'${request.op}' before 'open'`);
  if (request.op === 'video') await muxer.addVideo(request.timestampUs, request.data, request.key, request.avcC);
  else if (request.op === 'audio') await muxer.addAudio(request.timestampUs, request.pcm);
  else await muxer.finalize();
  return muxer;
}

function serve(workerData: MuxerWorkerData): void {
  const signal = new Int32Array(workerData.signal);
  const answer = (reply: MuxerReply): void => {
    const buffers = 'writes' in reply ? [...new Set(reply.writes.map((write) => write.data.buffer as ArrayBuffer))] : [];
    workerData.port.postMessage(reply, buffers);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  let muxer: Fmp4Muxer | null = null;
  let queue: Promise<void> = Promise.resolve();
  workerData.port.on('message', (request: MuxerRequest) => {
    queue = queue.then(async () => {
      try {
        muxer = await handle(muxer, request);
        answer({ writes: muxer.takeWrites() });
      } catch (error) {
        answer({ error: errorMessage(error) });
      }
    });
  });
}

if ((data as MuxerWorkerData | null)?.port !== undefined) serve(data as MuxerWorkerData);
