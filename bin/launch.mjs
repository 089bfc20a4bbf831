// Starts a command of the suite (bin/<name>.ts) in a process group of its own and relays Ctrl-C and other
// stop signals to it alone. A terminal's Ctrl-C reaches every process of the foreground group; the
// TypeScript loader's helper process would die with it and break the command while it cleans up, so the
// command's group holds only what this launcher relays to. Exit code: the command's (130 for an interrupt).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS, nodeEnvironment } from '../helpers/config/node-flags.mjs';
import { bundle, loadOf } from '../helpers/run/bundle-cache.mjs';

const [name, ...args] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
// the loader as this project resolves it, from whatever folder the launcher was started in
const typescript = ['--import', import.meta.resolve('tsx'), join(here, `${name}.ts`)];

/**
 * A run: its packages loaded natively first (preload-run.mjs), then the run itself from its bundle, built from
 * the sources (bundle-cache.mjs): no TypeScript loader, whose hooks slow every import (a run 0.4 s quicker).
 * Where the bundle cannot be built, the TypeScript through tsx; timing.json says which (CONFORMANCE_RUN_LOAD).
 */
async function conformance() {
  const built = await bundle([`bin/${name}.ts`]);
  const preload = ['--import', join(here, '../helpers/run/preload-run.mjs')];
  const run = 'dir' in built ? [join(built.dir, `${name}.mjs`)] : typescript;
  return { argv: [...preload, ...run], load: loadOf(built) };
}

const { argv, load } = name === 'conformance' ? await conformance() : { argv: typescript };
const child = spawn(process.execPath, [...NODE_FLAGS, ...argv, ...args], {
  stdio: 'inherit',
  detached: true,
  env: nodeEnvironment(load ? { ...process.env, CONFORMANCE_RUN_LOAD: load } : process.env),
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
