// The run writes a plain test's Allure result itself (helpers/report/allure-test-task.ts): the same result,
// field for field, as allure-vitest's own reporter, which keeps every test out of the ordinary.
import AllureVitestReporter from 'allure-vitest/reporter';
import { InMemoryWriter, ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { afterEach, expect, test } from 'vitest';
import { isPlainTest, PlainTestWriter } from '../../helpers/report/allure-test-task.ts';
import { ROOT } from '../support/cli.ts';

const suite = (name: string, parent?: object) => ({ type: 'suite', name, suite: parent }) as never;
const root = suite('', undefined);

function task(name: string, result: object, meta: object = {}, mode = 'run'): RunnerTestCase {
  return {
    type: 'test',
    name,
    mode,
    meta: { vitestWorker: 2, ...meta },
    result: { startTime: 1_700_000_000_000, duration: 12, ...result },
    file: { filepath: `${ROOT}/suites/part-1.test.ts` },
    suite: suite('Get', suite('Customer API', root)),
  } as unknown as RunnerTestCase;
}

const text = (s: string) => Buffer.from(s).toString('base64');
const MESSAGES = [
  { type: 'metadata', data: { labels: [{ name: 'feature', value: 'Get' }], links: [{ url: 'https://x.test' }] } },
  { type: 'step_start', data: { name: 'GET /v2/customer/…', start: 1_700_000_000_001 } },
  {
    type: 'attachment_content',
    data: { name: 'exchange', content: text('GET …\n200 OK'), encoding: 'base64', contentType: 'text/plain' },
  },
  { type: 'step_stop', data: { status: 'passed', stop: 1_700_000_000_005 } },
];

const CASES: [string, RunnerTestCase][] = [
  [
    'a passed check with its steps and exchanges',
    task(
      '[CUS-GET-200] get a customer',
      { state: 'pass' },
      {
        allureRuntimeMessages: MESSAGES,
      },
    ),
  ],
  [
    'a failed check',
    task('[CUS-GET-404] get of an unknown id gets 404', {
      state: 'fail',
      errors: [{ name: 'Nonconformance', message: 'expected 404 (CUS-GET-404); got 200', stack: 'Nonconformance: …' }],
    }),
  ],
  ['a title carrying Allure metadata', task('a check @allure.label.owner=qa @allure.id=7', { state: 'pass' })],
  ['a check skipped as not verified', task('[CUS-X] not verifiable', { state: 'skip' })],
];

/** What each writes for `t`, uuids, attachment names and times aside. */
function written(write: (runtime: ReporterRuntime, t: RunnerTestCase) => void, t: RunnerTestCase) {
  const writer = new InMemoryWriter();
  write(new ReporterRuntime({ writer }), t);
  const json = JSON.stringify(writer.tests).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'uuid');
  return { results: JSON.parse(json) as unknown, attachments: Object.values(writer.attachments).map(String) };
}

const allureVitest = (runtime: ReporterRuntime, t: RunnerTestCase) =>
  AllureVitestReporter.prototype.handleTask.call(
    { allureReporterRuntime: runtime, config: {}, globalRuntimeMessages: [] } as never,
    t as RunnerTask,
  );
const plain = (runtime: ReporterRuntime, t: RunnerTestCase) => new PlainTestWriter(runtime).write(t);

afterEach(() => {
  delete process.env.ALLURE_LABEL_team;
});

test.each(CASES)('%s: the same result as allure-vitest writes', (_, t) => {
  process.env.ALLURE_LABEL_team = 'payments';
  expect(isPlainTest(t)).toBe(true);
  const ours = written(plain, t);
  expect(ours).toEqual(written(allureVitest, t));
  expect(JSON.stringify(ours.results)).toContain('"team"');
});

test('anything out of the ordinary is left to allure-vitest', () => {
  const pass = { state: 'pass' };
  const hookFailed = { state: 'fail', hooks: { beforeEach: 'fail' }, errors: [{ message: 'hook' }] };
  expect(isPlainTest(task('a', hookFailed))).toBe(false);
  expect(isPlainTest(task('a', pass, { allureGlobalRuntimeMessages: [{ type: 'global_error', data: {} }] }))).toBe(
    false,
  );
  expect(isPlainTest(task('a', pass, { allureSkip: true }))).toBe(false);
  expect(isPlainTest(task('a', pass, { browser: 'chromium' }))).toBe(false);
  expect(isPlainTest(task('a', pass, {}, 'skip'))).toBe(false);
  expect(isPlainTest({ ...task('a', pass), result: undefined } as RunnerTestCase)).toBe(false);
  expect(isPlainTest(suite('Get', root))).toBe(false);
});
