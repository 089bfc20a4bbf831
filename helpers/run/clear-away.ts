// A previous run's Allure folders hold thousands of files, and deleting them one by one took a quarter of a
// second before the first check. They are renamed aside at once (one rename each, the same folder) and
// deleted in the background while the run goes on; the run waits for that before it ends. Folders set aside
// by a run that was killed meanwhile go with the next run's. The deletion is `rm -rf`'s, in a process of its own:
// Node's recursive rm calls back into this process for each of the thousand files (20 ms of its main thread
// on a quiet machine, while it starts the checks).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const ASIDE = '.cleared-';

/** Empties `names` in `dir` now and deletes what they held in the background; the deletion's end. */
export function clearAway(dir: string, names: readonly string[]): Promise<void> {
  const stamp = `${process.pid}-${Date.now()}`;
  for (const name of names) {
    if (!existsSync(join(dir, name))) continue;
    renameSync(join(dir, name), join(dir, `${ASIDE}${name}-${stamp}`));
  }
  const aside = existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(ASIDE)) : [];
  // a folder that cannot be deleted stays aside, under its telling name, for the next run to try
  return aside.length ? remove(aside.map((f) => join(dir, f))) : Promise.resolve();
}

/** Deletes `paths` with `rm -rf`, or with Node's rm where there is none; never fails. */
function remove(paths: string[]): Promise<void> {
  const withNode = () =>
    Promise.all(paths.map((p) => rm(p, { recursive: true, force: true }).catch(() => undefined))).then(() => undefined);
  if (process.platform === 'win32') return withNode();
  return new Promise((done) => {
    const child = spawn('rm', ['-rf', '--', ...paths], { stdio: 'ignore' });
    child.on('error', () => void withNode().then(done));
    child.on('exit', () => done());
  });
}
