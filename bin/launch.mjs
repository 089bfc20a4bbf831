// Starts a command of the suite (bin/<name>.ts) in a process group of its own and relays Ctrl-C and other
// stop signals to it alone. A terminal's Ctrl-C reaches every process of the foreground group; the
// TypeScript loader's helper process would die with it and break the command while it cleans up, so the
// command's group holds only what this launcher relays to. Exit code: the command's (130 for an interrupt).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, ...args] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
// a run's packages load natively before the TypeScript loader's hooks, which would slow each import
const preload = name === 'conformance' ? ['--import', join(here, '../helpers/run/preload-run.mjs')] : [];
// the loader as this project resolves it, from whatever folder the launcher was started in
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, [...preload, '--import', tsx, join(here, `${name}.ts`), ...args], {
  stdio: 'inherit',
  detached: true,
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
