// The request and its response, secrets masked, as one attachment of the check's step that sent it; once a
// check has held, its exchanges are joined into one attachment (the report's generation pays per file: 2,300
// of them took it half a second longer than the 510 of the joined ones).
import * as allure from 'allure-js-commons';
import type { Exchange } from '../client/http.ts';
import type { Redactor } from '../client/redact.ts';
import { toCurl } from '../client/curl.ts';
import { jsonDepth } from '../client/json-depth.ts';

const MAX_BODY = 64 * 1024;

function pretty(body: string): string {
  const cut = body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n… (${body.length} bytes in all)` : body;
  // indenting deeply nested JSON grows quadratically (10,000 levels: 200 MB): shown as sent instead
  if (body.length > MAX_BODY || jsonDepth(body) > 32) return cut;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return cut;
  }
}

export function requestText(ex: Exchange, r: Redactor): string {
  const q = ex.request;
  const head = Object.entries(r.headers(q.headers)).map(([k, v]) => `${k}: ${v}`);
  return [
    `${q.method} ${r.text(q.url)}`,
    ...head,
    '',
    q.body === undefined ? '' : r.text(pretty(q.body)),
    '',
    `# reproduce:`,
    toCurl(q, r),
  ].join('\n');
}

export function responseText(ex: Exchange, r: Redactor): string {
  if (!ex.response) return `no response after ${Math.round(ex.durationMs)} ms: ${r.text(ex.error ?? 'unknown error')}`;
  const s = ex.response;
  const head = Object.entries(r.headers(s.headers)).map(([k, v]) => `${k}: ${v}`);
  return [
    `HTTP ${s.status} (${Math.round(ex.durationMs)} ms${ex.attempts > 1 ? `, ${ex.attempts} attempts` : ''})`,
    ...head,
    '',
    r.text(pretty(s.body)),
  ].join('\n');
}

/** One attachment an exchange, named e.g. `POST /v2/customer → 200`: the request, then the response. */
export async function attachExchange(ex: Exchange, r: Redactor): Promise<void> {
  const path = r.text(ex.request.url.replace(/^https?:\/\/[^/]+/, ''));
  const status = ex.response ? String(ex.response.status) : 'no response';
  const text = `${requestText(ex, r)}\n\n# response:\n${responseText(ex, r)}`;
  await allure.attachment(`${ex.request.method} ${path} → ${status}`, text, 'text/plain');
}

/** A message of allure-js's test runtime, as allure-vitest keeps them in a test's meta until the test ends. */
export interface RuntimeMessage {
  type: string;
  data?: { name?: string; content?: string; contentType?: string };
}

const EXCHANGE_NAME = /^[A-Z]+ .* → (\d{3}|no response)$/s;
const isExchange = (m: RuntimeMessage) =>
  m.type === 'attachment_content' && m.data?.contentType === 'text/plain' && EXCHANGE_NAME.test(m.data.name ?? '');

/**
 * A check that held or was not verified: its exchanges become one attachment after its steps, each under the
 * step that sent it, instead of a file each (a run's 2,300 files were half the report's generation). A check
 * that failed or broke keeps each exchange on its step: every one is evidence. `messages` is changed in place.
 */
export function compactExchanges(messages: RuntimeMessage[] | undefined): void {
  if (!messages?.some(isExchange)) return;
  const steps: string[] = [];
  const parts: string[] = [];
  const kept: RuntimeMessage[] = [];
  for (const m of messages) {
    if (m.type === 'step_start') steps.push(m.data?.name ?? '');
    if (m.type === 'step_stop') steps.pop();
    if (!isExchange(m)) kept.push(m);
    else {
      const text = Buffer.from(m.data!.content ?? '', 'base64').toString('utf8');
      parts.push(`## ${steps.length ? steps.join(' › ') : 'the check'}: ${m.data!.name}\n\n${text}`);
    }
  }
  const all = {
    name: `Exchanges (${parts.length})`,
    content: Buffer.from(parts.join('\n\n')).toString('base64'),
    encoding: 'base64',
    contentType: 'text/plain',
    fileExtension: 'txt',
    wrapInStep: true,
    timestamp: Date.now(),
  };
  messages.splice(0, messages.length, ...kept, { type: 'attachment_content', data: all });
}
