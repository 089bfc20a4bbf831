// The workers' test runner: vitest's own (allure-vitest wraps it), letting go of each test's Allure messages
// once vitest has posted them to the main process. vitest keeps every test of a part file until the file ends,
// and with it what allure-js left in the test's meta (its steps, and its exchanges in base64): a worker's heap
// grew by some 21 kB a check (`--repeat 2000`, measured after a full GC); with this runner it stays flat.
// vitest calls `onTaskUpdate` once it has asked for a batch of updates to be posted (the meta is copied as it
// is posted; the post can wait for a microtask); a test whose batch carries its last update, test-finished, is
// not posted again. Its messages go on the next turn of the event loop, after any such microtask.
// It imports each test and setup file by its own URL: vitest adds a `?vitest=<time>` query (so that a file
// runs again in the same worker, which never happens here: each part file has a worker of its own), encoded
// so that only its module hooks can resolve it (preload-worker.mjs leaves them out).
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { TestRunner } from 'vitest';

export default class ReleasingRunner extends TestRunner {
  importFile(filepath) {
    return import(pathToFileURL(filepath).href);
  }

  onTaskUpdate(packs, events) {
    const finished = new Set(events.filter(([, event]) => event === 'test-finished').map(([id]) => id));
    const metas = packs.filter(([id, , meta]) => finished.has(id) && meta).map(([, , meta]) => meta);
    if (metas.length) setImmediate(() => metas.forEach((meta) => delete meta.allureRuntimeMessages));
    return super.onTaskUpdate?.(packs, events);
  }
}
