// The benchmark's target, in a process of its own so the suite's figures do not include serving requests:
// the embedded reference target with an added latency per request. Started by startTargetProcess over IPC;
// answers 'count' with its live customers and requests served, and stops on 'close'.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTarget } from '../../fixtures/target/server.ts';

export interface TargetProcess {
  url: string;
  pid: number;
  /** live customers (all entities) and requests served so far */
  count(): Promise<{ live: number; requests: number }>;
  close(): Promise<void>;
}

type Message = { kind: 'ready'; url: string } | { kind: 'count'; live: number; requests: number };

/** Forks this file with `latencyMs` and waits for the target's URL. */
export async function startTargetProcess(latencyMs: number): Promise<TargetProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [String(latencyMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <K extends Message['kind']>(kind: K): Promise<Extract<Message, { kind: K }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Message) => {
        if (m.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as Extract<Message, { kind: K }>);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the benchmark target exited (code ${code}) before answering`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  return {
    url: ready.url,
    pid: child.pid!,
    async count() {
      const answer = next('count');
      child.send({ kind: 'count' });
      const { live, requests } = await answer;
      return { live, requests };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ kind: 'close' });
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const target = await startTarget({ latencyMs: Number(process.argv[2] ?? 0) });
  process.on('message', (m: { kind: string }) => {
    if (m.kind === 'count') process.send!({ kind: 'count', live: target.count(), requests: target.requests });
    if (m.kind === 'close') void target.close().then(() => process.exit(0));
  });
  // the parent went away: do not linger
  process.on('disconnect', () => void target.close().then(() => process.exit(0)));
  process.send({ kind: 'ready', url: target.url });
}
