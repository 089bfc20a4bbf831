// One benchmark measurement, in a fresh process (so each has its own peak memory and none shares an event
// loop with the target): the suite engine (the checks, CheckContext, CustomerApi, HttpClient and ledger of
// `npm run conformance`, run by the in-process runner), the bare-undici replay, or a soak.
// Input: one JSON argument; output: one `BENCH_RESULT {json}` line on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import type { CheckInfo, StepReporter } from '../report/result.ts';
import { createRunEnv, embeddedConfig } from '../run/run-env.ts';
import type { SuitePort } from '../run/suite-port.ts';
import { recordExchange, replay, replayAgent, type Chain, type ReplayResult } from './replay.ts';
import { soak, type SoakResult } from './soak.ts';

/** the process a job runs in (a command of its own: it hands the suite in) */
const CHILD = fileURLToPath(new URL('../../bin/bench-child.ts', import.meta.url));

export type ChildJob =
  | {
      mode: 'suite';
      url: string;
      run: 'full' | 'workflows';
      workflows?: number;
      concurrency: number;
      seed: number;
      recordFile?: string;
    }
  | { mode: 'replay'; recordFile: string; concurrency: number }
  | { mode: 'soak'; url: string; workflows: number; concurrency: number; seed: number; samples?: number };

export interface SuiteChildResult {
  checks: number;
  notPassed: number;
  /** titles and reasons of what did not pass (a correct target gives none) */
  problems: string[];
  wallMs: number;
  requests: number;
  /** the untimed warm-up workflow before the run */
  warmupMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** CPU time of the suite process during the run (user + system) */
  cpuMs: number;
  /** customers the run's ledger still holds (created, not deleted) */
  pending: number;
}

const MB = 1024 * 1024;
const MARK = 'BENCH_RESULT ';

/** Peak V8 heap in use, sampled every 20 ms (an interval, not a wait); the process's peak RSS; CPU time. */
function measure(): () => { peakRssMb: number; peakHeapMb: number; cpuMs: number } {
  const used = () => getHeapStatistics().used_heap_size;
  let heap = used();
  const cpu = process.cpuUsage();
  const timer = setInterval(() => {
    heap = Math.max(heap, used());
  }, 20);
  return () => {
    clearInterval(timer);
    heap = Math.max(heap, used());
    const c = process.cpuUsage(cpu);
    return {
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      peakHeapMb: heap / MB,
      cpuMs: (c.user + c.system) / 1000,
    };
  };
}

async function suiteJob(suite: SuitePort, job: Extract<ChildJob, { mode: 'suite' }>): Promise<SuiteChildResult> {
  const cfg = embeddedConfig(job.url, {
    CONFORMANCE_SEED: String(job.seed),
    CUSTOMER_API_CONCURRENCY: String(job.concurrency),
  });
  // a ledger file like a real run's: its writes are part of the suite's cost
  const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
  const env = createRunEnv(cfg, { ledgerFile: join(dir, 'ledger.jsonl') });
  const checks: CheckInfo[] = job.run === 'full' ? suite.checks(cfg) : suite.workflows(job.workflows ?? 1);
  const chains: Chain[] = job.recordFile ? checks.map(() => []) : [];
  const recorder = (i: number): StepReporter => ({
    step: (_name, fn) => fn(),
    exchange: async (ex) => {
      chains[i]!.push(recordExchange(ex));
    },
  });
  // untimed: one workflow, so the figure is the engine's steady state, not the first calls' compilation
  const w0 = performance.now();
  await suite.run(suite.workflows(), env, { concurrency: 1 });
  const warmupMs = performance.now() - w0;
  const warmupRequests = env.http.requests;
  const done = measure();
  const t0 = performance.now();
  const results = await suite.run(checks, env, {
    concurrency: job.concurrency,
    reporterFor: job.recordFile ? (_c, i) => recorder(i) : undefined,
  });
  const wallMs = performance.now() - t0;
  const mem = done();
  await env.http.close();
  rmSync(dir, { recursive: true, force: true });
  if (job.recordFile) writeFileSync(job.recordFile, JSON.stringify(chains));
  const bad = results.filter((r) => r.status !== 'passed' && r.status !== 'not-verified');
  return {
    checks: checks.length,
    notPassed: bad.length,
    problems: bad
      .slice(0, 5)
      .map(
        (r) =>
          `${r.status}: ${r.title}${r.reason ? ` (${r.reason.split('\n')[0]})` : ''}` +
          `${r.failures[0] ? ` ${r.failures[0].id}: ${r.failures[0].actual}` : ''}`,
      ),
    wallMs,
    requests: env.http.requests - warmupRequests,
    warmupMs,
    ...mem,
    pending: env.ledger.pending().length,
  };
}

async function soakJob(
  suite: SuitePort,
  job: Extract<ChildJob, { mode: 'soak' }>,
): Promise<SoakResult & { pending: number; peakRssMb: number }> {
  const cfg = embeddedConfig(job.url, {
    CONFORMANCE_SEED: String(job.seed),
    CUSTOMER_API_CONCURRENCY: String(job.concurrency),
  });
  const env = createRunEnv(cfg, { ledgerFile: null });
  const r = await soak(suite, env, job.workflows, { concurrency: job.concurrency, samples: job.samples });
  await env.http.close();
  return { ...r, pending: env.ledger.pending().length, peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB };
}

async function replayJob(job: Extract<ChildJob, { mode: 'replay' }>): Promise<ReplayResult> {
  const chains = JSON.parse(readFileSync(job.recordFile, 'utf8')) as Chain[];
  // untimed, like the suite's: the first chain (a workflow, which deletes what it creates)
  const agent = replayAgent(job.concurrency);
  await replay(chains.slice(0, 1), { concurrency: 1, agent });
  const r = await replay(chains, { concurrency: job.concurrency, agent });
  await agent.close();
  return r;
}

/** Runs a job in a fresh Node process (with --expose-gc, under tsx) and returns its result. */
export function runChild<T>(job: ChildJob, cwd: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, JSON.stringify(job)], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line)
        return reject(new Error(`benchmark ${job.mode} process failed (exit ${code}): ${out.slice(-2000)}`));
      resolve(JSON.parse(line.slice(MARK.length)) as T);
    });
  });
}

/** One job, in the process bin/bench-child.ts starts: its result as the line runChild reads. */
export async function runJob(suite: SuitePort, job: ChildJob): Promise<string> {
  const result =
    job.mode === 'suite'
      ? await suiteJob(suite, job)
      : job.mode === 'soak'
        ? await soakJob(suite, job)
        : await replayJob(job);
  return `${MARK}${JSON.stringify(result)}\n`;
}
