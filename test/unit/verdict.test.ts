import { describe, expect, test } from 'vitest';
import type { ApiResponse } from '../../helpers/client/api-response.ts';
import type { CheckResult } from '../../helpers/report/result.ts';
import { errorBodyProblems, isJsonContentType } from '../../helpers/client/error-body.ts';
import { Redactor } from '../../helpers/client/redact.ts';
import { certificate, certificateMarkdown } from '../../helpers/report/certificate.ts';
import { paint, summarize, summaryMarkdown, summaryTable, type RunInfo } from '../../helpers/report/summary.ts';
import { resolveTitle, selects } from '../../helpers/run/harness-state.ts';
import { overall, verdicts } from '../../helpers/report/verdict.ts';

const res = (status: number, text: string, ct = 'application/json'): ApiResponse =>
  ({
    status,
    headers: { 'content-type': ct },
    text,
    json: undefined,
    exchange: undefined as never,
    curl: '',
  }) as unknown as ApiResponse;
const r = new Redactor(['secret-key-1234']);

/** A run's description, the same in every test */
const RUN: RunInfo = {
  target: 'https://t',
  targetKind: 'remote',
  suiteVersion: '1',
  seed: 1,
  runId: 'a',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:01:00Z',
  node: 'v20',
};

describe('error bodies (CUS-ERR-BODY)', () => {
  test('accept the documented shape in every reading: charset, +json, extra fields, details', () => {
    expect(errorBodyProblems(res(404, '{"code":404,"message":"nope","timestamp":1764075600}'), r, {})).toEqual([]);
    expect(
      errorBodyProblems(
        res(
          400,
          '{"timestamp":1,"details":{"f":1},"message":"m","code":1001,"extra":true}',
          'application/problem+json; charset=utf-8',
        ),
        r,
        {},
      ),
    ).toEqual([]);
    expect(isJsonContentType('Application/JSON;charset=UTF-8')).toBe(true);
  });
  test.each([
    [res(404, 'Not Found', 'text/plain'), /not JSON/],
    [res(404, '{"message":"x","timestamp":1}'), /"code" is missing/],
    [res(404, '{"code":"404","message":"x","timestamp":1}'), /"code" is not an integer/],
    [
      res(
        500,
        '{"code":500,"message":"x","timestamp":1,' +
          '"details":{"stack":"Error: x\\n    at handler (/app/src/server.js:10:5)"}}',
      ),
      /stack trace/,
    ],
    [res(500, '{"code":500,"message":"syntax error at or near \\"FROM\\"","timestamp":1}'), /SQL/],
    [res(401, '{"code":401,"message":"bad key secret-key-1234","timestamp":1}'), /credential/],
    [res(400, '[]'), /not a JSON object/],
  ])('flag %#', (response, problem) => {
    expect(errorBodyProblems(response, r, {}).join('; ')).toMatch(problem);
  });
  test('the shape is configurable', () => {
    expect(errorBodyProblems(res(400, '{"error":"x"}'), r, { errorFields: 'error:string' })).toEqual([]);
  });
});

const result = (over: Partial<CheckResult>): CheckResult => ({
  name: 'c',
  title: 't',
  ids: ['CUS-GET-404'],
  feature: 'Get',
  tags: [],
  status: 'passed',
  failures: [],
  verified: ['CUS-GET-404'],
  durationMs: 1,
  requests: 1,
  ...over,
});

describe('verdicts', () => {
  test('failed beats passed, not verified is never passed', () => {
    const v = verdicts([
      result({}),
      result({ ids: ['CUS-GET-403'], status: 'not-verified', verified: [], reason: 'CUSTOMER_API_OTHER_KEY not set' }),
      result({
        ids: ['CUS-DEL-204'],
        status: 'failed',
        verified: [],
        failures: [{ id: 'CUS-DEL-204', expected: 'status 204', actual: 'status 200' }],
      }),
    ]);
    const by = Object.fromEntries(v.map((x) => [x.id, x]));
    expect(by['CUS-GET-404']!.verdict).toBe('passed');
    expect(by['CUS-GET-403']!.verdict).toBe('not verified');
    expect(by['CUS-GET-403']!.reasons[0]).toContain('CUSTOMER_API_OTHER_KEY not set');
    expect(by['CUS-DEL-204']!.verdict).toBe('failed');
    expect(by['CUS-DEL-204']!.evidence?.actual).toBe('status 200');
    expect(overall(v, [])).toBe('NOT CONFORMANT');
  });

  test('a check that held without its statement coming up is counted apart: it did not arise', () => {
    // a refused update changes nothing (CUS-UPD-ATOMIC); a target that accepted the value had nothing to judge
    const atomic = { ids: ['CUS-UPD-400-TYPE', 'CUS-UPD-ATOMIC'] as CheckResult['ids'] };
    const s = summarize(RUN, [
      result({ ...atomic, verified: ['CUS-UPD-400-TYPE', 'CUS-UPD-ATOMIC'] }),
      result({ ...atomic, verified: ['CUS-UPD-400-TYPE'] }),
    ]);
    const v = s.ids.find((x) => x.id === 'CUS-UPD-ATOMIC')!;
    expect([v.verdict, v.checks, v.passedChecks, v.notArisenChecks]).toEqual(['passed', 2, 1, 1]);
    expect(s.ids.find((x) => x.id === 'CUS-UPD-400-TYPE')!.notArisenChecks).toBe(0);
    expect(summaryTable(s, paint(false), 200)).toMatch(/CUS-UPD-ATOMIC +passed +1 of 2 +\(1 did not arise\)/);
    expect(summaryTable(s, paint(false), 200)).toContain('"did not arise": checks that held');
    expect(summaryMarkdown(s)).toContain('| CUS-UPD-ATOMIC | contract | passed | 2 (1/0/0, 1 did not arise) |');
    expect(summaryMarkdown(summarize(RUN, [result({})]))).not.toContain('did not arise');
  });

  test('the certificate is stable: same results, same text but for the run section', () => {
    // what differs from run to run stands apart, under "This run"
    const stable = (md: string) => md.slice(0, md.indexOf('## This run'));
    const run = RUN;
    const a = certificateMarkdown(certificate(summarize(run, [result({})])));
    const b = certificateMarkdown(
      certificate(
        summarize({ ...run, runId: 'b', startedAt: '2026-01-01T05:00:00Z', finishedAt: '2026-01-01T05:00:09Z' }, [
          result({ durationMs: 99 }),
        ]),
      ),
    );
    expect(stable(a)).toBe(stable(b));
    expect(stable(a).length).toBeGreaterThan(1000);
    expect(a).not.toBe(b);
    expect(a).toContain('Verdict: **INCOMPLETE**');
  });
});

test('a run against the embedded target says so wherever its verdict stands: not a certification', () => {
  const s = summarize({ ...RUN, targetKind: 'embedded' }, [result({})]);
  const note = 'reference run against the embedded target: not a certification';
  expect(summaryTable(s, paint(false), 200)).toMatch(new RegExp(`Verdict: \\w[\\w ]* \\(${note}\\)`));
  expect(summaryMarkdown(s)).toContain(`(${note})`);
  expect(summaryTable(summarize(RUN, [result({})]), paint(false), 200)).not.toContain(note);
});

describe('the console summary', () => {
  const run: RunInfo = { ...RUN, selection: 'only get' };
  const reason =
    'CUSTOMER_API_OTHER_USER_ID / CUSTOMER_API_OTHER_KEY / CUSTOMER_API_OTHER_ENTITY_ID not set, ' +
    'so another entity cannot be tried';
  const text = summaryTable(
    summarize(run, [
      result({}),
      result({
        ids: ['CUS-GET-403'],
        title: '[CUS-GET-403] GET with another entity',
        status: 'not-verified',
        verified: [],
        reason,
      }),
      result({
        ids: ['CUS-GET-400'],
        title: '[CUS-GET-400] GET /not-a-uuid',
        status: 'failed',
        verified: [],
        failures: [
          {
            id: 'CUS-GET-400',
            expected: 'status 400 for a malformed id',
            actual: 'status 500 (application/json), body {"code":500}',
            curl: "curl -sS -X GET 'https://t/v2/customer/not-a-uuid'",
          },
        ],
      }),
    ]),
    paint(false),
    80,
  );

  test('after the rows, each failed statement with its evidence, and each reason for not verified, whole', () => {
    expect(text).toMatch(/Failed statements \(1\)\n {2}✗ CUS-GET-400 \(1 failed check\) /);
    expect(text).toContain('    check     [CUS-GET-400] GET /not-a-uuid');
    expect(text).toContain('    expected  status 400 for a malformed id');
    expect(text).toContain('    actual    status 500 (application/json), body {"code":500}');
    expect(text).toContain("    request   curl -sS -X GET 'https://t/v2/customer/not-a-uuid'");
    expect(text).toContain(`Not verified (1)\n  ? CUS-GET-403  [CUS-GET-403] GET with another entity: ${reason}`);
  });

  test('statements a subset did not select are left out, and counted', () => {
    expect(text).not.toMatch(/^ {2}CUS-DEL-204/m);
    expect(text).toMatch(/\(34 statements not in this selection: not verified\)/);
    expect(text).toMatch(/^ {2}CUS-GET-404 +passed +1 of 1/m);
  });
});

describe('selection', () => {
  const c = {
    name: 'x',
    ids: ['CUS-TS-UPDATED'],
    feature: 'Timestamps',
    tags: ['timestamps', 'destructive'],
    run: async () => undefined,
  } as const;
  test.each([
    [{}, true],
    [{ only: ['timestamps'] }, true],
    [{ only: ['cus-ts'] }, true],
    [{ only: ['get', 'update'] }, false],
    [{ readOnly: true }, false],
  ])('%o → %s', (sel, want) => {
    expect(selects(sel, c)).toBe(want);
  });

  test('one check by its title or name, commas and all (what the reports show, to rerun it)', () => {
    const named = { ...c, name: 'update with billing first name only, no company_name gets 400' };
    const title = '[CUS-TS-UPDATED] update with billing first name only, no company_name gets 400';
    const other = { ...c, name: 'another check naming CUS-TS-UPDATED' };
    const only = (v: string) => resolveTitle({ only: v.split(',').map((x) => x.trim()), onlyText: v }, [named, other]);
    expect(selects(only(title), named)).toBe(true);
    expect(selects(only(named.name.toUpperCase()), named)).toBe(true);
    // the title's ids do not select the other checks naming them
    expect(selects(only(title), other)).toBe(false);
    expect(selects(only('[CUS-TS-UPDATED] another check'), { ...named, ids: ['CUS-GET-404'] })).toBe(false);
  });
});
