/** A worker for the pool's tests: answers with its own module URL, reports progress, throws on request. */
import { serveRequests } from '../../../src/workers/index.js';

serveRequests<{ readonly value: number; readonly fail?: boolean; readonly exit?: boolean }, { readonly value: number; readonly module: string }>((request, progress) => {
  if (request.exit === true) process.exit(7);
  if (request.fail === true) throw new Error(`asked to fail with ${request.value}`);
  progress(request.value / 2);
  return { reply: { value: request.value * 2, module: import.meta.url } };
});
