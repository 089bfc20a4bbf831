// The Allure history a run keeps (reports/allure-history.jsonl): compact, what the trend and the history tab show.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compactHistory } from '../../helpers/report/allure-history.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'allure-history-'));

describe('compactHistory', () => {
  const entry = {
    id: 'a1',
    historyId: 'h1',
    name: '[CUS-GET-200] get a customer',
    fullName: 'customer-api-conformance:suites/get.test.ts#Get [CUS-GET-200] get a customer',
    environment: 'default',
    status: 'failed',
    error: { message: 'expected 200; got 500', trace: 'at …' },
    start: 1,
    stop: 3,
    duration: 2,
    labels: [{ name: 'feature', value: 'Get' }],
    url: '',
    reportLinks: [],
  };

  test('keeps what the trend and the history tab show, drops labels, full names and traces', () => {
    const file = join(fresh(), 'allure-history.jsonl');
    const point = { uuid: 'u', name: 'run', timestamp: 5, knownTestCaseIds: ['h1'], testResults: { h1: entry } };
    writeFileSync(file, `${JSON.stringify(point)}\nnot json\n`);
    compactHistory(file);
    const [first, second] = readFileSync(file, 'utf8').trim().split('\n');
    expect(second).toBe('not json');
    const kept = JSON.parse(first!);
    expect(kept).toMatchObject({ uuid: 'u', name: 'run', timestamp: 5, knownTestCaseIds: ['h1'] });
    expect(kept.testResults.h1).toEqual({
      id: 'a1',
      historyId: 'h1',
      name: entry.name,
      environment: 'default',
      status: 'failed',
      error: { message: 'expected 200; got 500' },
      start: 1,
      stop: 3,
      duration: 2,
      url: '',
    });
    // again: the same
    const once = readFileSync(file, 'utf8');
    compactHistory(file);
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  test('compacts every line that holds labels and the last one; leaves the compact ones as they are', () => {
    const file = join(fresh(), 'allure-history.jsonl');
    const point = (uuid: string, e: object) => JSON.stringify({ uuid, testResults: { h1: e } });
    const { id, historyId, name, environment, status, start, stop, duration, url } = entry;
    const compact = { id, historyId, name, environment, status, error: { message: entry.error.message } };
    Object.assign(compact, { start, stop, duration, url });
    // a compact line as another tool wrote it: its key order kept, byte for byte
    const kept = point('u2', { url, ...compact, id: 'a2' });
    writeFileSync(file, [point('u1', entry), kept, point('u3', { ...entry, labels: [] })].join('\n') + '\n');
    compactHistory(file);
    const [first, second, third] = readFileSync(file, 'utf8').trim().split('\n');
    expect(second).toBe(kept);
    for (const line of [first!, third!]) {
      expect(line).not.toMatch(/labels|fullName|trace|reportLinks/);
      expect(JSON.parse(line).testResults.h1).toEqual(compact);
    }
  });

  test('no history yet: nothing written', () => {
    const file = join(fresh(), 'allure-history.jsonl');
    compactHistory(file);
    expect(() => readFileSync(file)).toThrow();
  });
});
