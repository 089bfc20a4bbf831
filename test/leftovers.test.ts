// A hostile target cannot make the run leave data behind silently: creates whose answers carry no usable
// customer stop the run and say how many may be left, and every customer the suite creates carries the
// run marker (so npm run cleanup finds it), even when a row removes or replaces the marker field.
import { describe, expect, test } from 'vitest';
import { startTarget } from '../fixtures/target/server.ts';
import { remoteEnv, runCli } from './support/cli.ts';
import { behindProxy } from './support/servers.ts';
import { at } from '../helpers/client/json-path.ts';
import { markerFields } from '../helpers/config/config.ts';
import { createRunEnv, embeddedConfig } from '../helpers/run/run-env.ts';
import { runChecks } from '../suites/model/run-checks.ts';
import { allChecks } from '../suites/registry.ts';

describe('nothing left behind silently', () => {
  const HTML_OK = '<html><body>Deleted!</body></html>';

  test(
    'a target that answers DELETE with a 2xx page but deletes nothing: ' +
      'the ids stay in the ledger, and the run says it could not delete them',
    () =>
      behindProxy(
        (req, res) => {
          if (req.method !== 'DELETE') return false;
          res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': String(HTML_OK.length) });
          res.end(HTML_OK);
          return true;
        },
        async (proxy, target) => {
          const run = await runCli(['--only', 'workflow,CUS-DEL-204'], remoteEnv(proxy.url));
          const left = target.count();
          expect(left).toBeGreaterThan(0);
          expect(run.stderr).toMatch(
            new RegExp(`could not delete ${left} customer\\(s\\) created by this run: .*; run npm run cleanup\\n$`),
          );
          expect(run.code).toBe(1);
        },
      ),
    90_000,
  );

  test(
    'creates answered 200 with an empty body after dozens of good answers: no more creates, ' +
      'the run stops (exit 1) saying how many may be stored, and the marker search deletes them',
    async () => {
      let creates = 0;
      await behindProxy(
        async (req, res, sent, target) => {
          if (req.method !== 'POST' || req.url !== '/v2/customer' || ++creates <= 40) return false;
          // stored, but the answer carries no customer
          await fetch(target.url + req.url, {
            method: 'POST',
            headers: { authorization: req.headers.authorization!, 'content-type': 'application/json' },
            body: new Uint8Array(sent),
          });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '0' });
          res.end();
          return true;
        },
        async (proxy, target) => {
          const run = await runCli(['--only', 'update'], remoteEnv(proxy.url));
          expect(run.code, run.stderr).toBe(1);
          expect(run.stderr).toMatch(
            new RegExp(
              'stopped: a create was answered 200 with an empty body: ' +
                'it may have stored a customer this run cannot see or delete, so no more are created',
            ),
          );
          expect(run.stderr).toMatch(
            /\d+ create\(s\) answered without a usable customer may each have stored one .*run npm run cleanup/,
          );
          // creates stop at once: a few in flight at most
          expect(creates).toBeLessThan(40 + 20);
          expect(target.count()).toBe(0);
        },
      );
    },
    90_000,
  );
});

describe('every customer the suite creates carries the run marker', () => {
  test(
    'also the rows that remove or replace the marker field: ' + 'the marker moves to the second marker field',
    async () => {
      // deletes refused: whatever the checks created stays, to be inspected
      const target = await startTarget({ fault: { kind: 'status503', method: 'DELETE', retryAfterSec: 0 } });
      try {
        const cfg = embeddedConfig(target.url, {
          CONFORMANCE_SEED: '5',
          CUSTOMER_API_CONCURRENCY: '16',
          CUSTOMER_API_NAME_RULE: 'either',
        });
        const run = createRunEnv(cfg, { ledgerFile: null });
        await runChecks(
          allChecks(cfg).filter((c) => c.feature === 'Update' || c.feature === 'Workflow'),
          run,
        );
        await run.http.close();
        const stored = target.customers();
        expect(stored.length).toBeGreaterThan(100);
        const [field, fallback] = markerFields(cfg);
        const unmarked = stored.filter(
          (c) => ![field, fallback].some((f) => String(at(c, f) ?? '').startsWith(run.marker)),
        );
        expect(unmarked.map((c) => JSON.stringify(c).slice(0, 200))).toEqual([]);
        // some rows did need the second field
        expect(stored.some((c) => !String(at(c, field) ?? '').startsWith(run.marker))).toBe(true);
      } finally {
        await target.close();
      }
    },
    120_000,
  );
});
