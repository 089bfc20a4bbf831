// `npm test`'s global setup: every temporary folder the tests make (under os.tmpdir(), theirs and their child
// processes') lands in one folder of this test run, deleted when the run ends. A test run leaves nothing in
// the machine's temporary folder, whichever test forgot its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const before = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'customer-api-tests-'));
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
