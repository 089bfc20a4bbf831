// Ctrl-C in the middle of a run, the run timeout and a fault of the suite itself: exit 130 or 2, everything
// created deleted; API keys a target echoes appear in no output.
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget } from '../fixtures/target/server.ts';
import { emptyEnvFile, filesUnder } from './support/cli.ts';
import { quietEnv, remoteEnv, ROOT, runCli } from './support/cli.ts';
import type { ChildProcess } from 'node:child_process';

const A = ACCOUNTS.a;

describe('Ctrl-C at any moment: exit 130, never an internal error, nothing left behind', () => {
  // a terminal's Ctrl-C goes to the whole foreground process group, the loader's helper process included.
  // The target answers after 20 ms, so that the last moment still falls within the run (quicker now than 2.5 s)
  test.each([150, 400, 700, 1200, 2500])(
    'SIGINT to the process group after %i ms',
    async (ms) => {
      const t = await startTarget({ latencyMs: 20 });
      try {
        const reports = mkdtempSync(join(tmpdir(), 'conformance-sigint-'));
        const child = spawn(process.execPath, ['bin/launch.mjs', 'conformance', '--only', 'workflow,update'], {
          cwd: ROOT,
          detached: true,
          env: { ...process.env, ...remoteEnv(t.url), ...quietEnv(reports, emptyEnvFile()) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.resume();
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), ms);
        const [code, signal] = await new Promise<[number | null, string | null]>((done) =>
          child.on('close', (c, s) => done([c, s])),
        );
        // killed by the signal before any handler existed is 130 to a shell as well
        expect(code === 130 || signal === 'SIGINT', `exit ${code} ${signal}: ${stderr}`).toBe(true);
        expect(stderr).not.toMatch(/internal error/);
        expect(t.count()).toBe(0);
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});

describe('a fault of the suite itself mid-run: exit 2 in one line, never 1, nothing left behind', () => {
  const FAULT = pathToFileURL(join(ROOT, 'test/support/fault-on-signal.mjs')).href;
  test.each(['exception', 'rejection'])(
    'an uncaught %s, once customers exist',
    async (kind) => {
      const t = await startTarget({ latencyMs: 5 });
      let run: ChildProcess | undefined;
      const poll = setInterval(() => {
        if (run && t.count() >= 3) {
          clearInterval(poll);
          run.kill('SIGUSR2');
        }
      }, 20);
      try {
        const env = { ...remoteEnv(t.url), NODE_OPTIONS: `--import ${FAULT}`, FAULT_KIND: kind };
        const r = await runCli(['--only', 'workflow,update'], env, { onStdout: (_, child) => (run = child) });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(`^conformance: internal error: injected ${kind} \\(set DEBUG=conformance for details\\)$`, 'm'),
        );
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(t.count()).toBe(0);
        expect(readdirSync(join(r.reports, '.ledger'))).toEqual([]);
      } finally {
        clearInterval(poll);
        await t.close();
      }
    },
    60_000,
  );
});

const STOPPED = new RegExp(
  '^conformance: stopped: the target does not answer as the Customer API does \\(16 checks in a row broke on the ' +
    'environment even when tried again \\(the last: no complete response within 1000 ms ' +
    '\\(CUSTOMER_API_TIMEOUT_MS\\) to (POST|GET) http://127\\.0\\.0\\.1:\\d+/v2/customer',
);

// the three runs that start vitest in a child process, one after the other (side by side they only compete
// for CPU)
describe('interrupted and timed-out runs leave nothing behind; keys appear nowhere', () => {
  test(
    'SIGINT to `npm run conformance` in the middle of a run: npm waits, exit 130, every customer the run ' +
      'created deleted',
    async () => {
      const t = await startTarget({ latencyMs: 15 });
      try {
        const reports = mkdtempSync(join(tmpdir(), 'conformance-reports-'));
        const own = /^(CUSTOMER_API_|CONFORMANCE_|VITEST|npm_)/;
        const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !own.test(k) && k !== 'CI'));
        // npm as a user (or a CI job) starts it; the signal goes to npm's process only, as a harness sends it
        const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
        const child = spawn(npm[0]!, [...npm.slice(1), 'run', '--silent', 'conformance', '--', '--only', 'update'], {
          cwd: ROOT,
          env: { ...base, ...quietEnv(reports), ...remoteEnv(t.url) },
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
        const summary = JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as {
          checks: { total: number };
        };
        const selected = Number(/ (\d+) checks · /.exec(stdout)?.[1]);
        expect(summary.checks.total).toBeLessThan(selected);
        expect(readdirSync(join(reports, '.ledger'))).toEqual([]);
      } finally {
        await t.close();
      }
    },
    90_000,
  );

  test(
    'a target that stops answering updates: a streak of checks broken on timeouts stops the run early ' +
      '(exit 2: the environment), nothing left behind',
    async () => {
      const t = await startTarget({ fault: { kind: 'hang', method: 'POST', path: 'item' } });
      try {
        const r = await runCli(['--only', 'update'], { ...remoteEnv(t.url), CUSTOMER_API_TIMEOUT_MS: '1000' });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(STOPPED);
        // nothing the target did not answer is held against it
        expect(r.stdout).toContain('Verdict: INCOMPLETE');
        expect(t.count()).toBe(0);
      } finally {
        await t.close();
      }
    },
    90_000,
  );

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

  test(
    'a target that echoes the API key: no key, no base64 form of it, no Basic credential in stdout, stderr or any ' +
      'file under reports/',
    async () => {
      // every error body carries the credential the request sent
      const target = await startTarget({ defect: 'api-key-echoed-in-errors' });
      try {
        const run = await runCli(['--only', 'get,errors,CUS-SEC-LEAK'], remoteEnv(target.url));
        // the run saw the echo (so the scan means something) and failed for it
        expect(run.code, run.stderr).toBe(1);
        const md = readFileSync(join(run.reports, 'conformance.md'), 'utf8');
        expect(md).toMatch(/\| CUS-ERR-BODY \| contract \| failed \|.*the body contains a credential/);
        expect(readFileSync(join(run.reports, 'allure-report', 'index.html'), 'utf8').length).toBeGreaterThan(1000);
        const needles = [A, ACCOUNTS.b].flatMap((acc) => {
          const forms = [acc.apiKey, `${acc.userId}:${acc.apiKey}`];
          const b64 = (f: string) => Buffer.from(f).toString('base64').replace(/=+$/, '');
          return forms.flatMap((f) => [f, b64(f), Buffer.from(f).toString('base64url'), encodeURIComponent(f)]);
        });
        const outputs: [string, string][] = [
          ['stdout', run.stdout],
          ['stderr', run.stderr],
          ...filesUnder(run.reports).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
        ];
        expect(outputs.length).toBeGreaterThan(10);
        const found = (where: string, text: string) =>
          needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`);
        const hits = outputs.flatMap(([where, text]) => found(where, text));
        expect(hits).toEqual([]);
      } finally {
        await target.close();
      }
    },
    120_000,
  );
});
