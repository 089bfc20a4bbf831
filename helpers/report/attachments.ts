// The request and its response, secrets masked: a check's evidence, one attachment an exchange on the step
// that sent it, or for a check that held, all of them compact in one attachment (ExchangeEvidence).
import type { Exchange } from '../client/http.ts';
import type { Redactor } from '../client/redact.ts';
import { toCurl } from '../client/curl.ts';
import { jsonDepth } from '../client/json-depth.ts';

const MAX_BODY = 64 * 1024;

const cut = (body: string) =>
  body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n… (${body.length} bytes in all)` : body;

function pretty(body: string): string {
  // indenting deeply nested JSON grows quadratically (10,000 levels: 200 MB): shown as sent instead
  if (body.length > MAX_BODY || jsonDepth(body) > 32) return cut(body);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** How a body is shown: indented JSON (`pretty`) or as it went over the wire, cut at MAX_BODY (`cut`). */
type Shown = (body: string) => string;

const headerLines = (h: Record<string, string>, r: Redactor) =>
  Object.entries(r.headers(h)).map(([k, v]) => `${k}: ${v}`);

function requestLines(ex: Exchange, r: Redactor, show: Shown): string[] {
  const q = ex.request;
  return [`${q.method} ${r.text(q.url)}`, ...headerLines(q.headers, r), '', r.text(show(q.body ?? ''))];
}

function responseText(ex: Exchange, r: Redactor, show: Shown): string {
  if (!ex.response) return `no response after ${Math.round(ex.durationMs)} ms: ${r.text(ex.error ?? 'unknown error')}`;
  const s = ex.response;
  const took = `${Math.round(ex.durationMs)} ms${ex.attempts > 1 ? `, ${ex.attempts} attempts` : ''}`;
  return [`HTTP ${s.status} (${took})`, ...headerLines(s.headers, r), '', r.text(show(s.body))].join('\n');
}

/** An exchange's name among a check's steps, e.g. `POST /v2/customer → 200`. */
function exchangeName(ex: Exchange, r: Redactor): string {
  const path = r.text(ex.request.url.replace(/^https?:\/\/[^/]+/, ''));
  return `${ex.request.method} ${path} → ${ex.response ? String(ex.response.status) : 'no response'}`;
}

/** The request (with a curl command to reproduce it), then the response: JSON bodies indented. */
const exchangeText = (ex: Exchange, r: Redactor) =>
  [
    ...requestLines(ex, r, pretty),
    '',
    '# reproduce:',
    toCurl(ex.request, r),
    '',
    '# response:',
    responseText(ex, r, pretty),
  ].join('\n');

/** The same, bodies as they went over the wire and no command: what a held check keeps (half the size). */
const compactText = (ex: Exchange, r: Redactor) =>
  [...requestLines(ex, r, cut), '', '# response:', responseText(ex, r, cut)].join('\n');

/** A message of allure-js's test runtime, as allure-vitest keeps them in a test's meta until the test ends. */
export interface RuntimeMessage {
  type: string;
  data?: { name?: string; content?: string; contentType?: string; [field: string]: unknown };
}

// the text as it is, in UTF-8 (allure-js takes any Buffer encoding): base64 made the worker encode it, the message
// carry a third more, and the main process decode it again
const attachment = (name: string, content: string) => ({
  type: 'attachment_content',
  data: {
    name,
    content,
    encoding: 'utf8',
    contentType: 'text/plain',
    fileExtension: 'txt',
    wrapInStep: true,
    timestamp: Date.now(),
  },
});
interface Held {
  ex: Exchange;
  r: Redactor;
  message: ReturnType<typeof attachment>;
}

/**
 * A check's exchanges. Each takes its place among the check's steps when sent (an empty attachment in the
 * test's runtime messages); its text is written once the check has ended, as its result says: a check that
 * failed, broke or never ended keeps each exchange on its step, in full (every one is evidence); a check that
 * held or was not verified keeps them compact, in one attachment after its steps, each under the step that
 * sent it. A run's 2,300 files made the report's generation half a second longer than 510 joined ones.
 */
export class ExchangeEvidence {
  private readonly held: Held[] = [];
  private settled = false;

  /** `messages`: the test's runtime messages, where allure's steps are recorded as the check runs */
  constructor(private readonly messages: RuntimeMessage[]) {}

  add(ex: Exchange, r: Redactor): void {
    const held = { ex, r, message: attachment(exchangeName(ex, r), '') };
    this.messages.push(held.message);
    // one sent after the check ended (its test timed out): written at once
    if (this.settled) held.message.data.content = exchangeText(ex, r);
    else this.held.push(held);
  }

  /** a check that failed, broke or never ended: each exchange written in full on its step */
  each(): void {
    for (const h of this.held.splice(0)) h.message.data.content = exchangeText(h.ex, h.r);
    this.settled = true;
  }

  /** a check that held: its exchanges compact, joined in one attachment after its steps */
  joined(): void {
    const done = this.settled || !this.held.length;
    this.settled = true;
    if (done) return;
    const place = new Map(this.held.map((h) => [h.message as RuntimeMessage, h]));
    const steps: string[] = [];
    const parts: string[] = [];
    const kept: RuntimeMessage[] = [];
    for (const m of this.messages) {
      if (m.type === 'step_start') steps.push(m.data?.name ?? '');
      if (m.type === 'step_stop') steps.pop();
      const h = place.get(m);
      if (!h) kept.push(m);
      else
        parts.push(
          `## ${steps.length ? steps.join(' › ') : 'the check'}: ${m.data!.name}\n\n${compactText(h.ex, h.r)}`,
        );
    }
    const all = attachment(`Exchanges (${parts.length})`, parts.join('\n\n'));
    this.messages.splice(0, this.messages.length, ...kept, all);
    this.held.length = 0;
  }
}
