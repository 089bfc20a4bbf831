// The command as a user meets it when things go wrong: configuration mistakes as a new user makes them
// (one line naming the variable and the fix, exit 2), an unreachable or hung target (exit 2 in bounded
// time), Ctrl-C in the middle of a run and the run timeout (everything created deleted), and API keys that
// a target echoes (never in any output).
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { main } from '../bin/conformance.ts';
import { SUITE } from '../suites/suite.ts';
import { startTarget } from '../fixtures/target/server.ts';
import { emptyEnvFile, remoteEnv, ROOT, runCli, type CliRun } from './support/cli.ts';

const A = ACCOUNTS.a;
const REMOTE = { CUSTOMER_API_USER_ID: A.userId, CUSTOMER_API_KEY: A.apiKey, CUSTOMER_API_ENTITY_ID: A.entityId };

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The command's main() in this process, for the cases that end before anything starts (no spawn cost). */
async function inProcess(args: string[], env: Record<string, string>): Promise<Pick<CliRun, 'code' | 'stdout' | 'stderr'>> {
  const sink = () => {
    const s = { text: '', isTTY: false, columns: 120, write: (c: string) => ((s.text += c), true) };
    return s;
  };
  const out = sink();
  const err = sink();
  const code = await main(SUITE, args, { CI: 'false', CONFORMANCE_ENV_FILE: emptyEnvFile(), CONFORMANCE_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'conformance-inprocess-')), ...env }, out as never, err as never);
  return { code, stdout: out.text, stderr: err.text };
}

/** One line on stderr, naming the variable, no stack trace; exit 2. */
function expectOneLine(r: Pick<CliRun, 'code' | 'stdout' | 'stderr'>, re: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe.concurrent('bad configuration, as a new user writes it: one line naming the variable and the fix, exit 2', () => {
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    ['a host without scheme', { ...REMOTE, CUSTOMER_API_BASE_URL: 'cst.test-gsc.vfims.com/oidc/customer-service' }, [], /^conformance: CUSTOMER_API_BASE_URL=.* is not a URL; set it to the service root, e\.g\. https:\/\//],
    ['the resource path in the base URL', { ...REMOTE, CUSTOMER_API_BASE_URL: 'https://cst.test-gsc.vfims.com/oidc/customer-service/v2/customer' }, [], /CUSTOMER_API_BASE_URL ends with the resource path \/v2\/customer.*e\.g\. https:\/\/cst\.test-gsc\.vfims\.com\/oidc\/customer-service$/],
    ['a timeout in seconds', { CUSTOMER_API_TARGET: 'embedded', CUSTOMER_API_TIMEOUT_MS: '10s' }, [], /CUSTOMER_API_TIMEOUT_MS="10s" is not a whole number.*set e\.g\. CUSTOMER_API_TIMEOUT_MS=10000/],
    ['an update method that is not one', { CUSTOMER_API_TARGET: 'embedded', CUSTOMER_API_UPDATE_METHOD: 'GET' }, [], /CUSTOMER_API_UPDATE_METHOD="GET" is not one of POST, PUT, PATCH/],
    ['a base URL without the key', { CUSTOMER_API_BASE_URL: 'https://cst.test-gsc.vfims.com/oidc/customer-service', CUSTOMER_API_USER_ID: A.userId, CUSTOMER_API_ENTITY_ID: A.entityId }, [], /CUSTOMER_API_KEY is not set; set it to the API key from Verifone Central/],
    ['keys without a base URL', { ...REMOTE }, [], /CUSTOMER_API_BASE_URL is not set, but CUSTOMER_API_KEY.*CUSTOMER_API_TARGET=embedded/],
    ['a misspelt variable', { CUSTOMER_API_TARGET: 'embedded', CUSTOMER_API_TIMEOUT: '5000' }, [], /CUSTOMER_API_TIMEOUT is not a variable of the suite; did you mean CUSTOMER_API_TIMEOUT_MS\?/],
    ['a marker field that cannot carry it', { CUSTOMER_API_TARGET: 'embedded', CUSTOMER_API_MARKER_FIELD: 'email_address' }, [], /CUSTOMER_API_MARKER_FIELD="email_address" cannot carry the run marker/],
    ['an unknown option', { CUSTOMER_API_TARGET: 'embedded' }, ['--fast'], /unknown option --fast; see npm run conformance -- --help/],
    ['a selection that matches nothing', { CUSTOMER_API_TARGET: 'embedded' }, ['--only', 'gett'], /--only gett selects no check/],
  ];
  test.each(cases)('%s', async (_label, env, args, re) => {
    expectOneLine(await inProcess(args, env), re);
  });

  test('the same through the real command (a child process, as npm run conformance starts it)', async () => {
    expectOneLine(await runCli([], { CUSTOMER_API_TARGET: 'embedded', CUSTOMER_API_TIMEOUT_MS: '10s' }), /^conformance: CUSTOMER_API_TIMEOUT_MS="10s" is not a whole number/);
  });

  test('a .env with several mistakes: one line for each, each naming its variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, ['# my staging', 'CUSTOMER_API_BASE_URL="https://cst.test-gsc.vfims.com/oidc/customer-service"', `CUSTOMER_API_USER_ID=${A.userId}`, `CUSTOMER_API_KEY = ${A.apiKey}   # from Verifone Central`, 'CUSTOMER_API_ENTITY_ID=', 'export CUSTOMER_API_TIMEOUT_MS=30s', 'CUSTOMER_API_UPDATE_SEMANTICS=patch', 'CUSTOMER_API_CONCURENCY=4', ''].join('\n'));
    const r = await inProcess([], { CONFORMANCE_ENV_FILE: file });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => /CUSTOMER_API_[A-Z_]+/.exec(l)?.[0]).sort()).toEqual(['CUSTOMER_API_CONCURENCY', 'CUSTOMER_API_ENTITY_ID', 'CUSTOMER_API_TIMEOUT_MS', 'CUSTOMER_API_UPDATE_SEMANTICS']);
    expect(r.stderr).toContain('did you mean CUSTOMER_API_CONCURRENCY?');
    expect(r.stderr).not.toContain(A.apiKey);
  });
});

// main() in this process: these end before the run starts
describe.concurrent('an unusable target stops the run at once: one line, exit 2, bounded time', () => {
  test('nothing listens on the port', async () => {
    const r = await inProcess([], { ...REMOTE, CUSTOMER_API_BASE_URL: `http://127.0.0.1:${await closedPort()}/oidc/customer-service` });
    expectOneLine(r, /cannot use the target: connection refused by 127\.0\.0\.1:\d+ for GET .*; check CUSTOMER_API_BASE_URL and the network$/);
  });

  test('the host does not resolve', async () => {
    const r = await inProcess([], { ...REMOTE, CUSTOMER_API_BASE_URL: 'https://customer-service.invalid/oidc/customer-service', CUSTOMER_API_TIMEOUT_MS: '3000' });
    expectOneLine(r, /cannot use the target: (host customer-service\.invalid not found \(DNS\)|no complete response within 3000 ms)/);
  });

  test('a target that never answers: the per-request timeout, named with the request', async () => {
    const t = await startTarget({ fault: { kind: 'hang' } });
    const t0 = Date.now();
    try {
      const r = await inProcess([], { ...remoteEnv(t.url), CUSTOMER_API_TIMEOUT_MS: '500' });
      expectOneLine(r, /cannot use the target: no complete response within 500 ms \(CUSTOMER_API_TIMEOUT_MS\) to GET http:\/\/127\.0\.0\.1:\d+\/v2\/customer\/[0-9a-f-]{36}; check that the target is up, or raise CUSTOMER_API_TIMEOUT_MS$/);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      await t.close();
    }
  });

  test('credentials the target refuses', async () => {
    const t = await startTarget();
    try {
      const r = await inProcess(['--check-config'], { ...remoteEnv(t.url), CUSTOMER_API_KEY: 'not-the-key-0000' });
      expectOneLine(r, /refused the configured credentials \(status 401\); check CUSTOMER_API_USER_ID, CUSTOMER_API_KEY/);
    } finally {
      await t.close();
    }
  });

  test('--check-config (npm run doctor) reaches the target and leaves nothing behind', async () => {
    const t = await startTarget();
    try {
      const r = await inProcess(['--check-config'], remoteEnv(t.url));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/configuration OK/);
      expect(r.stdout).toMatch(/other-entity credentials: accepted/);
      expect(r.stdout).toMatch(/list endpoint: usable \(company_name==conformance-\*\)/);
      expect(t.count()).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('Ctrl-C at any moment: exit 130, never an internal error, nothing left behind', () => {
  // a terminal's Ctrl-C goes to the whole foreground process group, the loader's helper process included
  test.each([150, 400, 700, 1200, 2500])('SIGINT to the process group after %i ms', async (ms) => {
    const t = await startTarget();
    try {
      const child = spawn(process.execPath, ['bin/launch.mjs', 'conformance', '--only', 'workflow,update'], {
        cwd: ROOT,
        detached: true,
        env: { ...process.env, ...remoteEnv(t.url), CI: 'false', NO_COLOR: '1', CONFORMANCE_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'conformance-sigint-')), CONFORMANCE_ENV_FILE: emptyEnvFile() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      setTimeout(() => process.kill(-child.pid!, 'SIGINT'), ms);
      const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.on('close', (c, s) => done([c, s])));
      // killed by the signal before any handler existed is 130 to a shell as well
      expect(code === 130 || signal === 'SIGINT', `exit ${code} ${signal}: ${stderr}`).toBe(true);
      expect(stderr).not.toMatch(/internal error/);
      expect(t.count()).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);
});

// the three runs that start vitest in a child process, one after the other (side by side they only compete for CPU)
describe('interrupted and timed-out runs leave nothing behind; keys appear nowhere', () => {
  test('SIGINT to `npm run conformance` in the middle of a run: npm waits, exit 130, every customer the run created deleted', async () => {
    const t = await startTarget({ latencyMs: 15 });
    try {
      const reports = mkdtempSync(join(tmpdir(), 'conformance-reports-'));
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CUSTOMER_API_|CONFORMANCE_|VITEST|npm_)/.test(k) && k !== 'CI'));
      // npm as a user (or a CI job) starts it; the signal goes to npm's process only, as a harness sends it
      const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
      const child = spawn(npm[0]!, [...npm.slice(1), 'run', '--silent', 'conformance', '--', '--only', 'update'], {
        cwd: ROOT,
        env: { ...base, NO_COLOR: '1', CONFORMANCE_REPORTS_DIR: reports, CI: 'false', CONFORMANCE_ENV_FILE: emptyEnvFile(reports), ...remoteEnv(t.url) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Ctrl-C once customers exist on the target, i.e. mid-run
      const poll = setInterval(() => {
        if (t.count() >= 3) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      const code = await new Promise<number | null>((done) => child.on('close', done));
      clearInterval(poll);
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('SIGINT received: stopping the run and deleting what it created');
      // npm returned only after the run had cleaned up
      expect(t.count()).toBe(0);
      const summary = JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as { checks: { total: number } };
      const selected = Number(/ (\d+) checks · /.exec(stdout)?.[1]);
      expect(summary.checks.total).toBeLessThan(selected);
      expect(readdirSync(join(reports, '.ledger'))).toEqual([]);
    } finally {
      await t.close();
    }
  }, 90_000);

  test('a target that stops answering updates: a streak of checks broken on timeouts stops the run early (exit 2: the environment), nothing left behind', async () => {
    const t = await startTarget({ fault: { kind: 'hang', method: 'POST', path: 'item' } });
    try {
      const r = await runCli(['--only', 'update'], { ...remoteEnv(t.url), CUSTOMER_API_TIMEOUT_MS: '1000' });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^conformance: stopped: the target does not answer as the Customer API does \(16 checks in a row broke on the environment even when tried again \(the last: no complete response within 1000 ms \(CUSTOMER_API_TIMEOUT_MS\) to (POST|GET) http:\/\/127\.0\.0\.1:\d+\/v2\/customer/);
      // nothing the target did not answer is held against it
      expect(r.stdout).toContain('Verdict: INCOMPLETE');
      expect(t.count()).toBe(0);
    } finally {
      await t.close();
    }
  }, 90_000);

  test('the run timeout stops a slow run with exit 2 and deletes what it created', async () => {
    const t = await startTarget({ latencyMs: 40 });
    try {
      const r = await runCli(['--only', 'update'], { ...remoteEnv(t.url), CUSTOMER_API_RUN_TIMEOUT_MS: '2000' });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/the run exceeded CUSTOMER_API_RUN_TIMEOUT_MS=2000 and was stopped/);
      expect(r.ms).toBeLessThan(45_000);
      expect(t.count()).toBe(0);
    } finally {
      await t.close();
    }
  }, 90_000);

  test('a target that echoes the API key: no key, no base64 form of it, no Basic credential in stdout, stderr or any file under reports/', async () => {
    // every error body carries the credential the request sent
    const target = await startTarget({ defect: 'api-key-echoed-in-errors' });
    try {
      const run = await runCli(['--only', 'get,errors,CUS-SEC-LEAK'], remoteEnv(target.url));
      // the run saw the echo (so the scan means something) and failed for it
      expect(run.code, run.stderr).toBe(1);
      expect(readFileSync(join(run.reports, 'conformance.md'), 'utf8')).toMatch(/\| CUS-ERR-BODY \| contract \| failed \|.*the body contains a credential/);
      expect(readFileSync(join(run.reports, 'allure-report', 'index.html'), 'utf8').length).toBeGreaterThan(1000);
      const needles = [A, ACCOUNTS.b].flatMap((acc) => {
        const forms = [acc.apiKey, `${acc.userId}:${acc.apiKey}`];
        return forms.flatMap((f) => [f, Buffer.from(f).toString('base64').replace(/=+$/, ''), Buffer.from(f).toString('base64url'), encodeURIComponent(f)]);
      });
      const outputs: [string, string][] = [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ...files(run.reports).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
      ];
      expect(outputs.length).toBeGreaterThan(10);
      const hits = outputs.flatMap(([where, text]) => needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`));
      expect(hits).toEqual([]);
    } finally {
      await target.close();
    }
  }, 120_000);
});
