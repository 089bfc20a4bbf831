// Runs `npm run conformance` as a user would (a child process), with an explicit environment and its
// own reports folder, so CLI tests neither read the developer's .env nor clobber each other.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ACCOUNTS } from '../../fixtures/target/accounts.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  reports: string;
  ms: number;
}

/** The variables a remote run against a standalone reference target needs. */
export function remoteEnv(url: string, other = true): Record<string, string> {
  return {
    CUSTOMER_API_BASE_URL: url,
    CUSTOMER_API_USER_ID: ACCOUNTS.a.userId,
    CUSTOMER_API_KEY: ACCOUNTS.a.apiKey,
    CUSTOMER_API_ENTITY_ID: ACCOUNTS.a.entityId,
    CUSTOMER_API_FAULT_INJECTION: 'true',
    ...(other ? { CUSTOMER_API_OTHER_USER_ID: ACCOUNTS.b.userId, CUSTOMER_API_OTHER_KEY: ACCOUNTS.b.apiKey, CUSTOMER_API_OTHER_ENTITY_ID: ACCOUNTS.b.entityId } : {}),
  };
}

/** An empty env file, so a run reads neither the developer's .env nor a missing file. */
export function emptyEnvFile(dir = mkdtempSync(join(tmpdir(), 'conformance-env-'))): string {
  const file = join(dir, 'empty.env');
  writeFileSync(file, '');
  return file;
}

export function runCli(args: string[], env: Record<string, string>, opts: { reports?: string; onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliRun> {
  const reports = opts.reports ?? mkdtempSync(join(tmpdir(), 'conformance-reports-'));
  // only what a clean shell has: no CUSTOMER_API_* from the developer's environment
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CUSTOMER_API_') && !k.startsWith('CONFORMANCE_') && k !== 'CI' && !k.startsWith('VITEST')));
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/conformance.ts', ...args], {
      cwd: ROOT,
      // CI=false: not a CI system whatever this machine's CI variables say, unless a test says otherwise
      env: { ...base, NO_COLOR: '1', CI: 'false', CONFORMANCE_REPORTS_DIR: reports, CONFORMANCE_ENV_FILE: emptyEnvFile(reports), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(d.toString(), child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr, reports, ms: Date.now() - t0 }));
  });
}
