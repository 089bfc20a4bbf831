// The run's Allure files: results written in the background and waited for, and the history kept compact.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compactHistory } from '../../helpers/report/allure-history.ts';
import { BackgroundWriter } from '../../helpers/report/allure-writer.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'allure-files-'));

describe('BackgroundWriter', () => {
  test('every result and attachment is on disk once flush resolves', async () => {
    const dir = join(fresh(), 'allure-results');
    const w = new BackgroundWriter(dir);
    for (let i = 0; i < 200; i++) w.writeAttachment(`${i}-attachment.txt`, Buffer.from(`exchange ${i}`));
    w.writeResult({ uuid: 'r1', name: 'a check' } as never);
    w.writeCategoriesDefinitions([{ name: 'Nonconformance' }]);
    w.writeEnvironmentInfo({ seed: '7' });
    await w.flush();
    expect(readdirSync(dir)).toHaveLength(203);
    expect(readFileSync(join(dir, '199-attachment.txt'), 'utf8')).toBe('exchange 199');
    expect(JSON.parse(readFileSync(join(dir, 'r1-result.json'), 'utf8')).name).toBe('a check');
    expect(readFileSync(join(dir, 'environment.properties'), 'utf8')).toContain('seed=7');
  });

  test('a file that cannot be written fails the flush, naming it', async () => {
    const dir = join(fresh(), 'allure-results');
    const w = new BackgroundWriter(dir);
    mkdirSync(join(dir, 'taken-attachment.txt'));
    w.writeAttachment('taken-attachment.txt', Buffer.from('x'));
    await expect(w.flush()).rejects.toThrow(/could not write the Allure results in .*taken-attachment\.txt/);
  });
});

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

  test('no history yet: nothing written', () => {
    const file = join(fresh(), 'allure-history.jsonl');
    compactHistory(file);
    expect(() => readFileSync(file)).toThrow();
  });
});
