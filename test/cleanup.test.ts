// `npm run cleanup`: removes what earlier runs left behind, identified by the ledger in reports/ and by the
// suite's own marker, and nothing else; tolerates a target without a usable list endpoint.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCOUNTS, basicAuth, type Account } from '../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget, type TargetOptions } from '../fixtures/target/server.ts';
import { cleanupMain } from '../bin/cleanup.ts';
import { emptyEnvFile, remoteEnv } from './support/cli.ts';

const A = ACCOUNTS.a;
const B = ACCOUNTS.b;

async function create(t: RunningTarget, company: string, acc: Account = A): Promise<string> {
  const r = await fetch(`${t.url}/v2/customer`, {
    method: 'POST',
    headers: { authorization: basicAuth(acc), 'content-type': 'application/json' },
    body: JSON.stringify({ entity_id: acc.entityId, company_name: company }),
  });
  return ((await r.json()) as { id: string }).id;
}

async function names(t: RunningTarget, acc: Account): Promise<string[]> {
  const r = await fetch(`${t.url}/v2/customer?search=company_name==*&page_size=100`, {
    headers: { authorization: basicAuth(acc) },
  });
  return ((await r.json()) as { company_name: string }[]).map((c) => c.company_name).sort();
}

/** A ledger as a run writes it: the meta line, then created/deleted lines. */
function ledger(
  reports: string,
  t: RunningTarget,
  runId: string,
  pid: number,
  created: string[],
  deleted: string[] = [],
): string {
  const dir = join(reports, '.ledger');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${runId}.jsonl`);
  const meta = {
    op: 'run',
    runId,
    target: `${t.url}/v2/customer`,
    kind: 'remote',
    entityId: A.entityId,
    markerField: 'company_name',
    marker: `conformance-${runId}`,
    pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  appendFileSync(
    file,
    [
      meta,
      ...created.map((id) => ({ op: 'created', id, at: '' })),
      ...deleted.map((id) => ({ op: 'deleted', id, at: '' })),
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  return file;
}

async function cleanup(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  const out = { text: '', write: (c: string) => ((out.text += c), true) };
  const err = { text: '', write: (c: string) => ((err.text += c), true) };
  const code = await cleanupMain(args, { CONFORMANCE_ENV_FILE: emptyEnvFile(), ...env }, out as never, err as never);
  return { code, out: out.text, err: err.text };
}

async function withTarget<T>(opts: TargetOptions, fn: (t: RunningTarget) => Promise<T>): Promise<T> {
  const t = await startTarget(opts);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

describe.concurrent('npm run cleanup', () => {
  test(
    "deletes the ledger's ids and the suite's marked customers; " +
      'spares runs in progress, young unknown runs and everything else',
    async () => {
      await withTarget({}, async (t) => {
        const reports = mkdtempSync(join(tmpdir(), 'conformance-cleanup-'));
        const env = { ...remoteEnv(t.url), CONFORMANCE_REPORTS_DIR: reports };
        // a killed run: two customers in its ledger (one was renamed, so only the ledger finds it), one it had deleted
        const dead = 'a1b2c3d4';
        const [one, two] = [await create(t, `conformance-${dead} One`), await create(t, 'renamed by hand')];
        const finished = ledger(
          reports,
          t,
          dead,
          2 ** 22 + 12345,
          [one, two, 'f0e1d2c3-0000-4000-8000-000000000000'],
          ['f0e1d2c3-0000-4000-8000-000000000000'],
        );
        // a create of that run whose answer was lost: only the marker finds it, and a defective target moved one
        // to entity B
        await create(t, `conformance-${dead} Lost`);
        await create(t, `conformance-${dead} Moved`, B);
        // a run still in progress on this host (its process is alive): left alone
        const busy = 'feedbeef';
        const inProgress = ledger(reports, t, busy, process.ppid, [await create(t, `conformance-${busy} Busy`)]);
        // a run not recorded here (another machine), created just now: spared unless --all
        await create(t, 'conformance-0badc0de Elsewhere');
        // not the suite's
        for (const n of [
          'Acme Corp',
          'conformance-xyz Almost',
          'conformance-0badc0dex Longer',
          'Conformance-a1b2c3d4 Case',
        ])
          await create(t, n);
        await create(t, 'Other Co', B);

        const r = await cleanup([], env);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(r.out).toContain(`deleted ${one} (run ${dead}, from the ledger)`);
        expect(r.out).toContain(`deleted ${two} (run ${dead}, from the ledger)`);
        expect(r.out.match(/\(found by marker\)/g)).toHaveLength(2);
        expect(r.out).toMatch(/run feedbeef: still in progress .*left alone/);
        expect(r.out).toMatch(/spared 1 marked customer\(s\) of runs not recorded here, created less than 15 min ago/);
        expect(r.out).toMatch(/^removed 4 customer\(s\)$/m);
        expect(await names(t, A)).toEqual(
          [
            'Acme Corp',
            'Conformance-a1b2c3d4 Case',
            'conformance-0badc0de Elsewhere',
            'conformance-0badc0dex Longer',
            `conformance-${busy} Busy`,
            'conformance-xyz Almost',
          ].sort(),
        );
        expect(await names(t, B)).toEqual(['Other Co']);
        expect(existsSync(finished)).toBe(false);
        expect(existsSync(inProgress)).toBe(true);

        const all = await cleanup(['--all'], env);
        expect(all.code).toBe(0);
        expect(await names(t, A)).toEqual(
          [
            'Acme Corp',
            'Conformance-a1b2c3d4 Case',
            'conformance-0badc0dex Longer',
            `conformance-${busy} Busy`,
            'conformance-xyz Almost',
          ].sort(),
        );
      });
    },
  );

  test(
    'a target whose list endpoint is not usable: ledger ids are still deleted, ' +
      'and the output says what could not be done',
    async () => {
      await withTarget(
        { fault: { kind: 'status503', method: 'GET', path: 'collection', retryAfterSec: 0 } },
        async (t) => {
          const reports = mkdtempSync(join(tmpdir(), 'conformance-cleanup-'));
          const id = await create(t, 'conformance-12345678 Ledgered');
          await create(t, 'conformance-12345678 Unrecorded');
          ledger(reports, t, '12345678', 2 ** 22 + 54321, [id]);
          const r = await cleanup([], { ...remoteEnv(t.url), CONFORMANCE_REPORTS_DIR: reports });
          expect(r.code).toBe(0);
          expect(r.out).toContain(`deleted ${id}`);
          expect(r.out).toMatch(
            new RegExp(
              'the search by marker \\(company_name==conformance-\\*\\) could not be used: ' +
                'the list endpoint answered status 503.*; only ids recorded in the ledger were cleaned up',
            ),
          );
          expect(t.count()).toBe(1);
        },
      );
    },
  );

  test('the embedded target keeps nothing; an unreachable target is one line and exit 2', async () => {
    const e = await cleanup([], { CONFORMANCE_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'conformance-cleanup-')) });
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/embedded reference target keeps customers in memory only/);
    const u = await cleanup([], {
      ...remoteEnv('http://127.0.0.1:9'),
      CONFORMANCE_REPORTS_DIR: mkdtempSync(join(tmpdir(), 'conformance-cleanup-')),
    });
    expect(u.code).toBe(2);
    expect(u.err.trim().split('\n')).toHaveLength(1);
    expect(u.err).toMatch(/^cleanup: cannot use the target: connection refused/);
    const bad = await cleanup(['--older-than', 'soon'], {});
    expect([bad.code, bad.err.trim()]).toEqual([
      2,
      'cleanup: --older-than needs a whole number of minutes, e.g. --older-than 60',
    ]);
  });
});
