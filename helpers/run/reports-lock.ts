// One run at a time writes a reports folder: a lock file, taken before anything in it is replaced and
// released when the run ends. A second run into the same folder is refused with one line (exit 2); a lock
// whose process is gone (a killed run) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config.ts';

const OWN_FOLDER = 'give this run its own folder with CONFORMANCE_REPORTS_DIR';

interface Holder {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
}

function alive(h: Holder): boolean {
  if (h.host !== hostname()) return true; // another machine's run: assume it is still going
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

function read(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock, or refuses with a ConfigError naming the run that holds it. Returns the release. */
export function lockReports(dir: string, runId: string, shown = dir): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.run.lock');
  const me: Holder = { pid: process.pid, host: hostname(), runId, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => {
        if (read(file)?.runId === runId) rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const holder = read(file);
      // a lock being written this very moment has no holder yet: it is in use
      if (holder && !alive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      const who = holder
        ? `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`
        : 'another run';
      throw new ConfigError(`${shown}/ is in use by ${who}; wait for it to end, or ${OWN_FOLDER}`);
    }
  }
  throw new ConfigError(`${shown}/ could not be locked for this run; ${OWN_FOLDER}`);
}
