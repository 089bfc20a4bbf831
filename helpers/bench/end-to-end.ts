// The benchmark's end-to-end figure: one `npm run conformance` in a process of its own, timed as a user waits
// for it, with its check count and verdict read from its output.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { E2eFigure } from './bench-report.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * `npm run conformance` as a user runs it (vitest, Allure, JUnit, summaries, allure generate), embedded target,
 * 0 ms.
 */
export async function endToEnd(seed: number): Promise<E2eFigure> {
  const reports = mkdtempSync(join(tmpdir(), 'conformance-bench-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CUSTOMER_API_TARGET: 'embedded',
    CONFORMANCE_REPORTS_DIR: reports,
    CONFORMANCE_SEED: String(seed),
    NO_COLOR: '1',
  };
  delete env.CI;
  delete env.CUSTOMER_API_BASE_URL;
  const t0 = performance.now();
  try {
    return await new Promise<E2eFigure>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin', 'conformance.ts')], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', fail);
      child.on('exit', (code) => {
        const wallMs = performance.now() - t0;
        const checks = /· (\d+) checks ·/.exec(out)?.[1];
        done({
          wallMs,
          exitCode: code,
          checks: checks ? Number(checks) : undefined,
          verdict: /Verdict: ([A-Z ]+?)\s{2}/.exec(out)?.[1],
        });
      });
    });
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}
