/** A worker for the pool's tests whose module fails to load. */
import { serveRequests } from '../../../src/workers/index.js';

throw new Error('this worker module is broken on purpose');
serveRequests(() => ({ reply: null })); // never reached
