// CUS-SEC-REFLECT: input a correct target refuses never comes back unescaped (outside a JSON string), and a
// CR/LF in a value or an id never becomes a response header.
import { type ApiResponse, describeResponse } from '../../../helpers/client/api-response.ts';
import { setAt, type Json } from '../../model/assert.ts';
import type { Check, CheckContext } from '../../model/check.ts';
import { isJsonContentType } from '../../../helpers/client/error-body.ts';

/** What of a markup or CR/LF value must never appear raw outside JSON. */
export function fragments(v: unknown): string[] {
  if (typeof v !== 'string' || !/<\w|[\r\n]/.test(v)) return [];
  return [v, '<script', '<svg', 'onerror=', 'onload=', '\r\nX-Injected'].filter((f) => v.includes(f));
}

/** CUS-SEC-REFLECT on one response: no injected header, and a body that is not JSON carries none of the input. */
export function expectNotReflected(t: CheckContext, res: ApiResponse, sent: readonly string[]): void {
  if (res.headers['x-injected'] !== undefined)
    t.fail(
      'CUS-SEC-REFLECT',
      'no response header made from a CR/LF in the input',
      `the response has X-Injected: ${res.headers['x-injected']}; ${describeResponse(res)}`,
      res,
    );
  let json = isJsonContentType(res.headers['content-type']);
  if (json && res.text.length) {
    try {
      JSON.parse(res.text);
    } catch {
      json = false;
    }
  }
  const raw = json ? undefined : sent.find((s) => s.length > 0 && res.text.includes(s));
  if (raw !== undefined)
    t.fail(
      'CUS-SEC-REFLECT',
      'the input never reflected unescaped (outside a JSON string)',
      `the ${res.headers['content-type'] ?? 'untyped'} body carries ${JSON.stringify(raw.slice(0, 60))}; ` +
        `${describeResponse(res)}`,
      res,
    );
  t.pass('CUS-SEC-REFLECT');
}

/** Input a correct target must refuse (it breaks the phone pattern), so the refusal is what is inspected. */
const REFLECTED: { label: string; value: string }[] = [
  { label: 'a script element', value: '<script>alert(1)</script>' },
  { label: 'an attribute breakout', value: '"><svg onload=alert(1)>' },
  { label: 'CR/LF and a header line', value: '1\r\nX-Injected: yes' },
];

export const reflectChecks: Check[] = [
  ...REFLECTED.map((r): Check => ({
    name: `a refused update carrying ${r.label} does not reflect it unescaped`,
    ids: ['CUS-SEC-REFLECT'],
    feature: 'Security',
    tags: ['security'],
    params: { input: r.label, field: 'phone_number' },
    async run(t) {
      const c = await t.createCustomer();
      const res = await t.step(`update with ${r.label} in phone_number`, () =>
        t.api.update(c.id, setAt(t.data.valid() as Json, 'phone_number', r.value)),
      );
      expectNotReflected(t, res, fragments(r.value));
    },
  })),
  ...[
    {
      label: 'a script element',
      path: encodeURIComponent('<script>alert(1)</script>'),
      sent: ['<script>alert(1)</script>', '<script'],
    },
    { label: 'an encoded CR/LF and a header line', path: '%0D%0AX-Injected:%20yes', sent: ['\r\nX-Injected'] },
  ].map((p): Check => ({
    name: `a GET whose id is ${p.label} does not reflect it unescaped`,
    ids: ['CUS-SEC-REFLECT'],
    feature: 'Security',
    tags: ['security', 'read-only'],
    params: { id: p.label },
    async run(t) {
      const res = await t.step(`GET /${p.path}`, () => t.api.get(p.path));
      expectNotReflected(t, res, p.sent);
    },
  })),
];
