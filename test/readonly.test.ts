// Read-only runs (--read-only, CUSTOMER_API_READONLY_CUSTOMER_ID): they create, change and delete nothing,
// pass on the reference target, and still catch the defects they can see.
import { beforeAll, describe, expect, test } from 'vitest';
import { basicAuth, ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { selects } from '../helpers/run/harness-state.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { runChecks } from '../suites/model/run-checks.ts';
import { allChecks } from '../suites/registry.ts';

async function seedCustomer(t: RunningTarget): Promise<{ id: string; text: string }> {
  const res = await fetch(`${t.url}/v2/customer`, {
    method: 'POST',
    headers: { authorization: basicAuth(ACCOUNTS.a), 'content-type': 'application/json' },
    body: JSON.stringify({
      entity_id: ACCOUNTS.a.entityId,
      company_name: 'Pre-existing Ltd',
      email_address: 'owner@example.com',
      billing: { first_name: 'Ann', last_name: 'Owner' },
    }),
  });
  const body = (await res.json()) as { id: string };
  const got = await fetch(`${t.url}/v2/customer/${body.id}`, { headers: { authorization: basicAuth(ACCOUNTS.a) } });
  return { id: body.id, text: await got.text() };
}

async function readOnlyRun(defect?: string) {
  const target = await startTarget({ defect });
  try {
    const seeded = await seedCustomer(target);
    const cfg = embeddedConfig(target.url, { CUSTOMER_API_READONLY_CUSTOMER_ID: seeded.id, CONFORMANCE_SEED: '7' });
    const env = createRunEnv(cfg, { ledgerFile: null });
    const checks = allChecks(cfg).filter((c) => selects({ readOnly: true }, c));
    const results = await runChecks(checks, env);
    await env.http.close();
    const after = await fetch(`${target.url}/v2/customer/${seeded.id}`, {
      headers: { authorization: basicAuth(ACCOUNTS.a) },
    });
    return { results, count: target.count(), before: seeded.text, after: await after.text(), checks };
  } finally {
    await target.close();
  }
}

describe('read-only runs', () => {
  let ref: Awaited<ReturnType<typeof readOnlyRun>>;
  beforeAll(async () => {
    ref = await readOnlyRun();
  });

  test('select only checks tagged read-only, including the pre-existing customer checks', () => {
    expect(ref.checks.every((c) => c.tags.includes('read-only'))).toBe(true);
    expect(ref.checks.some((c) => c.params?.customer === 'CUSTOMER_API_READONLY_CUSTOMER_ID')).toBe(true);
    expect(ref.checks.some((c) => c.tags.includes('destructive'))).toBe(false);
  });

  test('pass on the reference target and leave it exactly as it was', () => {
    expect(ref.results.filter((r) => r.status !== 'passed').map((r) => r.title)).toEqual([]);
    expect(ref.count).toBe(1);
    expect(JSON.parse(ref.after)).toEqual(JSON.parse(ref.before));
  });

  test.each([
    ['auth-skipped-on-get', 'CUS-GET-401'],
    ['other-entity-get-allowed', 'CUS-GET-403'],
    ['updated-at-moved-on-get', 'CUS-TS-READ'],
    ['id-missing-from-get', 'CUS-GET-200'],
    ['get-text-plain', 'CUS-GET-200'],
    ['timestamps-without-zone', 'CUS-TS-FORMAT'],
  ])('catch %s (%s) without creating anything', async (defect, id) => {
    const run = await readOnlyRun(defect);
    expect(run.results.flatMap((r) => r.failures.map((f) => f.id))).toContain(id);
    expect(run.count).toBe(1);
  });
});
