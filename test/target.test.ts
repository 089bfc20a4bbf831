// Tests of the embedded reference target over real loopback HTTP: the contract behaviour, the alternate
// flavour, options, fault modes, and that every catalogued defect changes what a client observes.
import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import openapi from '../fixtures/customer-api.openapi.json' with { type: 'json' };
import { CONTRACT_IDS, type ContractId } from '../fixtures/contract/statements.ts';
import { ACCOUNTS, basicAuth, bearerAuth } from '../fixtures/target/accounts.ts';
import { DEFECTS, defectByName } from '../fixtures/target/defects.ts';
import { startTarget, type RunningTarget, type TargetOptions } from '../fixtures/target/server.ts';
import { GROUP_FIELDS, TOP_FIELDS, type FieldSpec } from '../fixtures/target/validate.ts';

const A = ACCOUNTS.a;
const B = ACCOUNTS.b;
const AUTH_A = basicAuth(A);
const AUTH_B = basicAuth(B);
const WRONG_KEY = `Basic ${Buffer.from(`${A.userId}:wrong-key-0123456789abcdef`).toString('base64')}`;
const SECRETS = [A.apiKey, B.apiKey, A.bearer, B.bearer, 'wrong-key-0123456789abcdef'];

const agent = new Agent({ keepAliveTimeout: 1000 });
afterAll(() => agent.close());

type J = Record<string, any>;
interface Res {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

interface ReqOptions {
  /** Authorization header; null sends none; default: basic credentials of entity A */
  auth?: string | null;
  body?: unknown;
  /** a body sent verbatim */
  raw?: string;
  /** a body sent byte for byte */
  bytes?: Buffer;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

class Api {
  readonly resource: string;
  constructor(
    readonly t: RunningTarget,
    readonly o: { resourcePath?: string; updateMethod?: string } = {},
  ) {
    this.resource = o.resourcePath ?? '/v2/customer';
  }

  /** `path` is appended to the resource path exactly as written. */
  async req(method: string, path: string, o: ReqOptions = {}): Promise<Res> {
    const headers: Record<string, string> = { ...o.headers };
    const auth = o.auth === undefined ? AUTH_A : o.auth;
    if (auth !== null) headers.authorization = auth;
    const body = o.bytes ?? o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await agent.request({ origin: this.t.url, path: this.resource + path, method, headers, body, signal: o.signal });
    const text = await r.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    return { status: r.statusCode, headers: h, text, json };
  }

  create(body: unknown, auth?: string | null) {
    return this.req('POST', '', { body, auth });
  }
  get(id: string, auth?: string | null) {
    return this.req('GET', `/${id}`, { auth });
  }
  update(id: string, body: unknown, auth?: string | null) {
    return this.req(this.o.updateMethod ?? 'POST', `/${id}`, { body, auth });
  }
  del(id: string, auth?: string | null) {
    return this.req('DELETE', `/${id}`, { auth });
  }
  /** Creates a customer of entity A and returns it. */
  async make(body: J = full()): Promise<J> {
    const r = await this.create(body);
    if (r.status !== 200 && r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
    return r.json as J;
  }
}

const address = (): J => ({
  first_name: 'Jane',
  middle_name: 'Q',
  last_name: 'Doe',
  address_1: 'Main Street 1',
  address_2: 'Suite 2',
  address_3: 'Floor 3',
  city: 'Amsterdam',
  state: 'Noord-Holland',
  postal_code: '1011 AB',
  phone: '+31 (0)20-555.12 34',
  country_code: 'NL',
});

function full(entity: string = A.entityId): J {
  return {
    entity_id: entity,
    company_name: 'conformance-t Acme',
    company_registration_number: '12345678',
    email_address: 'jane.doe@example.com',
    phone_number: '+31 20 555 1234',
    work_phone: '(020) 555-1234',
    title: 'Dr',
    language: 'en',
    tax: { identifier: '01234567' },
    billing: address(),
    shipping: address(),
  };
}

const minimal = (name = 'conformance-t Minimal'): J => ({ entity_id: A.entityId, company_name: name });

function withPath(body: J, path: string, value: unknown): J {
  const out = structuredClone(body);
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) out[head] = value;
  else out[head] = { ...(out[head] ?? {}), [tail]: value };
  return out;
}

/** Every key of `sent` (recursively) has the same value in `got`. */
function subsetEqual(sent: unknown, got: unknown): boolean {
  if (sent === null || typeof sent !== 'object') return sent === got;
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(sent).every(([k, v]) => subsetEqual(v, (got as J)[k]));
}

/** Nanoseconds since the epoch of an ISO 8601 date-time with any fraction length. */
function ns(s: string): bigint {
  const frac = /\.(\d+)/.exec(s)?.[1] ?? '';
  return BigInt(Date.parse(s)) * 1_000_000n + BigInt((frac + '000000000').slice(3, 9));
}

const isErrorBody = (r: Res) =>
  /^application\/json\b/.test(r.headers['content-type'] ?? '') && r.json?.code === r.status && typeof r.json?.message === 'string' && Number.isInteger(r.json?.timestamp);
const isClean = (r: Res) => !/\n\s+at |\/srv\/|node_modules|\.[jt]s:\d+/.test(r.text) && !SECRETS.some((s) => r.text.includes(s));

const MALFORMED_IDS = [
  'not-a-uuid',
  '123',
  `${randomUUID()}0`,
  randomUUID().replace(/-/g, ''),
  'x'.repeat(4096),
  '%2F..%2F..%2Fetc%2Fpasswd',
  '..%2F..%2Fadmin',
  '%00',
  `${randomUUID()}%00`,
  `../customer/${randomUUID()}`,
  `${randomUUID().slice(0, -1)}g`,
];

async function withTarget<T>(opts: TargetOptions, fn: (api: Api) => Promise<T>): Promise<T> {
  const t = await startTarget(opts);
  try {
    return await fn(new Api(t, { resourcePath: opts.resourcePath, updateMethod: opts.updateMethod }));
  } finally {
    await t.close();
  }
}

function fieldSpecs(): { path: string; spec: FieldSpec }[] {
  return [...TOP_FIELDS.map((spec) => ({ path: spec.name, spec })), ...Object.entries(GROUP_FIELDS).flatMap(([g, specs]) => specs.map((spec) => ({ path: `${g}.${spec.name}`, spec })))];
}

/** A valid value of exactly n characters for a field (e-mail keeps RFC 5321's part limits). */
function valueOfLength(spec: FieldSpec, n: number): string {
  if (spec.kind === 'email') {
    let rest = n - 64 - 1 - 4;
    const labels: string[] = [];
    while (rest > 63) {
      labels.push('d'.repeat(63));
      rest -= 64;
    }
    labels.push('d'.repeat(rest));
    return `${'a'.repeat(64)}@${labels.join('.')}.com`;
  }
  return (spec.pattern === 'phone' || spec.pattern === 'digits' ? '1' : 'a').repeat(n);
}

const PATTERN_FIELDS: Record<string, 'phone' | 'title' | 'digits'> = {
  phone_number: 'phone',
  work_phone: 'phone',
  'billing.phone': 'phone',
  'shipping.phone': 'phone',
  title: 'title',
  'tax.identifier': 'digits',
};
const PATTERN_VALUES = {
  phone: { ok: ['+31 (0)20-555.12 34', '0123456789', '1234567890123456789012345', '555.010.9999'], bad: ['555-CALL-NOW', '0123abc', '', '+31/20/5551234', '555_0100', '０１２３'] },
  title: { ok: ['Mr', 'Prof. Dr', 'Mr - Mrs', 'Jean-Luc', 'A.B.C.'], bad: ['Mr1', 'Dr!', '', 'Señor', "O'Brien"] },
  digits: { ok: ['0', '123456789', '000000001'], bad: ['12a', '12 34', '-123', '', '123456\n', 'abc'] },
};

// ---------------------------------------------------------------------------------------------------------
// Probes: per contract id, scripted request sequences whose observations are conformance facts (so the
// alternate flavour observes the same as the reference, and each defect observes something else).
type Probe = (api: Api) => Promise<unknown>;

const statuses = async (rs: Promise<Res>[]) => (await Promise.all(rs)).map((r) => r.status);

const PROBES: Record<ContractId, Probe[]> = {
  'CUS-GET-200': [
    async (api) => {
      const sent = full();
      const c = await api.make(sent);
      const r = await api.get(c.id);
      return { status: r.status, json: /^application\/json\b/.test(r.headers['content-type'] ?? ''), id: r.json?.id === c.id, required: ['id', 'entity_id', 'created_at', 'updated_at'].every((k) => typeof r.json?.[k] === 'string'), sent: subsetEqual(sent, r.json) };
    },
  ],
  'CUS-GET-404': [async (api) => statuses([api.get(randomUUID()), api.get('00000000-0000-0000-0000-000000000000')])],
  'CUS-GET-400': [async (api) => statuses(MALFORMED_IDS.map((id) => api.get(id)))],
  'CUS-GET-401': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all([null, '', 'Basic', 'Basic !!!', WRONG_KEY, 'Bearer not-a-known-token', `Digest ${A.apiKey}`].map((auth) => api.get(c.id, auth)));
      return rs.map((r) => ({ status: r.status, leak: r.text.includes(c.id) || r.text.includes('conformance-t') }));
    },
  ],
  'CUS-GET-403': [
    async (api) => {
      const c = await api.make();
      const r = await api.get(c.id, AUTH_B);
      return { status: r.status, leak: r.text.includes(c.id) || r.text.includes('conformance-t') };
    },
  ],
  'CUS-UPD-200': [
    async (api) => {
      const c = await api.make();
      const sent = { ...full(), company_name: 'conformance-t Renamed', title: 'Mrs' };
      const r = await api.update(c.id, sent);
      return { status: r.status, applied: subsetEqual(sent, r.json), id: r.json?.id === c.id };
    },
  ],
  'CUS-UPD-PERSIST': [
    async (api) => {
      const c = await api.make();
      const sent = { entity_id: A.entityId, company_name: 'conformance-t Replaced', billing: { first_name: 'Ann', last_name: 'Lee' } };
      await api.update(c.id, sent);
      const g = (await api.get(c.id)).json as J;
      const gone = ['email_address', 'phone_number', 'title', 'tax', 'shipping'].every((k) => g[k] === undefined) && g.billing?.city === undefined;
      return { sent: subsetEqual(sent, g), gone };
    },
  ],
  'CUS-UPD-400-PATTERN': [
    async (api) => {
      const c = await api.make();
      const out: J = {};
      for (const [path, p] of Object.entries(PATTERN_FIELDS)) {
        const vals = [...PATTERN_VALUES[p].ok, ...PATTERN_VALUES[p].bad];
        out[path] = await statuses(vals.map((v) => api.update(c.id, withPath(full(), path, v))));
      }
      return out;
    },
  ],
  'CUS-UPD-400-LENGTH': [
    async (api) => {
      const c = await api.make();
      const out: J = {};
      for (const { path, spec } of fieldSpecs()) {
        if (spec.max === undefined) continue;
        out[path] = await statuses([spec.max, spec.max + 1].map((n) => api.update(c.id, withPath(full(), path, valueOfLength(spec, n)))));
      }
      return out;
    },
  ],
  'CUS-UPD-400-TYPE': [
    async (api) => {
      const c = await api.make();
      const bodies: ReqOptions[] = [
        { raw: '{"entity_id": ' },
        { raw: '[]' },
        { raw: '"x"' },
        { raw: '42' },
        { body: withPath(full(), 'company_registration_number', 12345) },
        { body: withPath(full(), 'title', true) },
        { body: withPath(full(), 'phone_number', ['1']) },
        { body: withPath(full(), 'billing', 'x') },
        { body: withPath(full(), 'email_address', 'not-an-email') },
        { body: withPath(full(), 'email_address', 'a@example..com') },
        { body: withPath(full(), 'billing.country_code', 'XX') },
        { body: withPath(full(), 'shipping.country_code', 'nl') },
        { body: withPath(full(), 'language', 'english') },
        { body: withPath(full(), 'language', 'xx') },
      ];
      return statuses(bodies.map((o) => api.req(api.o.updateMethod ?? 'POST', `/${c.id}`, o)));
    },
  ],
  'CUS-UPD-400-REQUIRED': [
    async (api) => {
      const c = await api.make();
      const noEntity = full();
      delete noEntity.entity_id;
      const noName = { entity_id: A.entityId, billing: { first_name: 'Ann' } };
      return statuses([api.update(c.id, noEntity), api.update(c.id, noName), api.create(noName)]);
    },
  ],
  'CUS-UPD-ATOMIC': [
    async (api) => {
      const c = await api.make();
      const r = await api.update(c.id, { ...full(), company_name: 'conformance-t Changed', phone_number: 'CALL-ME' });
      const g = await api.get(c.id);
      return { status: r.status, unchanged: JSON.stringify(g.json) === JSON.stringify(c) };
    },
  ],
  'CUS-UPD-READONLY': [
    async (api) => {
      const c = await api.make();
      const r = await api.update(c.id, { ...full(), id: randomUUID(), created_at: '2001-01-01T00:00:00Z', updated_at: '2001-01-01T00:00:00Z' });
      const g = await api.get(c.id);
      return { answered: r.status === 200 || r.status === 400, found: g.status, created: g.json?.created_at === c.created_at, updatedNot2001: !String(g.json?.updated_at).startsWith('2001') };
    },
  ],
  'CUS-UPD-ENTITY': [
    async (api) => {
      const c = await api.make();
      const r = await api.update(c.id, full(B.entityId));
      const g = await api.get(c.id);
      return { status: r.status, after: g.status, entity: g.json?.entity_id };
    },
  ],
  'CUS-UPD-404': [
    async (api) => {
      const before = api.t.count();
      const s = await statuses([api.update(randomUUID(), full())]);
      return { s, created: api.t.count() - before };
    },
  ],
  'CUS-UPD-400': [async (api) => statuses(MALFORMED_IDS.map((id) => api.update(id, full())))],
  'CUS-UPD-401': [
    async (api) => {
      const c = await api.make();
      const s = await statuses([null, WRONG_KEY, 'Bearer nope'].map((auth) => api.update(c.id, { ...full(), company_name: 'conformance-t Hijacked' }, auth)));
      const g = await api.get(c.id);
      return { s, unchanged: g.json?.company_name === c.company_name };
    },
  ],
  'CUS-UPD-403': [
    async (api) => {
      const c = await api.make();
      const s = await statuses([api.update(c.id, { ...full(A.entityId), company_name: 'conformance-t Hijacked' }, AUTH_B), api.update(c.id, { ...full(B.entityId), company_name: 'conformance-t Hijacked' }, AUTH_B)]);
      const g = await api.get(c.id);
      return { s, unchanged: g.json?.company_name === c.company_name };
    },
  ],
  'CUS-TS-FORMAT': [
    async (api) => {
      const c = await api.make();
      const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
      return [c.created_at, c.updated_at].map((s) => zoned.test(s));
    },
  ],
  'CUS-TS-CREATED': [
    async (api) => {
      const c = await api.make();
      await new Promise((r) => setTimeout(r, 5));
      const u = await api.update(c.id, full());
      const g = await api.get(c.id);
      return [u.json?.created_at === c.created_at, g.json?.created_at === c.created_at];
    },
  ],
  'CUS-TS-UPDATED': [
    async (api) => {
      const c = await api.make();
      const u = await api.update(c.id, full());
      const up = String(u.json?.updated_at);
      const skew = Math.abs(Date.parse(up) - Date.parse(u.headers.date ?? '')) ;
      return { later: ns(up) > ns(c.updated_at), notBeforeCreated: ns(up) >= ns(c.created_at), nearDate: skew < 60_000 };
    },
  ],
  'CUS-TS-READ': [
    async (api) => {
      const c = await api.make();
      await new Promise((r) => setTimeout(r, 5));
      const g1 = await api.get(c.id);
      const g2 = await api.get(c.id);
      return [g1.json?.updated_at === c.updated_at, g2.json?.updated_at === c.updated_at];
    },
  ],
  'CUS-DEL-204': [
    async (api) => {
      const c = await api.make();
      const r = await api.del(c.id);
      return { status: r.status, empty: r.text === '' };
    },
  ],
  'CUS-DEL-GONE': [
    async (api) => {
      const c = await api.make();
      await api.del(c.id);
      const s = [(await api.get(c.id)).status, (await api.update(c.id, full())).status, (await api.del(c.id)).status, (await api.get(c.id)).status];
      return { s, count: api.t.count() };
    },
  ],
  'CUS-DEL-404': [async (api) => statuses([api.del(randomUUID())])],
  'CUS-DEL-400': [async (api) => statuses(MALFORMED_IDS.map((id) => api.del(id)))],
  'CUS-DEL-401': [
    async (api) => {
      const c = await api.make();
      const s = await statuses([null, WRONG_KEY].map((auth) => api.del(c.id, auth)));
      return { s, still: (await api.get(c.id)).status };
    },
  ],
  'CUS-DEL-403': [
    async (api) => {
      const c = await api.make();
      const s = (await api.del(c.id, AUTH_B)).status;
      return { s, still: (await api.get(c.id)).status };
    },
  ],
  'CUS-ERR-BODY': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all([api.get(randomUUID()), api.get(c.id, WRONG_KEY), api.get(c.id, null), api.get('nope'), api.update(c.id, withPath(full(), 'title', 'Dr!')), api.get(c.id, AUTH_B)]);
      return rs.map((r) => ({ status: r.status, body: isErrorBody(r), clean: isClean(r) }));
    },
  ],
  'CUS-ERR-500': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all([
        api.req('POST', '', { raw: '{"entity_id":' }),
        api.req(api.o.updateMethod ?? 'POST', `/${c.id}`, { raw: 'not json' }),
        api.update(c.id, withPath(full(), 'title', null)),
        api.update(c.id, withPath(full(), 'billing', null)),
      ]);
      const fault = await api.req('GET', `/${c.id}`, { headers: { 'x-conformance-fault': '500' } });
      return { s: rs.map((r) => r.status), fault: { status: fault.status, body: isErrorBody(fault), clean: isClean(fault) } };
    },
  ],
  'CUS-SEC-INPUT': [
    async (api) => {
      const c = await api.make();
      const out: unknown[] = [];
      for (const v of [`O'Brien "Sons"`, '<script>alert(1)</script>', 'x\r\nX-Injected: yes', '{{7*7}}', 'a\ud800b']) {
        const r = await api.update(c.id, withPath(full(), 'billing.address_1', v));
        out.push({ status: r.status, verbatim: (await api.get(c.id)).json?.billing?.address_1 === v });
      }
      const notUtf8 = Buffer.concat([Buffer.from(`{"entity_id":"${A.entityId}","company_name":"conformance-t `), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const deep = `{"entity_id":"${A.entityId}","company_name":"conformance-t Deep","nested":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      out.push((await api.req('POST', '', { bytes: notUtf8 })).status, (await api.req('POST', '', { raw: deep })).status);
      return out;
    },
  ],
  'CUS-SEC-REFLECT': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all(['<script>alert(1)</script>', 'x\r\nX-Injected: yes'].map((v) => api.update(c.id, withPath(full(), 'phone_number', v))));
      return rs.map((r) => ({ status: r.status, json: /^application\/json\b/.test(r.headers['content-type'] ?? ''), raw: r.text.includes('<script>'), injected: 'x-injected' in r.headers }));
    },
  ],
  'CUS-SEC-LEAK': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all([AUTH_B, null, WRONG_KEY].map((auth) => api.req('GET', '?search=company_name==conformance-t*', { auth })));
      return rs.map((r) => ({ status: r.status, leak: r.text.includes(c.id) }));
    },
  ],
};

const observe = (opts: TargetOptions, id: ContractId) => withTarget(opts, async (api) => Promise.all(PROBES[id].map((p) => p(api))));

// ---------------------------------------------------------------------------------------------------------

describe('reference target: workflow', () => {
  it('creates, gets, updates, lists and deletes a customer', async () => {
    await withTarget({}, async (api) => {
      const sent = full();
      const c = await api.create(sent);
      expect(c.status).toBe(200);
      expect(c.headers['content-type']).toBe('application/json');
      expect(c.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(c.json.entity_id).toBe(A.entityId);
      expect(subsetEqual(sent, c.json)).toBe(true);
      expect(c.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(c.json.updated_at).toBe(c.json.created_at);
      expect(api.t.count()).toBe(1);

      const g = await api.get(c.json.id);
      expect(g.status).toBe(200);
      expect(g.json).toEqual(c.json);
      expect(g.headers.date).toBeTruthy();
      expect((await api.get(c.json.id.toUpperCase())).json).toEqual(c.json); // UUIDs are case-insensitive
      expect((await api.get(c.json.id, bearerAuth(A))).status).toBe(200);

      const u = await api.update(c.json.id, { ...sent, company_name: 'conformance-t Two' });
      expect(u.status).toBe(200);
      expect(u.json.company_name).toBe('conformance-t Two');
      expect((await api.get(c.json.id)).json).toEqual(u.json);

      const l = await api.req('GET', '?search=company_name==conformance-t*');
      expect(l.status).toBe(200);
      expect(l.json).toEqual([u.json]);

      const d = await api.del(c.json.id);
      expect(d.status).toBe(204);
      expect(d.text).toBe('');
      expect(d.headers['content-type']).toBeUndefined();
      expect(api.t.count()).toBe(0);
      expect((await api.get(c.json.id)).status).toBe(404);
      expect((await api.update(c.json.id, sent)).status).toBe(404);
      expect((await api.del(c.json.id)).status).toBe(404);
      expect(api.t.count()).toBe(0);
      expect(api.t.requests).toBe(11);
    });
  });

  it('lists only the entity’s customers, with RSQL and paging', async () => {
    await withTarget({}, async (api) => {
      for (let i = 0; i < 5; i++) await api.make(minimal(`conformance-l ${i}`));
      await api.make({ ...minimal('other'), email_address: 'x@example.com' });
      await api.create({ ...minimal('conformance-l b'), entity_id: B.entityId }, AUTH_B);
      const page = async (q: string, auth?: string) => (await api.req('GET', q, { auth })).json as J[];
      expect(await page('?search=company_name==conformance-l*')).toHaveLength(5);
      expect(await page('?search=company_name==conformance-l*', AUTH_B)).toHaveLength(1);
      expect(await page('?search=company_name==other;email_address==x@example.com')).toHaveLength(1);
      expect(await page('?search=company_name==other;email_address==y@example.com')).toHaveLength(0);
      expect(await page(`?search=${encodeURIComponent('company_name=="conformance-l 3",company_name==other')}`)).toHaveLength(2);
      const p2 = await page('?search=company_name==conformance-l*&page_size=2&page_number=2');
      expect(p2.map((c) => c.company_name)).toEqual(['conformance-l 2', 'conformance-l 3']);
      expect((await page('?search=company_name==conformance-l*&order_by=DESC&page_size=1'))[0]?.company_name).toBe('conformance-l 4');
      expect((await api.req('GET', '')).status).toBe(400);
      expect((await api.req('GET', '?search=(a==b')).status).toBe(400);
      expect((await api.req('GET', '?search=company_name==x&page_size=0')).status).toBe(400);
      expect((await api.req('GET', '?search=company_name==x', { auth: null })).status).toBe(401);
    });
  });

  it('answers unknown routes 404 and other methods 405, with the error body', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const r1 = await agent.request({ origin: api.t.url, path: '/v2/other', method: 'GET' });
      expect(r1.statusCode).toBe(404);
      expect(JSON.parse(await r1.body.text()).code).toBe(404);
      const r2 = await api.req('PUT', `/${c.id}`, { body: full() });
      expect(r2.status).toBe(405);
      expect(r2.headers.allow).toBe('GET, POST, DELETE');
      expect(isErrorBody(r2)).toBe(true);
      expect((await api.req('DELETE', '')).status).toBe(405);
    });
  });
});

describe('reference target: authentication and entities', () => {
  const BAD: [string, string | null][] = [
    ['no header', null],
    ['empty header', ''],
    ['scheme only', 'Basic'],
    ['wrong scheme', `Digest ${A.apiKey}`],
    ['malformed base64', 'Basic !!!not-base64'],
    ['no colon', `Basic ${Buffer.from(A.apiKey).toString('base64')}`],
    ['unknown user', `Basic ${Buffer.from(`nobody:${A.apiKey}`).toString('base64')}`],
    ['wrong key', WRONG_KEY],
    ["other user's key", `Basic ${Buffer.from(`${A.userId}:${B.apiKey}`).toString('base64')}`],
    ['unknown bearer', 'Bearer eyJhbGciOiJub25lIn0.e30.'],
    ['malformed bearer', 'Bearer a b c'],
    ['key as bearer', `Bearer ${A.apiKey}`],
  ];

  it.each(BAD)('%s gets 401 on every operation and changes nothing', async (_label, auth) => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const rs = [await api.get(c.id, auth), await api.update(c.id, minimal('conformance-t Hijacked'), auth), await api.del(c.id, auth), await api.create(full(), auth), await api.req('GET', '?search=id==*', { auth })];
      for (const r of rs) {
        expect(r.status).toBe(401);
        expect(isErrorBody(r)).toBe(true);
        expect(isClean(r)).toBe(true);
        expect(r.text).not.toContain(c.id);
        expect(r.headers['www-authenticate']).toContain('Basic');
      }
      expect((await api.get(c.id)).json).toEqual(c);
      expect(api.t.count()).toBe(1);
    });
  });

  it("refuses another entity's customer with 403 and changes nothing", async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      for (const r of [await api.get(c.id, AUTH_B), await api.update(c.id, full(B.entityId), AUTH_B), await api.update(c.id, full(A.entityId), AUTH_B), await api.del(c.id, bearerAuth(B))]) {
        expect(r.status).toBe(403);
        expect(isErrorBody(r)).toBe(true);
        expect(r.text).not.toContain('conformance-t');
      }
      expect((await api.update(c.id, full(B.entityId))).status).toBe(403); // own customer, foreign entity_id
      expect((await api.create(full(B.entityId))).status).toBe(403);
      expect((await api.get(c.id)).json).toEqual(c);
      expect(api.t.count()).toBe(1);
    });
  });

  it('checks existence before entity, and answers 404 for ids of other entities that do not exist', async () => {
    await withTarget({}, async (api) => {
      expect((await api.get(randomUUID(), AUTH_B)).status).toBe(404);
      expect((await api.update(randomUUID(), full(), AUTH_B)).status).toBe(404);
    });
  });
});

describe('reference target: ids', () => {
  it.each(MALFORMED_IDS.map((id) => [id.length > 60 ? `${id.slice(0, 20)}… (${id.length})` : id, id]))('malformed id %s gets 400 on get, update and delete', async (_label, id) => {
    await withTarget({}, async (api) => {
      for (const r of [await api.get(id), await api.update(id, full()), await api.del(id)]) {
        expect(r.status).toBe(400);
        expect(isErrorBody(r)).toBe(true);
        expect(r.text).not.toContain('passwd');
      }
    });
  });

  it('a well-formed unknown id gets 404 and update creates nothing', async () => {
    await withTarget({}, async (api) => {
      const id = randomUUID();
      expect(await statuses([api.get(id), api.update(id, full()), api.del(id)])).toEqual([404, 404, 404]);
      expect(api.t.count()).toBe(0);
    });
  });

  it('authenticates before looking at the id', async () => {
    await withTarget({}, async (api) => {
      expect((await api.get('nope', null)).status).toBe(401);
    });
  });
});

describe('reference target: validation', () => {
  it('its field table matches the OpenAPI document', () => {
    const schemas = openapi.components.schemas as unknown as Record<string, { properties: Record<string, { maxLength?: number; pattern?: string; $ref?: string }> }>;
    const PATTERNS = { phone: '^[0-9\\s\\-+().-]+$', title: '^[a-zA-Z\\-\\s.]+$', digits: '^[0-9]+$' };
    const req = schemas.CustomerRequest!.properties;
    for (const { path, spec } of fieldSpecs()) {
      const [head, tail] = path.split('.') as [string, string | undefined];
      const prop = tail === undefined ? req[head] : schemas[req[head]!.$ref!.split('/').pop()!]!.properties[tail];
      expect(prop, path).toBeDefined();
      expect(spec.max, path).toBe(prop!.maxLength);
      expect(spec.pattern ? PATTERNS[spec.pattern] : undefined, path).toBe(prop!.pattern);
    }
  });

  it.each(fieldSpecs().filter((f) => f.spec.max !== undefined))('$path: at the maximum accepted, one over rejected (create and update)', async ({ path, spec }) => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const at = valueOfLength(spec, spec.max!);
      expect([...at]).toHaveLength(spec.max!);
      expect((await api.create(withPath(full(), path, at))).status).toBe(200);
      expect((await api.update(c.id, withPath(full(), path, at))).status).toBe(200);
      const over = await api.update(c.id, withPath(full(), path, valueOfLength(spec, spec.max! + 1)));
      expect(over.status).toBe(400);
      expect(over.json.details.field).toBe(path);
      expect((await api.create(withPath(full(), path, valueOfLength(spec, spec.max! + 1)))).status).toBe(400);
    });
  });

  it('counts characters, not bytes or UTF-16 units', async () => {
    await withTarget({}, async (api) => {
      expect((await api.create({ ...full(), company_name: '😀'.repeat(100) })).status).toBe(200);
      expect((await api.create({ ...full(), company_name: '😀'.repeat(101) })).status).toBe(400);
    });
  });

  it.each(Object.entries(PATTERN_FIELDS))('%s: values inside the pattern accepted, outside rejected', async (path, p) => {
    await withTarget({}, async (api) => {
      for (const v of PATTERN_VALUES[p].ok) expect((await api.create(withPath(full(), path, v))).status, JSON.stringify(v)).toBe(200);
      for (const v of PATTERN_VALUES[p].bad) {
        const r = await api.create(withPath(full(), path, v));
        expect(r.status, JSON.stringify(v)).toBe(400);
        expect(r.json.details.field).toBe(path);
      }
    });
  });

  it('checks e-mail, country and language formats', async () => {
    await withTarget({}, async (api) => {
      const ok = (path: string, v: string) => api.create(withPath(full(), path, v)).then((r) => r.status);
      for (const v of ['first.last+tag@example.com', 'a@example.org', 'o_brien-x@sub.example.co.uk']) expect(await ok('email_address', v), v).toBe(200);
      for (const v of ['not-an-email', 'a@', '@example.com', 'a b@example.com', 'a@b@example.com', 'a@example..com', 'a@.example.com', 'a@example', '']) expect(await ok('email_address', v), v).toBe(400);
      for (const v of ['NL', 'US', 'GB', 'DE', 'NZ', 'AX', 'SS']) expect(await ok('billing.country_code', v), v).toBe(200);
      for (const v of ['NLD', 'N1', '12', '', 'Netherlands', 'N', 'nl', 'XX', 'UK', 'ZZ']) expect(await ok('shipping.country_code', v), v).toBe(400);
      for (const v of ['en', 'nl', 'de', 'fr', 'zu']) expect(await ok('language', v), v).toBe(200);
      for (const v of ['english', 'e', '12', 'e1', 'xx-yy-zz', 'EN', 'en-GB', 'xx', '']) expect(await ok('language', v), v).toBe(400);
    });
  });

  it('rejects malformed JSON, non-object bodies and wrong JSON types with 400', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const raws = ['{"entity_id":', '', 'null', '[]', '[{}]', '"x"', '42', 'true'];
      for (const raw of raws) {
        expect((await api.req('POST', '', { raw })).status, raw).toBe(400);
        expect((await api.req('POST', `/${c.id}`, { raw })).status, raw).toBe(400);
      }
      for (const v of [12345, true, ['x'], { value: 'x' }, null]) {
        for (const path of ['company_name', 'email_address', 'billing.city', 'tax.identifier', 'shipping.country_code']) {
          const r = await api.update(c.id, withPath(full(), path, v));
          expect(r.status, `${path}=${JSON.stringify(v)}`).toBe(400);
          expect(r.json.details.field).toBe(path);
        }
      }
      for (const v of ['x', 1, [], false, null]) expect((await api.update(c.id, withPath(full(), 'billing', v))).status, JSON.stringify(v)).toBe(400);
      expect((await api.update(c.id, { ...full(), entity_id: 42 })).status).toBe(400);
      expect((await api.get(c.id)).json).toEqual(c);
    });
  });

  it('requires entity_id, and company_name unless billing first and last name are both given', async () => {
    await withTarget({}, async (api) => {
      const noEntity = full();
      delete noEntity.entity_id;
      expect((await api.create(noEntity)).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId })).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId, company_name: '' })).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId, billing: { first_name: 'Ann' } })).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId, billing: { last_name: 'Lee' } })).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId, shipping: { first_name: 'Ann', last_name: 'Lee' } })).status).toBe(400);
      expect((await api.create({ entity_id: A.entityId, billing: { first_name: 'Ann', last_name: 'Lee' } })).status).toBe(200);
      expect((await api.create({ entity_id: A.entityId, company_name: 'X' })).status).toBe(200);
    });
  });

  it('ignores unknown fields and read-only fields', async () => {
    await withTarget({}, async (api) => {
      const r = await api.create({ ...full(), id: randomUUID(), created_at: '2001-01-01T00:00:00Z', surprise: 1, billing: { ...address(), extra: 'x' } });
      expect(r.status).toBe(200);
      expect(r.json.surprise).toBeUndefined();
      expect(r.json.billing.extra).toBeUndefined();
      expect(r.json.created_at.startsWith('2001')).toBe(false);
    });
  });
});

describe('reference target: update semantics', () => {
  it('replace (default): the record becomes exactly the request', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const u = await api.update(c.id, { entity_id: A.entityId, company_name: 'conformance-t R', billing: { city: 'Utrecht' } });
      expect(u.status).toBe(200);
      const g = (await api.get(c.id)).json;
      expect(g).toEqual({ id: c.id, entity_id: A.entityId, company_name: 'conformance-t R', billing: { city: 'Utrecht' }, created_at: c.created_at, updated_at: u.json.updated_at });
      // the conditional rule applies to the new record
      expect((await api.update(c.id, { entity_id: A.entityId, title: 'Mr' })).status).toBe(400);
    });
  });

  it('merge: omitted fields stay, objects merge field by field, the rule applies to the result', async () => {
    await withTarget({ updateSemantics: 'merge' }, async (api) => {
      const c = await api.make();
      const u = await api.update(c.id, { entity_id: A.entityId, title: 'Mr', billing: { city: 'Utrecht' } });
      expect(u.status).toBe(200);
      const g = (await api.get(c.id)).json;
      expect(g.title).toBe('Mr');
      expect(g.company_name).toBe(c.company_name);
      expect(g.billing).toEqual({ ...c.billing, city: 'Utrecht' });
      expect(g.shipping).toEqual(c.shipping);
      expect((await api.update(c.id, { entity_id: A.entityId, billing: { phone: 'x' } })).status).toBe(400);
    });
  });

  it('a rejected update changes nothing, updated_at included', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      for (const body of [{ ...full(), company_name: 'conformance-t New', title: 'Dr1' }, { ...full(), company_name: 'x'.repeat(101) }, { ...full(), company_name: 'conformance-t New', entity_id: B.entityId }]) {
        expect((await api.update(c.id, body)).status).toBeGreaterThanOrEqual(400);
        expect((await api.get(c.id)).json).toEqual(c);
      }
    });
  });

  it('ignores id, created_at and updated_at in an update body', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const u = await api.update(c.id, { ...full(), id: randomUUID(), created_at: '2001-01-01T00:00:00Z', updated_at: '2001-01-01T00:00:00Z' });
      expect(u.status).toBe(200);
      expect(u.json.id).toBe(c.id);
      expect(u.json.created_at).toBe(c.created_at);
      expect(u.json.updated_at > c.updated_at).toBe(true);
      expect((await api.get(c.id)).json).toEqual(u.json);
    });
  });
});

describe('reference target: timestamps', () => {
  it('updated_at moves strictly forward on every update, never on get; created_at never moves', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      let prev = c.updated_at as string;
      for (let i = 0; i < 20; i++) {
        const u = await api.update(c.id, full());
        expect(ns(u.json.updated_at) > ns(prev)).toBe(true);
        expect(u.json.created_at).toBe(c.created_at);
        expect(Math.abs(Date.parse(u.json.updated_at) - Date.parse(u.headers.date!))).toBeLessThan(2_000);
        prev = u.json.updated_at;
        expect((await api.get(c.id)).json.updated_at).toBe(prev);
      }
    });
  });
});

describe('alternate flavour', () => {
  it('answers differently where the contract is open', async () => {
    await withTarget({ flavour: 'alternate' }, async (api) => {
      const c = await api.create(full());
      expect(c.status).toBe(200);
      expect(c.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(c.json.object).toBe('customer');
      expect(c.json.version).toBe(1);
      expect(Object.keys(c.json)).toEqual([...Object.keys(c.json)].sort().reverse());
      expect(c.json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
      let prev = c.json.updated_at as string;
      for (let i = 0; i < 10; i++) {
        const u = await api.update(c.json.id, full());
        expect(u.json.version).toBe(i + 2);
        expect(u.json.updated_at > prev && ns(u.json.updated_at) > ns(prev)).toBe(true);
        prev = u.json.updated_at;
      }
      const e = await api.get(randomUUID());
      expect(e.status).toBe(404);
      expect(isErrorBody(e)).toBe(true);
      expect(e.json.message).not.toBe('Customer not found');
      expect(e.json.error).toBe('not_found');
      const ro = await api.update(c.json.id, { ...full(), id: c.json.id });
      expect(ro.status).toBe(400);
      expect(ro.json.details.field).toBe('id');
    });
  });

  it.each(CONTRACT_IDS)('observes the same as the reference for %s', async (id) => {
    const [ref, alt] = await Promise.all([observe({}, id), observe({ flavour: 'alternate' }, id)]);
    expect(alt).toEqual(ref);
  });
});

describe('options', () => {
  it('createStatus 201, PUT updates, another resource path', async () => {
    await withTarget({ createStatus: 201, updateMethod: 'PUT', resourcePath: '/api/customers' }, async (api) => {
      const c = await api.create(full());
      expect(c.status).toBe(201);
      expect((await api.update(c.json.id, minimal('conformance-t P'))).status).toBe(200);
      expect((await api.req('POST', `/${c.json.id}`, { body: full() })).status).toBe(405);
      const r = await agent.request({ origin: api.t.url, path: `/v2/customer/${c.json.id}`, method: 'GET', headers: { authorization: AUTH_A } });
      await r.body.text();
      expect(r.statusCode).toBe(404);
    });
  });

  it('PATCH updates; 404 selectable for malformed ids and other entities', async () => {
    await withTarget({ updateMethod: 'PATCH', malformedIdStatus: 404, otherEntityStatus: 404 }, async (api) => {
      const c = await api.make();
      expect((await api.update(c.id, minimal('conformance-t P'))).status).toBe(200);
      expect((await api.get('nope')).status).toBe(404);
      expect((await api.get(c.id, AUTH_B)).status).toBe(404);
      expect((await api.del(c.id, AUTH_B)).status).toBe(404);
      expect(api.t.count()).toBe(1);
    });
  });

  it('latencyMs delays every answer', async () => {
    await withTarget({ latencyMs: 120 }, async (api) => {
      const t0 = performance.now();
      await api.get(randomUUID());
      expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    });
  });

  it('an unknown defect is refused with a pointer to the list', async () => {
    await expect(startTarget({ defect: 'no-such-defect' })).rejects.toThrow(/--list-defects/);
  });
});

describe('fault modes', () => {
  it('X-Conformance-Fault: 500 answers 500 with the error body after auth and changes nothing', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const fault = { 'x-conformance-fault': '500' };
      const r = await api.req('DELETE', `/${c.id}`, { headers: fault });
      expect(r.status).toBe(500);
      expect(isErrorBody(r)).toBe(true);
      expect(isClean(r)).toBe(true);
      expect((await api.req('POST', '', { body: full(), headers: fault })).status).toBe(500);
      expect((await api.req('GET', `/${c.id}`, { headers: fault, auth: null })).status).toBe(401);
      expect(api.t.count()).toBe(1);
      expect((await api.get(c.id)).json).toEqual(c);
    });
    await withTarget({ faultInjection: false }, async (api) => {
      expect((await api.req('GET', `/${randomUUID()}`, { headers: { 'x-conformance-fault': '500' } })).status).toBe(404);
    });
  });

  it('drop destroys the socket without an answer', async () => {
    await withTarget({ fault: { kind: 'drop', times: 1 } }, async (api) => {
      await expect(api.create(full())).rejects.toThrow();
      expect(api.t.count()).toBe(0);
      expect((await api.create(full())).status).toBe(200);
    });
  });

  it('hang never answers, and close() still ends the connection', async () => {
    const t = await startTarget({ fault: { kind: 'hang' } });
    const api = new Api(t);
    await expect(api.req('GET', `/${randomUUID()}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const pending = api.get(randomUUID());
    const outcome = pending.then(
      () => 'answered',
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await t.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(await outcome).toBe('closed');
  }, 15_000);

  it('status429 and status503 answer with Retry-After and the error body, `times` limits them', async () => {
    await withTarget({ fault: { kind: 'status429', times: 2 } }, async (api) => {
      for (let i = 0; i < 2; i++) {
        const r = await api.create(full());
        expect(r.status).toBe(429);
        expect(r.headers['retry-after']).toBe('1');
        expect(isErrorBody(r)).toBe(true);
      }
      expect(api.t.count()).toBe(0);
      expect((await api.create(full())).status).toBe(200);
    });
    await withTarget({ fault: { kind: 'status503', method: 'DELETE', path: 'item', retryAfterSec: 7 } }, async (api) => {
      const c = await api.make();
      const r = await api.del(c.id);
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('7');
      expect(isErrorBody(r)).toBe(true);
      expect((await api.get(c.id)).status).toBe(200);
      expect(api.t.count()).toBe(1);
    });
  });

  it('truncate sends a Content-Length longer than the body, then closes', async () => {
    await withTarget({ fault: { kind: 'truncate', path: 'collection', method: 'POST' } }, async (api) => {
      await expect(api.create(full())).rejects.toThrow();
      expect(api.t.count()).toBe(0);
      expect((await api.get(randomUUID())).status).toBe(404);
    });
  });
});

describe('defect catalogue', () => {
  it('has at least 44 uniquely named defects covering every contract id', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(44);
    expect(new Set(DEFECTS.map((d) => d.name)).size).toBe(DEFECTS.length);
    for (const d of DEFECTS) {
      expect(d.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(CONTRACT_IDS).toContain(d.breaks);
      expect(d.description.length).toBeGreaterThan(10);
      expect(defectByName(d.name)).toBe(d);
    }
    expect(new Set(DEFECTS.map((d) => d.breaks))).toEqual(new Set(CONTRACT_IDS));
    expect(() => defectByName('nope')).toThrow(/--list-defects/);
  });

  const reference = new Map<ContractId, Promise<unknown>>();
  const referenceFor = (id: ContractId) => {
    if (!reference.has(id)) reference.set(id, observe({}, id));
    return reference.get(id)!;
  };

  it.each(DEFECTS.map((d) => [d.name, d.breaks]))('%s changes what a check of %s observes', async (name, id) => {
    const [ref, got] = await Promise.all([referenceFor(id as ContractId), observe({ defect: name }, id as ContractId)]);
    expect(got).not.toEqual(ref);
  });
});
