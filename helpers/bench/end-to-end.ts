// The benchmark's end-to-end figure: `npm run conformance` as a user runs it (the launcher, vitest, Allure,
// JUnit, summaries and the Allure report), in a process of its own against the benchmark's target process,
// timed as a user waits for it; its phases read from the run's timing.json, its check count and verdict
// from its output, the requests it sent from the target's count.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ACCOUNTS } from '../../fixtures/target/accounts.ts';
import type { Timing } from '../report/phase-clock.ts';
import type { E2eFigure } from './bench-report.ts';
import type { TargetProcess } from './target-child.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The run's configuration: the target process and its two accounts, nothing from the caller's .env. */
function runEnv(url: string, reports: string, concurrency: number, seed: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(CUSTOMER_API_|CONFORMANCE_)/.test(k) || k === 'CI') delete env[k];
  const none = join(reports, '..', 'empty.env');
  writeFileSync(none, '');
  return {
    ...env,
    CONFORMANCE_ENV_FILE: none,
    CONFORMANCE_REPORTS_DIR: reports,
    CONFORMANCE_SEED: String(seed),
    NO_COLOR: '1',
    CUSTOMER_API_BASE_URL: url,
    CUSTOMER_API_CONCURRENCY: String(concurrency),
    CUSTOMER_API_USER_ID: ACCOUNTS.a.userId,
    CUSTOMER_API_KEY: ACCOUNTS.a.apiKey,
    CUSTOMER_API_ENTITY_ID: ACCOUNTS.a.entityId,
    CUSTOMER_API_OTHER_USER_ID: ACCOUNTS.b.userId,
    CUSTOMER_API_OTHER_KEY: ACCOUNTS.b.apiKey,
    CUSTOMER_API_OTHER_ENTITY_ID: ACCOUNTS.b.entityId,
  };
}

/** Runs bin/launch.mjs conformance to its end: its exit code, its output, its wall time. */
function launch(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; wallMs: number }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'launch.mjs'), 'conformance'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, out, wallMs: performance.now() - t0 }));
  });
}

/** One end-to-end run against `target`, at `latencyMs` and `concurrency`. */
export async function endToEnd(
  target: TargetProcess,
  latencyMs: number,
  concurrency: number,
  seed: number,
): Promise<E2eFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-e2e-'));
  const reports = join(dir, 'reports');
  try {
    const before = await target.count();
    const { code, out, wallMs } = await launch(runEnv(target.url, reports, concurrency, seed));
    const after = await target.count();
    const timingFile = join(reports, 'timing.json');
    const timing = existsSync(timingFile) ? (JSON.parse(readFileSync(timingFile, 'utf8')) as Timing) : undefined;
    const checks = /· (\d+) checks ·/.exec(out)?.[1];
    return {
      latencyMs,
      concurrency,
      wallMs,
      requests: after.requests - before.requests,
      residue: after.live - before.live,
      phases: timing?.phases ?? {},
      processMs: timing?.totalMs,
      exitCode: code,
      checks: checks ? Number(checks) : undefined,
      verdict: /Verdict: ([A-Z ]+?)\s{2}/.exec(out)?.[1],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
