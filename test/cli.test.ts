// The command as a user meets it when things go wrong: configuration mistakes as a new user makes them
// (one line naming the variable and the fix, exit 2), an unreachable or hung target (exit 2 in bounded
// time), Ctrl-C in the middle of a run and the run timeout (everything created deleted), and API keys that
// a target echoes (never in any output).
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget } from '../fixtures/target/server.ts';
import { closedPort, expectOneLine, inProcess } from './support/cli.ts';
import { remoteEnv, runCli } from './support/cli.ts';

const A = ACCOUNTS.a;
const REMOTE = { CUSTOMER_API_USER_ID: A.userId, CUSTOMER_API_KEY: A.apiKey, CUSTOMER_API_ENTITY_ID: A.entityId };
const ROOT_URL = 'https://cst.test-gsc.vfims.com/oidc/customer-service';
const EMBEDDED = { CUSTOMER_API_TARGET: 'embedded' };

type Case = [string, Record<string, string>, string[], RegExp];
const bad = (label: string, env: Record<string, string>, re: RegExp, args: string[] = []): Case => [
  label,
  env,
  args,
  re,
];
const NOT_A_URL = /^conformance: CUSTOMER_API_BASE_URL=.* is not a URL; set it to the service root, e\.g\. https:\/\//;
const RESOURCE_IN_URL = new RegExp(
  'CUSTOMER_API_BASE_URL ends with the resource path /v2/customer.*' +
    'e\\.g\\. https://cst\\.test-gsc\\.vfims\\.com/oidc/customer-service$',
);
const NO_KEY = { CUSTOMER_API_BASE_URL: ROOT_URL, CUSTOMER_API_USER_ID: A.userId, CUSTOMER_API_ENTITY_ID: A.entityId };
const NO_SCHEME = { ...REMOTE, CUSTOMER_API_BASE_URL: 'cst.test-gsc.vfims.com/oidc/customer-service' };
const WITH_RESOURCE = { ...REMOTE, CUSTOMER_API_BASE_URL: `${ROOT_URL}/v2/customer` };

const BAD_CONFIGURATION =
  'bad configuration, as a new user writes it: one line naming the variable and the fix, exit 2';
describe.concurrent(BAD_CONFIGURATION, () => {
  const cases: Case[] = [
    bad('a host without scheme', NO_SCHEME, NOT_A_URL),
    bad('the resource path in the base URL', WITH_RESOURCE, RESOURCE_IN_URL),
    bad(
      'a timeout in seconds',
      { ...EMBEDDED, CUSTOMER_API_TIMEOUT_MS: '10s' },
      /CUSTOMER_API_TIMEOUT_MS="10s" is not a whole number.*set e\.g\. CUSTOMER_API_TIMEOUT_MS=10000/,
    ),
    bad(
      'an update method that is not one',
      { ...EMBEDDED, CUSTOMER_API_UPDATE_METHOD: 'GET' },
      /CUSTOMER_API_UPDATE_METHOD="GET" is not one of POST, PUT, PATCH/,
    ),
    bad(
      'a base URL without the key',
      NO_KEY,
      /CUSTOMER_API_KEY is not set; set it to the API key from Verifone Central/,
    ),
    bad(
      'keys without a base URL',
      { ...REMOTE },
      /CUSTOMER_API_BASE_URL is not set, but CUSTOMER_API_KEY.*CUSTOMER_API_TARGET=embedded/,
    ),
    bad(
      'a misspelt variable',
      { ...EMBEDDED, CUSTOMER_API_TIMEOUT: '5000' },
      /CUSTOMER_API_TIMEOUT is not a variable of the suite; did you mean CUSTOMER_API_TIMEOUT_MS\?/,
    ),
    bad(
      'a marker field that cannot carry it',
      { ...EMBEDDED, CUSTOMER_API_MARKER_FIELD: 'email_address' },
      /CUSTOMER_API_MARKER_FIELD="email_address" cannot carry the run marker/,
    ),
    bad('an unknown option', EMBEDDED, /unknown option --fast; see npm run conformance -- --help/, ['--fast']),
    bad('a selection that matches nothing', EMBEDDED, /--only gett selects no check/, ['--only', 'gett']),
  ];
  test.each(cases)('%s', async (_label, env, args, re) => {
    expectOneLine(await inProcess(args, env), re);
  });

  test('the same through the real command (a child process, as npm run conformance starts it)', async () => {
    const r = await runCli([], { ...EMBEDDED, CUSTOMER_API_TIMEOUT_MS: '10s' });
    expectOneLine(r, /^conformance: CUSTOMER_API_TIMEOUT_MS="10s" is not a whole number/);
  });

  test('a .env with several mistakes: one line for each, each naming its variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-env-'));
    const file = join(dir, '.env');
    const dotenv = [
      '# my staging',
      `CUSTOMER_API_BASE_URL="${ROOT_URL}"`,
      `CUSTOMER_API_USER_ID=${A.userId}`,
      `CUSTOMER_API_KEY = ${A.apiKey}   # from Verifone Central`,
      'CUSTOMER_API_ENTITY_ID=',
      'export CUSTOMER_API_TIMEOUT_MS=30s',
      'CUSTOMER_API_UPDATE_SEMANTICS=patch',
      'CUSTOMER_API_CONCURENCY=4',
      '',
    ];
    writeFileSync(file, dotenv.join('\n'));
    const r = await inProcess([], { CONFORMANCE_ENV_FILE: file });
    expect(r.code).toBe(2);
    const named = r.stderr
      .trim()
      .split('\n')
      .map((l) => /CUSTOMER_API_[A-Z_]+/.exec(l)?.[0]);
    const variables = ['CONCURENCY', 'ENTITY_ID', 'TIMEOUT_MS', 'UPDATE_SEMANTICS'].map((v) => `CUSTOMER_API_${v}`);
    expect(named.sort()).toEqual(variables);
    expect(r.stderr).toContain('did you mean CUSTOMER_API_CONCURRENCY?');
    expect(r.stderr).not.toContain(A.apiKey);
  });
});

const REFUSED = new RegExp(
  'cannot use the target: connection refused by 127\\.0\\.0\\.1:\\d+ for GET .*; ' +
    'check CUSTOMER_API_BASE_URL and the network$',
);
const NO_HOST = new RegExp(
  'cannot use the target: (host customer-service\\.invalid not found \\(DNS\\)|no complete response within 3000 ms)',
);
const HUNG = new RegExp(
  'cannot use the target: no complete response within 500 ms \\(CUSTOMER_API_TIMEOUT_MS\\) to GET ' +
    'http://127\\.0\\.0\\.1:\\d+/v2/customer/[0-9a-f-]{36}; ' +
    'check that the target is up, or raise CUSTOMER_API_TIMEOUT_MS$',
);
const NOT_THE_KEY = /refused the configured credentials \(status 401\); check CUSTOMER_API_USER_ID, CUSTOMER_API_KEY/;

// main() in this process: these end before the run starts
describe.concurrent('an unusable target stops the run at once: one line, exit 2, bounded time', () => {
  test('nothing listens on the port', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/oidc/customer-service`;
    expectOneLine(await inProcess([], { ...REMOTE, CUSTOMER_API_BASE_URL: url }), REFUSED);
  });

  test('the host does not resolve', async () => {
    const url = 'https://customer-service.invalid/oidc/customer-service';
    const r = await inProcess([], { ...REMOTE, CUSTOMER_API_BASE_URL: url, CUSTOMER_API_TIMEOUT_MS: '3000' });
    expectOneLine(r, NO_HOST);
  });

  test('a target that never answers: the per-request timeout, named with the request', async () => {
    const t = await startTarget({ fault: { kind: 'hang' } });
    const t0 = Date.now();
    try {
      expectOneLine(await inProcess([], { ...remoteEnv(t.url), CUSTOMER_API_TIMEOUT_MS: '500' }), HUNG);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      await t.close();
    }
  });

  test('credentials the target refuses', async () => {
    const t = await startTarget();
    try {
      const r = await inProcess(['--check-config'], { ...remoteEnv(t.url), CUSTOMER_API_KEY: 'not-the-key-0000' });
      expectOneLine(r, NOT_THE_KEY);
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
