// What is wrong with the environment is never blamed on the product: a wrong service root, a login page,
// redirects, refused keys, a wrong entity, a key revoked mid-run, TLS mistakes. Each ends with exit 2
// within seconds and at most two lines naming the cause and the fix, through the real command; and
// `npm run doctor` says the same instead of "configuration OK".
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { remoteEnv, runCli, type CliRun } from './support/cli.ts';
import { always, proxyThen, serve, type Handler, type Served } from './support/servers.ts';

const JSON_404 = JSON.stringify({ code: 404, message: 'Customer not found', timestamp: 1 });

/** exit 2, one or two lines on stderr, each naming the cause; no verdict, quickly */
function expectEnvironment(r: CliRun, cause: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect(r.code, r.stderr + r.stdout).toBe(2);
  expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
  expect(r.stderr).toMatch(cause);
  expect(r.stdout).not.toMatch(/NOT CONFORMANT/);
  expect(r.ms).toBeLessThan(30_000);
}

const SCENARIOS: { label: string; handler: (self: () => string) => Handler; cause: RegExp }[] = [
  {
    label: 'a wrong service root (every path 404 "No such route")',
    handler: () => always(404, { 'Content-Type': 'text/plain' }, 'No such route'),
    cause: /every path answers 404 .*check the service root; the suite appends \/v2\/customer/,
  },
  {
    label: 'a corporate login page (200 text/html to everything)',
    handler: () =>
      always(200, { 'Content-Type': 'text/html' }, '<!doctype html><html><body><form>Sign in</form></body></html>'),
    cause: /answered an HTML page \(status 200\): a login, proxy or maintenance page/,
  },
  {
    label: 'a 301 to https',
    handler: (self) => (req, res) =>
      always(301, { Location: self().replace('http:', 'https:') + req.url })(req, res, 0, Buffer.alloc(0)),
    cause: /answered 301 Location https:\/\/127\.0\.0\.1:\d+\/v2\/customer\/[0-9a-f-]+: use https:\/\//,
  },
  {
    label: 'a 302 to itself',
    handler: () => (req, res) => always(302, { Location: req.url! })(req, res, 0, Buffer.alloc(0)),
    cause: /answered 302 redirecting to itself/,
  },
  {
    label: 'a 302 to another host',
    handler: () => always(302, { Location: 'https://login.example.com/sso?next=/' }),
    cause: /answered 302 Location https:\/\/login\.example\.com\/sso\?next=\/: the service is elsewhere/,
  },
  {
    label: '200 with invalid JSON',
    handler: () => always(200, { 'Content-Type': 'application/json' }, '{"id": '),
    cause: /answered 200 with a body that is not JSON/,
  },
  {
    label: 'every request 403 (credentials of another organisation)',
    handler: () =>
      always(
        403,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ code: 403, message: 'Forbidden', timestamp: 1 }),
      ),
    cause: /every request is refused \(403: GET 403, POST 403\): the credentials act for another organisation/,
  },
  {
    label: 'every request 500 (a maintenance page)',
    handler: () => always(500, { 'Content-Type': 'text/html' }, '<html><body>Down for maintenance</body></html>'),
    cause: /answered an HTML page \(status 500\)/,
  },
  {
    label: 'every request 500 with a JSON body',
    handler: () =>
      always(
        500,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ code: 500, message: 'maintenance', timestamp: 1 }),
      ),
    cause: /every request answers 500 \(GET 500, POST 500\): the service is down or in maintenance/,
  },
  {
    label: 'a proxy wanting credentials (407)',
    handler: () => always(407, { 'Proxy-Authenticate': 'Basic realm="corp"' }),
    cause: /answered 407: a proxy wants credentials/,
  },
  {
    label: 'a gateway refusing everything with 400 (not the API error body)',
    handler: () =>
      always(400, { 'Content-Type': 'application/json' }, JSON.stringify({ error: 'missing x-api-key header' })),
    cause: /every request is refused \(400: GET 400, POST 400\) with a body that is not the API's error body/,
  },
  {
    label: 'a gateway answering 502',
    handler: () => always(502, { 'Content-Type': 'text/plain' }, 'Bad Gateway'),
    cause: /answered 502 after \d attempt\(s\): the service is not available/,
  },
];

describe('a broken environment: exit 2 naming the cause, for the run and for npm run doctor', () => {
  test.each(SCENARIOS)(
    '$label',
    async ({ handler, cause }) => {
      let url = '';
      const s = await serve(handler(() => url));
      url = s.url;
      try {
        const [run, doctor] = await Promise.all([
          runCli([], remoteEnv(s.url)),
          runCli(['--check-config'], remoteEnv(s.url)),
        ]);
        expectEnvironment(run, cause);
        expectEnvironment(doctor, cause);
        expect(doctor.stdout).not.toContain('configuration OK');
      } finally {
        await s.close();
      }
    },
    60_000,
  );
});

describe('wrong credentials or entity on a real target', () => {
  let t: RunningTarget;
  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(async () => {
    await t.close();
  });

  test('a wrong or expired CUSTOMER_API_OTHER_KEY', async () => {
    const r = await runCli([], { ...remoteEnv(t.url), CUSTOMER_API_OTHER_KEY: 'expired-key-0000' });
    expectEnvironment(r, /CUSTOMER_API_OTHER_KEY is rejected \(401\)/);
  }, 60_000);

  test('a wrong CUSTOMER_API_ENTITY_ID: creates answered 403; nothing is left behind', async () => {
    const r = await runCli(['--check-config'], { ...remoteEnv(t.url), CUSTOMER_API_ENTITY_ID: 'ent-x' });
    expectEnvironment(
      r,
      /CUSTOMER_API_ENTITY_ID ent-x is refused \(403\) for these credentials; set it to the Organisation ID/,
    );
    expect(t.count()).toBe(0);
  }, 60_000);

  test('doctor on a correct target creates and deletes one customer and says so', async () => {
    const r = await runCli(['--check-config'], remoteEnv(t.url));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/configuration OK; .*one marked customer created and deleted/);
    expect(t.count()).toBe(0);
  }, 60_000);
});

describe('the environment breaking mid-run', () => {
  test(
    'a key revoked after 100 requests: the run stops early with exit 2 naming the refused key, ' +
      'and says what it could not delete',
    async () => {
      const t = await startTarget();
      const revoked = always(
        401,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ code: 401, message: 'Unauthorized', timestamp: 1 }),
      );
      const proxy = await serve(proxyThen(t.url, 100, revoked));
      try {
        const r = await runCli([], remoteEnv(proxy.url));
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(
          new RegExp(
            '^conformance: stopped: the target does not answer as the Customer API does \\(' +
              '.*the configured credentials \\(CUSTOMER_API_KEY\\) refused \\(401\\)',
          ),
        );
        expect(r.stdout).not.toMatch(/NOT CONFORMANT/);
        expect(r.ms).toBeLessThan(45_000);
        // with the key revoked nothing can be deleted: said plainly, last, with the way out
        const left = t.count();
        if (left)
          expect(r.stderr).toMatch(
            new RegExp(`could not delete ${left} customer\\(s\\) created by this run: .*; run npm run cleanup\\n$`),
          );
      } finally {
        await proxy.close();
        await t.close();
      }
    },
    90_000,
  );
});

describe('TLS mistakes name the fix', () => {
  let tls: Served;
  beforeAll(async () => {
    tls = await serve(always(404, { 'Content-Type': 'application/json' }, JSON_404), { tls: true });
  });
  afterAll(async () => {
    await tls.close();
  });

  test('a self-signed certificate: set NODE_EXTRA_CA_CERTS', async () => {
    expectEnvironment(
      await runCli([], remoteEnv(tls.url)),
      /TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\); .*set NODE_EXTRA_CA_CERTS/,
    );
  }, 60_000);

  test('http:// given to a TLS server: use https://', async () => {
    expectEnvironment(await runCli([], remoteEnv(tls.url.replace('https:', 'http:'))), /use https:\/\//);
  }, 60_000);
});

describe('one-off trouble on a correct target leaves it CONFORMANT', () => {
  test.each([
    ['one answer slower than the timeout', { kind: 'hang', method: 'GET', path: 'item', times: 1 }],
    ['one connection reset on a create', { kind: 'drop', method: 'POST', path: 'collection', times: 1 }],
    [
      'one reset after a create was stored',
      { kind: 'drop', method: 'POST', path: 'collection', times: 1, after: true },
    ],
    ['one 503', { kind: 'status503', times: 1, retryAfterSec: 0 }],
    ['one 429 on a create', { kind: 'status429', method: 'POST', path: 'collection', times: 1, retryAfterSec: 0 }],
  ] as const)(
    '%s',
    async (_label, fault) => {
      const t = await startTarget({ fault });
      try {
        const r = await runCli(['--only', 'workflow,get,delete'], {
          ...remoteEnv(t.url),
          CUSTOMER_API_TIMEOUT_MS: '1500',
        });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/Verdict: (CONFORMANT|INCOMPLETE)/);
        expect(r.stdout).not.toMatch(/NOT CONFORMANT/);
        expect(t.count()).toBe(0);
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});
