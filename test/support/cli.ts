// Runs `npm run conformance` as a user would (a child process), or its main() in this process for the
// cases that end before anything starts, with an explicit environment and its own reports folder, so CLI
// tests neither read the developer's .env nor clobber each other.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
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
    ...(other
      ? {
          CUSTOMER_API_OTHER_USER_ID: ACCOUNTS.b.userId,
          CUSTOMER_API_OTHER_KEY: ACCOUNTS.b.apiKey,
          CUSTOMER_API_OTHER_ENTITY_ID: ACCOUNTS.b.entityId,
        }
      : {}),
  };
}

/** An empty env file, so a run reads neither the developer's .env nor a missing file. */
export function emptyEnvFile(dir = mkdtempSync(join(tmpdir(), 'conformance-env-'))): string {
  const file = join(dir, 'empty.env');
  writeFileSync(file, '');
  return file;
}

/** A run's own settings: no colour, not a CI system, its reports folder and an empty env file. */
export function quietEnv(reports: string, envFile = emptyEnvFile(reports)): Record<string, string> {
  // CI=false: not a CI system whatever this machine's CI variables say, unless a test says otherwise
  return { NO_COLOR: '1', CI: 'false', CONFORMANCE_REPORTS_DIR: reports, CONFORMANCE_ENV_FILE: envFile };
}

/** The environment of a clean shell: no CUSTOMER_API_* or CONFORMANCE_* from the developer's environment. */
function cleanEnv(): Record<string, string | undefined> {
  const own = (k: string) => k.startsWith('CUSTOMER_API_') || k.startsWith('CONFORMANCE_') || k.startsWith('VITEST');
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !own(k) && k !== 'CI'));
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { reports?: string; onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliRun> {
  const reports = opts.reports ?? mkdtempSync(join(tmpdir(), 'conformance-reports-'));
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/conformance.ts', ...args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...quietEnv(reports), ...env },
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

type Said = Pick<CliRun, 'code' | 'stdout' | 'stderr'>;

/** The command's main() in this process, for the cases that end before anything starts (no spawn cost). */
export async function inProcess(args: string[], env: Record<string, string>): Promise<Said> {
  // loaded here, so the tests that only spawn the command do not load the suite
  const { main } = await import('../../bin/conformance.ts');
  const { SUITE } = await import('../../suites/suite.ts');
  const sink = () => {
    const s = { text: '', isTTY: false, columns: 120, write: (c: string) => ((s.text += c), true) };
    return s;
  };
  const out = sink();
  const err = sink();
  const reports = mkdtempSync(join(tmpdir(), 'conformance-inprocess-'));
  const base = { CI: 'false', CONFORMANCE_ENV_FILE: emptyEnvFile(), CONFORMANCE_REPORTS_DIR: reports };
  const code = await main(SUITE, args, { ...base, ...env }, out as never, err as never);
  return { code, stdout: out.text, stderr: err.text };
}

/** One line on stderr, naming the variable, no stack trace; exit 2. */
export function expectOneLine(r: Said, re: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Every file under `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
