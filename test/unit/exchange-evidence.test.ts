// A check's exchanges as Allure evidence: placed among its steps when sent, written when the check ends.
import { describe, expect, test } from 'vitest';
import { ExchangeEvidence, type RuntimeMessage } from '../../helpers/report/attachments.ts';
import type { Exchange } from '../../helpers/client/http.ts';
import { Redactor } from '../../helpers/client/redact.ts';

const KEY = 'evidence-test-key-0c9d4e';
const r = new Redactor([KEY], ['user-a']);
const auth = `Basic ${Buffer.from(`user-a:${KEY}`).toString('base64')}`;
const exchange = (method: string, path: string, status?: number, body?: string): Exchange => ({
  request: {
    method,
    url: `http://127.0.0.1:1${path}`,
    headers: { authorization: auth },
    body,
    auth: { kind: 'basic-env', prefix: 'CUSTOMER_API' },
  },
  response: status ? { status, headers: { 'content-type': 'application/json' }, body: `{"note":"${KEY}"}` } : undefined,
  error: status ? undefined : 'connect ECONNREFUSED',
  startedAt: 0,
  durationMs: 12,
  attempts: 1,
});
const create = exchange('POST', '/v2/customer', 200, '{"a":{"b":1}}');
const get = exchange('GET', '/v2/customer/1', 404);
const gone = exchange('DELETE', '/v2/customer/1');
const step = (name: string) => ({ type: 'step_start', data: { name } });
const stop = { type: 'step_stop', data: {} };
const label = { type: 'metadata', data: { labels: [{ name: 'feature', value: 'Get' }] } };
const text = (m: RuntimeMessage | undefined) => m?.data?.content ?? '';

/** A check's run: a step with an exchange, a nested one, then an exchange outside any step. */
function run(): { messages: RuntimeMessage[]; evidence: ExchangeEvidence } {
  const messages: RuntimeMessage[] = [label];
  const evidence = new ExchangeEvidence(messages);
  messages.push(step('create a customer'));
  evidence.add(create, r);
  messages.push(stop, step('get it'), step('on a new connection'));
  evidence.add(get, r);
  messages.push(stop, stop);
  evidence.add(gone, r);
  return { messages, evidence };
}

describe('ExchangeEvidence', () => {
  test('each exchange takes its place among the steps when sent, written only when the check ends', () => {
    const { messages } = run();
    const names = messages.map((m) => (m.type === 'attachment_content' ? `${m.data?.name}: ${text(m)}` : m.type));
    expect(names).toEqual([
      'metadata',
      'step_start',
      'POST /v2/customer → 200: ',
      'step_stop',
      'step_start',
      'step_start',
      'GET /v2/customer/1 → 404: ',
      'step_stop',
      'step_stop',
      'DELETE /v2/customer/1 → no response: ',
    ]);
  });

  test('a check that failed: each exchange on its step, in full, with a command to reproduce it', () => {
    const { messages, evidence } = run();
    evidence.each();
    const [post, got, refused] = messages.filter((m) => m.type === 'attachment_content');
    expect(messages).toHaveLength(10);
    expect(text(post)).toContain('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(text(post)).toMatch(/# reproduce:\ncurl .*-u "\$CUSTOMER_API_USER_ID:\$CUSTOMER_API_KEY"/);
    expect(text(got)).toContain('\n# response:\nHTTP 404 (12 ms)\ncontent-type: application/json');
    expect(text(refused)).toContain('# response:\nno response after 12 ms: connect ECONNREFUSED');
    expect(messages.map(text).join('')).not.toContain(KEY);
    expect(messages.map(text).join('')).not.toContain(auth.slice(6));
  });

  test('a check that held: its exchanges compact, in one attachment after its steps, each under its step', () => {
    const { messages, evidence } = run();
    evidence.joined();
    expect(messages.slice(0, -1)).toEqual(
      [label, step('create a customer'), stop, step('get it')].concat([step('on a new connection'), stop, stop]),
    );
    expect(messages.at(-1)!.data!.name).toBe('Exchanges (3)');
    const all = text(messages.at(-1));
    expect(all.match(/^## .*$/gm)).toEqual([
      '## create a customer: POST /v2/customer → 200',
      '## get it › on a new connection: GET /v2/customer/1 → 404',
      '## the check: DELETE /v2/customer/1 → no response',
    ]);
    // the bodies as they went over the wire, secrets masked, no command
    expect(all).toContain('authorization: Basic ***\n\n{"a":{"b":1}}\n\n# response:\nHTTP 200 (12 ms)');
    expect(all).toContain('{"note":"***"}');
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('curl');
  });

  test('an exchange sent after the check ended (its test timed out) is written at once, in full', () => {
    const { messages, evidence } = run();
    evidence.each();
    evidence.joined();
    evidence.add(get, r);
    expect(messages).toHaveLength(11);
    expect(text(messages.at(-1))).toContain('# reproduce:');
  });

  test('a check without exchanges: its messages untouched', () => {
    const messages: RuntimeMessage[] = [step('a'), stop];
    new ExchangeEvidence(messages).joined();
    expect(messages).toEqual([step('a'), stop]);
  });
});
