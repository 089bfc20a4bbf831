// CUS-SEC-INPUT: hostile input in a free-text field (every payload harmless even where it is concatenated into
// a query, see ../security.ts) is refused (4xx) or stored exactly as sent, never answered 5xx, never reflected.
import {
  ALL_READINGS,
  outcomesUnder,
  settingShown,
  type Outcome,
  type ReadingRow,
} from '../../../fixtures/contract/readings.ts';
import type { ContractId } from '../../../fixtures/contract/statements.ts';
import { type ApiResponse, describeResponse } from '../../../helpers/client/api-response.ts';
import { raw, rawBytes } from '../../../helpers/client/request-body.ts';
import { expectUnchanged, setAt, showDiffs, type Json } from '../../model/assert.ts';
import type { Check, CheckContext } from '../../model/check.ts';
import { EnvironmentAnswer } from '../../../helpers/run/environment.ts';
import { isReset } from '../../../helpers/client/http.ts';
import type { Config } from '../../../helpers/config/config.ts';
import { outcomesText, read, storedDiffs } from '../steps.ts';
import { expectNotReflected, fragments } from './reflect.ts';

/** The free-text field hostile values go into: never the marker field. */
export function inputField(cfg: Pick<Config, 'markerField'>): string {
  return ['company_name', 'billing.address_1', 'shipping.address_1'].find((f) => f !== cfg.markerField)!;
}

type Built = { raw: string } | { bytes: Uint8Array };

interface Hostile {
  label: string;
  /** a value for the free-text field */
  value?: unknown;
  /** or a whole body, built around a valid customer with the field map applied */
  body?: (valid: Json, field: string) => Built;
  /** only a refusal is right, because the input cannot be stored as sent: why */
  mustReject?: string;
  /** what a correct deployment may do, where a standard leaves it open (fixtures/contract/readings.ts) */
  reading?: ReadingRow;
  /** also sent as an update (every input is sent as a create; updates for a representative part) */
  update?: boolean;
  /** a body over 1 MB: a server may refuse it by closing the connection before it has read it all */
  large?: boolean;
}

/** Bytes that are not UTF-8 in the field's value, and what the WHATWG decoder (U+FFFD replacement) makes of them. */
function notUtf8(bytes: number[]): Pick<Hostile, 'body' | 'reading'> {
  const storeAs = new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  return {
    body: (v, f) => withBytes(v, f, bytes),
    reading: {
      point: 'invalid-utf8',
      outcomes: {
        reject: 'reject',
        replace: { storeAs, as: `${JSON.stringify(storeAs)} (each ill-formed subsequence as U+FFFD)` },
      },
    },
  };
}

const LONE = 'a\ud800b';

const DEPTH = 10_000;
const TOKEN = '__conformance_hostile__';

/** A valid customer as JSON text with the field's value replaced by raw bytes. */
function withBytes(valid: Json, field: string, bytes: number[]): Built {
  const text = JSON.stringify(setAt(valid, field, TOKEN));
  const [a, b] = text.split(TOKEN) as [string, string];
  return { bytes: Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]) };
}

/** A valid customer as JSON text with one more member (inserted as written). */
function withMember(valid: Json, member: string): Built {
  return { raw: `${JSON.stringify(valid).slice(0, -1)},${member}}` };
}

export const HOSTILE: readonly Hostile[] = [
  // SQL and NoSQL: quotes that end a literal, a tautology, operators where a string belongs
  { update: true, label: 'quotes and a backslash', value: `O'Brien "Sons" \\ Ltd` },
  { update: true, label: 'an SQL tautology', value: `' OR '1'='1` },
  { label: 'a NoSQL operator as text', value: '{"$gt": ""}' },
  { label: 'a NoSQL operator as an object', value: { $ne: null }, mustReject: 'an object where a string belongs' },
  { label: 'a JavaScript expression', value: `'+this.constructor+'` },
  // markup and templates
  { update: true, label: 'a script element', value: '<script>alert(1)</script>' },
  { label: 'an attribute breakout', value: '"><img src=x onerror=alert(1)>' },
  { label: 'template expressions', value: '{{7*7}} ${7*7} <%= 7*7 %>' },
  // paths, lines, control characters, formats
  { label: 'a path traversal', value: '../../../../etc/passwd' },
  { label: 'a Windows path traversal', value: '..\\..\\windows\\win.ini' },
  { update: true, label: 'CR/LF and a header line', value: 'x\r\nX-Injected: yes' },
  { update: true, label: 'a NUL character', value: 'nul\u0000byte' },
  { label: 'terminal escape sequences', value: '\u001b[31mred\u001b[0m\u0007' },
  { label: 'a right-to-left override', value: 'invoice\u202Efdp.exe' },
  { label: 'format and LDAP metacharacters', value: '%s%n%x *)(uid=*))(|(uid=*' },
  {
    update: true,
    label: 'a lone UTF-16 surrogate',
    value: LONE,
    reading: {
      point: 'lone-surrogate',
      outcomes: {
        keep: 'store',
        replace: { storeAs: 'a\ufffdb', as: '"a\uFFFDb" (the surrogate as U+FFFD)' },
        reject: 'reject',
      },
    },
  },
  { label: 'emoji and CJK', value: 'Zoë 北京 🙂🏳️‍🌈' },
  // size and shape
  { update: true, large: true, label: 'a 1 MB string', value: 'A'.repeat(1_000_000) },
  {
    update: true,
    label: `JSON nested ${DEPTH} levels deep in an extra member`,
    body: (v) => withMember(v, `"conformance_nesting":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`),
  },
  {
    update: true,
    label: `an object nested ${DEPTH} levels deep where a string belongs`,
    body: (v, f) => ({
      raw: JSON.stringify(setAt(v, f, TOKEN)).replace(`"${TOKEN}"`, `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`),
    }),
    mustReject: 'an object where a string belongs',
  },
  {
    update: true,
    label: 'a __proto__ member',
    body: (v) => withMember(v, '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}'),
  },
  // encodings: JSON text must be UTF-8 (RFC 8259 §8.1)
  { update: true, label: 'an invalid UTF-8 sequence (C3 28)', ...notUtf8([0x61, 0xc3, 0x28, 0x62]) },
  {
    label: 'an overlong UTF-8 "/" (C0 AF) in a traversal',
    ...notUtf8([0x2e, 0x2e, 0xc0, 0xaf, 0x2e, 0x2e, 0xc0, 0xaf, 0x65, 0x74, 0x63]),
  },
];

const display = (h: Hostile) => h.label;

function build(t: CheckContext, h: Hostile, field: string): { body: unknown; sent: Json } {
  const valid = t.data.valid() as Json;
  if (h.body) {
    const b = h.body(t.api.fieldMap.outgoing(structuredClone(valid)) as Json, t.api.fieldMap.deployedPath(field));
    return { body: 'raw' in b ? raw(b.raw) : rawBytes(b.bytes), sent: valid };
  }
  const sent = setAt(structuredClone(valid), field, h.value);
  return { body: sent, sent };
}

const REFUSED = 'is refused (4xx)';

/**
 * What a correct deployment may do with a hostile input: refuse it (4xx), or store it as sent
 * (or as a reading says).
 */
function hostileOutcomes(h: Hostile, cfg: Pick<Config, 'readings'>): Outcome[] {
  if (h.reading) return outcomesUnder(cfg.readings, h.reading);
  return h.mustReject ? ['reject'] : ['reject', 'store'];
}

/**
 * Judged against the input's outcomes: a refusal changes nothing, an acceptance reads back as the
 * outcome says; never 5xx.
 */
async function judge(
  t: CheckContext,
  h: Hostile,
  res: ApiResponse,
  id: string,
  field: string,
  sent: Json,
  before: Json | undefined,
  what: string,
): Promise<void> {
  const S: ContractId = 'CUS-SEC-INPUT';
  expectNotReflected(t, res, fragments(h.value));
  const outcomes = hostileOutcomes(h, t.cfg);
  const accepts = outcomes.filter((o) => o !== 'reject');
  const why = h.mustReject
    ? `: ${h.mustReject}, so it cannot be stored as sent`
    : h.reading
      ? ` (${settingShown(t.cfg.readings, h.reading.point)})`
      : '';
  const expected = `${what} ${outcomesText(outcomes, REFUSED)}, never 5xx${why}`;
  if (res.status >= 400 && res.status < 500 && outcomes.includes('reject')) {
    if (before) {
      const after = await t.step('get the customer after the refused update', () => t.api.get(id));
      await expectUnchanged(t, before, after, 'CUS-UPD-ATOMIC', `a refused update (${h.label})`);
    }
    return t.pass(S);
  }
  if (res.status < 200 || res.status >= 300 || accepts.length === 0) t.fail(S, expected, describeResponse(res), res);
  const got = await read(t, id, 'read the customer back');
  const diffs = storedDiffs(t, got.body, sent, accepts, field, before);
  if (diffs.length)
    t.fail(S, expected, `status ${res.status}, then the customer reads back with ${showDiffs(diffs)}`, got.res);
  t.pass(S);
}

const CLOSED = Symbol('closed before an answer');

/** A large body may be refused by closing the connection (RFC 9110 §15.5.14 lets a server do so). */
async function closedIsRefusal(h: Hostile, sent: Promise<ApiResponse>): Promise<ApiResponse | typeof CLOSED> {
  try {
    return await sent;
  } catch (e) {
    if (h.large && isReset(e)) return CLOSED;
    throw e;
  }
}

function createCheck(h: Hostile): Check {
  return {
    name:
      `a create with ${display(h)} ` +
      `${outcomesText(hostileOutcomes(h, { readings: ALL_READINGS }), REFUSED)}, never 5xx`,
    ids: ['CUS-SEC-INPUT', 'CUS-SEC-REFLECT'],
    feature: 'Security',
    tags: ['security', 'validation'],
    params: { input: h.label, operation: 'create' },
    async run(t) {
      const field = inputField(t.cfg);
      const { body, sent } = build(t, h, field);
      const known = new Set(t.api.outstanding);
      const res = await t.step(`create with ${h.label} in ${field}`, () => closedIsRefusal(h, t.api.create(body)));
      // closed before an answer, and nothing of this create found stored: the server refused the body
      if (res === CLOSED && t.api.outstanding.every((x) => known.has(x))) return t.pass('CUS-SEC-INPUT');
      if (res === CLOSED)
        throw new EnvironmentAnswer(`the connection closed after ${h.label} was sent, and the customer was stored`);
      const id = (res.json as Json | undefined)?.id;
      if (res.status >= 200 && res.status < 300 && typeof id !== 'string')
        t.fail('CUS-SEC-INPUT', 'the created customer with its id', describeResponse(res), res);
      await judge(t, h, res, id as string, field, sent, undefined, `a create with ${h.label} in ${field}`);
    },
  };
}

function updateCheck(h: Hostile): Check {
  return {
    name:
      `an update with ${display(h)} ` +
      `${outcomesText(hostileOutcomes(h, { readings: ALL_READINGS }), REFUSED)}, never 5xx`,
    ids: ['CUS-SEC-INPUT', 'CUS-SEC-REFLECT', 'CUS-UPD-ATOMIC'],
    feature: 'Security',
    tags: ['security', 'validation'],
    params: { input: h.label, operation: 'update' },
    async run(t) {
      const field = inputField(t.cfg);
      const c = await t.createCustomer();
      const before = await read(t, c.id, 'get the customer before');
      const { body, sent } = build(t, h, field);
      const res = await t.step(`update with ${h.label} in ${field}`, () =>
        closedIsRefusal(h, t.api.update(c.id, body)),
      );
      if (res === CLOSED) {
        // refused by closing the connection: then it must have changed nothing
        const after = await t.step('get the customer after the refused update', () => t.api.get(c.id));
        await expectUnchanged(t, before.body, after, 'CUS-UPD-ATOMIC', `a refused update (${h.label})`);
        return t.pass('CUS-SEC-INPUT');
      }
      await judge(t, h, res, c.id, field, sent, before.body, `an update with ${h.label} in ${field}`);
    },
  };
}

export const inputChecks: Check[] = HOSTILE.flatMap((h) =>
  h.update ? [createCheck(h), updateCheck(h)] : [createCheck(h)],
);
