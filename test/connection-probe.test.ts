// CUSTOMER_API_CONNECTIONS=auto: a target that answers late on a reused connection (as a server writing an
// answer's head and body apart without TCP_NODELAY does, against the client's delayed acknowledgement) gets a
// new connection for each request; one that answers as quickly either way keeps its connections.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { chooseConnections, connectionNote } from '../helpers/run/connection-probe.ts';
import { remoteEnv, runCli } from './support/cli.ts';
import { proxyThen, serve, type Served } from './support/servers.ts';

/** how late the stalling target answers on a reused connection (a delayed acknowledgement: 40 to 200 ms) */
const STALL_MS = 300;

let target: RunningTarget;
let stalling: Served;
/** the Connection header of each request the stalling target saw */
const seen: string[] = [];

beforeAll(async () => {
  target = await startTarget();
  const forward = proxyThen(target.url, Infinity, () => undefined);
  stalling = await serve(async (req, res, n, body) => {
    seen.push(req.headers.connection ?? '');
    if (req.headers.connection !== 'close') await new Promise((r) => setTimeout(r, STALL_MS));
    await forward(req, res, n, body);
  });
});

afterAll(async () => {
  await stalling?.close();
  await target?.close();
});

test('auto: a target slow on reused connections gets a new one for each request, and the run says why', async () => {
  const chosen = await chooseConnections(embeddedConfig(stalling.url));
  expect(chosen.connections).toBe('new');
  expect(chosen.reusedMs).toBeGreaterThanOrEqual(STALL_MS);
  expect(chosen.reusedMs!).toBeGreaterThanOrEqual(2 * chosen.newMs! + 10);
  expect(connectionNote(chosen)).toMatch(
    new RegExp(
      String.raw`^a new one for each request \(on a reused one the target answered in \d+ ms, ` +
        String.raw`on a new one in \d+ ms; CUSTOMER_API_CONNECTIONS=reuse keeps them\)$`,
    ),
  );
});

test('auto: a target as quick on reused connections keeps them, and nothing is said', async () => {
  const chosen = await chooseConnections(embeddedConfig(target.url));
  expect(chosen.connections).toBe('reuse');
  expect(connectionNote(chosen)).toBeUndefined();
});

test.each(['reuse', 'new'] as const)('CUSTOMER_API_CONNECTIONS=%s is taken as set, without a probe', async (set) => {
  const before = stalling.requests;
  const chosen = await chooseConnections(embeddedConfig(stalling.url, { CUSTOMER_API_CONNECTIONS: set }));
  expect(chosen).toEqual({ connections: set });
  expect(stalling.requests).toBe(before);
});

test("the checks' client opens a new connection for each request under 'new', and reuses them otherwise", async () => {
  for (const connections of ['new', 'reuse'] as const) {
    seen.length = 0;
    const env = createRunEnv({ ...embeddedConfig(stalling.url), connections }, { ledgerFile: null });
    const url = `${stalling.url}/v2/customer/00000000-0000-4000-8000-000000000000`;
    for (let i = 0; i < 2; i++) await env.http.send({ method: 'GET', url, headers: {} });
    await env.http.destroy();
    expect(seen).toEqual(connections === 'new' ? ['close', 'close'] : ['keep-alive', 'keep-alive']);
  }
});

test('a run on a target slow on reused connections: new ones, said on the console and in the reports', async () => {
  const run = await runCli(['--only', 'CUS-GET-404'], remoteEnv(stalling.url));
  expect(run.code, run.stderr + run.stdout).toBe(0);
  expect(run.stdout).toMatch(/^connections: a new one for each request \(on a reused one/m);
  expect(readFileSync(join(run.reports, 'conformance.md'), 'utf8')).toMatch(
    /^\| connections \| a new one for each request \(on a reused one/m,
  );
  // the certificate's run section says so too (not above it: how the suite connected is not the target's answer)
  const cert = readFileSync(join(run.reports, 'certificate.md'), 'utf8');
  expect(cert.slice(cert.indexOf('## This run'))).toMatch(/^- Connections: a new one for each request \(/m);
  expect(target.count()).toBe(0);
}, 60_000);
