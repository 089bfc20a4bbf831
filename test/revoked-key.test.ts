// A 401 to the other entity's credentials is the product's answer (a foreign customer refused with 401,
// not 403) or the environment's (the key was revoked): a get of an unknown id with the same key tells them
// apart, so a revoked key is never a nonconformance.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { basicHeader } from '../helpers/client/caller.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { SUITE } from '../suites/suite.ts';
import { verdicts } from '../helpers/report/verdict.ts';
import { always, proxyThen, serve, type Served } from './support/servers.ts';

const OTHER = basicHeader(ACCOUNTS.b.userId, ACCOUNTS.b.apiKey);
const REFUSED = always(
  401,
  { 'Content-Type': 'application/json' },
  '{"code":401,"message":"Unauthorized","timestamp":1}',
);

let target: RunningTarget;
let proxy: Served;

beforeAll(async () => {
  target = await startTarget();
  const forward = proxyThen(target.url, Number.POSITIVE_INFINITY, REFUSED);
  // the other entity's key refused for everything; the main key answered by the target
  proxy = await serve((req, res, n, body) =>
    req.headers.authorization === OTHER ? REFUSED(req, res, n, body) : forward(req, res, n, body),
  );
});

afterAll(async () => {
  await proxy?.close();
  await target?.close();
});

test("the other entity's key revoked: its checks broken by the environment, none failed", async () => {
  const cfg = embeddedConfig(proxy.url, { CONFORMANCE_SEED: '7' });
  const env = createRunEnv(cfg, { ledgerFile: null });
  const checks = SUITE.checks(cfg).filter((c) => c.ids.some((id) => /^CUS-(GET|UPD|DEL)-403$/.test(id)));
  const results = await SUITE.run(checks, env);
  await env.http.close();
  expect(results.filter((r) => r.status === 'failed').map((r) => r.title)).toEqual([]);
  // and no statement is failed by what the refused key was answered
  expect(
    verdicts(results)
      .filter((v) => v.verdict === 'failed')
      .map((v) => `${v.id}: ${v.evidence?.actual}`),
  ).toEqual([]);
  expect(results.some((r) => r.cause === 'environment' && /CUSTOMER_API_OTHER_KEY\) are refused/.test(r.reason!))).toBe(
    true,
  );
  expect(target.count()).toBe(0);
});
