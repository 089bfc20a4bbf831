// The kit of the reference target's own tests (test/target/): a loopback client for the target, the
// credentials, request bodies, field values, and the tests' notion of a well-formed, clean error body.
import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll } from 'vitest';
import { ACCOUNTS, basicAuth } from '../../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget, type TargetOptions } from '../../fixtures/target/server.ts';
import { GROUP_FIELDS, TOP_FIELDS, type FieldSpec } from '../../fixtures/target/validate.ts';

export const A = ACCOUNTS.a;
export const B = ACCOUNTS.b;
export const AUTH_A = basicAuth(A);
export const AUTH_B = basicAuth(B);
export const WRONG_KEY = `Basic ${Buffer.from(`${A.userId}:wrong-key-0123456789abcdef`).toString('base64')}`;
const SECRETS = [A.apiKey, B.apiKey, A.bearer, B.bearer, 'wrong-key-0123456789abcdef'];

// each test file imports its own copy of this module (vitest isolates files), so each closes its own agent
export const agent = new Agent({ keepAliveTimeout: 1000 });
afterAll(() => agent.close());

// the tests read answers loosely: a wrong shape fails an assertion, not the compiler
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = Record<string, any>;
export interface Res {
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface ReqOptions {
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

export class Api {
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
    const target = { origin: this.t.url, path: this.resource + path };
    const r = await agent.request({ ...target, method, headers, body, signal: o.signal });
    const text = await r.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const h = Object.fromEntries(
      Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
    );
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

/** Starts a target with `opts`, hands a client for it to `fn`, and closes it whatever happens. */
export async function withTarget<T>(opts: TargetOptions, fn: (api: Api) => Promise<T>): Promise<T> {
  const t = await startTarget(opts);
  try {
    return await fn(new Api(t, { resourcePath: opts.resourcePath, updateMethod: opts.updateMethod }));
  } finally {
    await t.close();
  }
}

export const statuses = async (rs: Promise<Res>[]) => (await Promise.all(rs)).map((r) => r.status);

// ---- bodies

export const address = (): J => ({
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

/** A customer with every field set, valid. */
export function full(entity: string = A.entityId): J {
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

export const minimal = (name = 'conformance-t Minimal'): J => ({ entity_id: A.entityId, company_name: name });

/** A copy of `body` with the dotted `path` set to `value`. */
export function withPath(body: J, path: string, value: unknown): J {
  const out = structuredClone(body);
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) out[head] = value;
  else out[head] = { ...(out[head] ?? {}), [tail]: value };
  return out;
}

// ---- field values

/** Every field of the target's table, with its dotted path. */
export function fieldSpecs(): { path: string; spec: FieldSpec }[] {
  return [
    ...TOP_FIELDS.map((spec) => ({ path: spec.name, spec })),
    ...Object.entries(GROUP_FIELDS).flatMap(([g, specs]) => specs.map((spec) => ({ path: `${g}.${spec.name}`, spec }))),
  ];
}

/** A valid value of exactly n characters for a field (e-mail keeps RFC 5321's part limits). */
export function valueOfLength(spec: FieldSpec, n: number): string {
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

export const PATTERN_FIELDS: Record<string, 'phone' | 'title' | 'digits'> = {
  phone_number: 'phone',
  work_phone: 'phone',
  'billing.phone': 'phone',
  'shipping.phone': 'phone',
  title: 'title',
  'tax.identifier': 'digits',
};
export const PATTERN_VALUES = {
  phone: {
    ok: ['+31 (0)20-555.12 34', '0123456789', '1234567890123456789012345', '555.010.9999'],
    bad: ['555-CALL-NOW', '0123abc', '', '+31/20/5551234', '555_0100', '０１２３'],
  },
  title: { ok: ['Mr', 'Prof. Dr', 'Mr - Mrs', 'Jean-Luc', 'A.B.C.'], bad: ['Mr1', 'Dr!', '', 'Señor', "O'Brien"] },
  digits: { ok: ['0', '123456789', '000000001'], bad: ['12a', '12 34', '-123', '', '123456\n', 'abc'] },
};

export const MALFORMED_IDS = [
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

// ---- judging answers

/** Every key of `sent` (recursively) has the same value in `got`. */
export function subsetEqual(sent: unknown, got: unknown): boolean {
  if (sent === null || typeof sent !== 'object') return sent === got;
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(sent).every(([k, v]) => subsetEqual(v, (got as J)[k]));
}

/** Nanoseconds since the epoch of an ISO 8601 date-time with any fraction length. */
export function ns(s: string): bigint {
  const frac = /\.(\d+)/.exec(s)?.[1] ?? '';
  return BigInt(Date.parse(s)) * 1_000_000n + BigInt((frac + '000000000').slice(3, 9));
}

export const isErrorBody = (r: Res) =>
  /^application\/json\b/.test(r.headers['content-type'] ?? '') &&
  r.json?.code === r.status &&
  typeof r.json?.message === 'string' &&
  Number.isInteger(r.json?.timestamp);
/** No stack trace, server path or credential in the answer. */
export const isClean = (r: Res) =>
  !/\n\s+at |\/srv\/|node_modules|\.[jt]s:\d+/.test(r.text) && !SECRETS.some((s) => r.text.includes(s));
