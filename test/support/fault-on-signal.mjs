// Loaded into a run's process by a test (NODE_OPTIONS=--import): on SIGUSR2, a fault nothing catches, of the
// kind FAULT_KIND names: 'exception' (thrown from an event listener, as vitest's pool emits 'error' when a
// worker dies) or 'rejection' (a promise rejected with no handler). Only in the run's main thread.
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.argv[1]?.endsWith('conformance.ts'))
  process.on('SIGUSR2', () => {
    if (process.env.FAULT_KIND === 'rejection') void Promise.reject(new Error('injected rejection'));
    else throw new Error('injected exception');
  });
