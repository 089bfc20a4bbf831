// The process that renders a run's report (allure-generate.mjs): plain JavaScript, so that the run's preload
// (helpers/run/preload-run.mjs) can start it before anything else loads. Allure then loads (a third of a
// second) on the core the run leaves idle while it starts, instead of beside the workers' start. The run's
// renderer (render-allure.ts) takes over the one started ahead, or starts its own.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../config/node-flags.mjs';

const GENERATOR = fileURLToPath(new URL('./allure-generate.mjs', import.meta.url));
const AHEAD = Symbol.for('customer-api-conformance.allure-generator');

/** What `child` says next, or its exit as a failure. */
export function nextSaid(child) {
  return new Promise((done) => {
    const onMessage = (m) => settle(m);
    const onExit = (code) => settle({ kind: 'failed', why: `the generator exited (${code})` });
    const onError = (e) => settle({ kind: 'failed', why: e.message });
    const settle = (m) => {
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      done(m);
    };
    child.once('message', onMessage).once('exit', onExit).once('error', onError);
  });
}

/** The generator, started, and what it says first ('ready' once Allure is loaded). */
export function startGenerator() {
  // no TypeScript loader. A group of its own: a Ctrl-C sent to the run's group is the run's to handle, and an
  // interrupted run still renders its report
  const child = fork(GENERATOR, [], {
    execArgv: [...NODE_FLAGS],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    detached: true,
  });
  return { child, first: nextSaid(child) };
}

/** Starts the generator for the run to take over; until then it keeps no process alive. */
export function startAhead() {
  const ahead = startGenerator();
  ahead.child.unref();
  ahead.child.channel?.unref();
  globalThis[AHEAD] = ahead;
}

/** The generator started ahead, once; undefined when none was. */
export function takeAhead() {
  const ahead = globalThis[AHEAD];
  delete globalThis[AHEAD];
  ahead?.child.ref();
  ahead?.child.channel?.ref();
  return ahead;
}
