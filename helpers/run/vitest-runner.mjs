// The workers' test runner: vitest's own (allure-vitest wraps it), letting go of each test's Allure messages
// once vitest has posted them to the main process. vitest keeps every test of a part file until the file ends,
// and with it what allure-js left in the test's meta (its steps, and its exchanges in base64): a worker's heap
// grew by some 21 kB a check (`--repeat 2000`, measured after a full GC); with this runner it stays flat.
// vitest calls `onTaskUpdate` after posting a batch of updates (the meta is copied as it is posted); a test
// whose batch carries its last update, test-finished, is not posted again.
import { TestRunner } from 'vitest';

export default class ReleasingRunner extends TestRunner {
  onTaskUpdate(packs, events) {
    const finished = new Set(events.filter(([, event]) => event === 'test-finished').map(([id]) => id));
    for (const [id, , meta] of packs) if (finished.has(id) && meta) delete meta.allureRuntimeMessages;
    return super.onTaskUpdate?.(packs, events);
  }
}
