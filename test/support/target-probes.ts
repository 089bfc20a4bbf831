// Probes: per contract id, scripted request sequences whose observations are conformance facts, so a
// correct flavour observes the same as the reference, and each defect observes something else.
import { randomUUID } from 'node:crypto';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import type { TargetOptions } from '../../fixtures/target/server.ts';
import {
  A,
  AUTH_B,
  full,
  isClean,
  isErrorBody,
  MALFORMED_IDS,
  ns,
  statuses,
  subsetEqual,
  withPath,
  withTarget,
  WRONG_KEY,
  type J,
  type Res,
} from './target-kit.ts';
import { UPDATE_PROBES, type Probe } from './target-probes-update.ts';
import { CONCURRENCY_PROBES } from './target-probes-concurrency.ts';

const isJson = (r: Res) => /^application\/json\b/.test(r.headers['content-type'] ?? '');
/** The answer names the customer or any of its data. */
const leaks = (r: Res, c: J) => r.text.includes(c.id) || r.text.includes('conformance-t');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const GET = {
  'CUS-GET-200': [
    async (api) => {
      const sent = full();
      const c = await api.make(sent);
      const r = await api.get(c.id);
      const required = ['id', 'entity_id', 'created_at', 'updated_at'].every((k) => typeof r.json?.[k] === 'string');
      return { status: r.status, json: isJson(r), id: r.json?.id === c.id, required, sent: subsetEqual(sent, r.json) };
    },
  ],
  'CUS-GET-404': [async (api) => statuses([api.get(randomUUID()), api.get('00000000-0000-0000-0000-000000000000')])],
  'CUS-GET-400': [async (api) => statuses(MALFORMED_IDS.map((id) => api.get(id)))],
  'CUS-GET-401': [
    async (api) => {
      const c = await api.make();
      const auths = [null, '', 'Basic', 'Basic !!!', WRONG_KEY, 'Bearer not-a-known-token', `Digest ${A.apiKey}`];
      const rs = await Promise.all(auths.map((auth) => api.get(c.id, auth)));
      return rs.map((r) => ({ status: r.status, leak: leaks(r, c) }));
    },
  ],
  'CUS-GET-403': [
    async (api) => {
      const c = await api.make();
      const r = await api.get(c.id, AUTH_B);
      return { status: r.status, leak: leaks(r, c) };
    },
  ],
} satisfies Partial<Record<ContractId, Probe[]>>;

const TIMESTAMPS = {
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
      await pause(5);
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
      const skew = Math.abs(Date.parse(up) - Date.parse(u.headers.date ?? ''));
      const later = ns(up) > ns(c.updated_at);
      return { later, notBeforeCreated: ns(up) >= ns(c.created_at), nearDate: skew < 60_000 };
    },
  ],
  'CUS-TS-READ': [
    async (api) => {
      const c = await api.make();
      await pause(5);
      const g1 = await api.get(c.id);
      const g2 = await api.get(c.id);
      return [g1.json?.updated_at === c.updated_at, g2.json?.updated_at === c.updated_at];
    },
  ],
} satisfies Partial<Record<ContractId, Probe[]>>;

const DELETE = {
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
      const s = [
        (await api.get(c.id)).status,
        (await api.update(c.id, full())).status,
        (await api.del(c.id)).status,
        (await api.get(c.id)).status,
      ];
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
} satisfies Partial<Record<ContractId, Probe[]>>;

const ERRORS_AND_SECURITY = {
  'CUS-ERR-BODY': [
    async (api) => {
      const c = await api.make();
      const rs = await Promise.all([
        api.get(randomUUID()),
        api.get(c.id, WRONG_KEY),
        api.get(c.id, null),
        api.get('nope'),
        api.update(c.id, withPath(full(), 'title', 'Dr!')),
        api.get(c.id, AUTH_B),
      ]);
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
      const judged = { status: fault.status, body: isErrorBody(fault), clean: isClean(fault) };
      return { s: rs.map((r) => r.status), fault: judged };
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
      const head = `{"entity_id":"${A.entityId}","company_name":"conformance-t `;
      const notUtf8 = Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const deep = `{"entity_id":"${A.entityId}","company_name":"conformance-t Deep","nested":${nested}}`;
      const asBytes = (await api.req('POST', '', { bytes: notUtf8 })).status;
      out.push(asBytes, (await api.req('POST', '', { raw: deep })).status);
      return out;
    },
  ],
  'CUS-SEC-REFLECT': [
    async (api) => {
      const c = await api.make();
      const values = ['<script>alert(1)</script>', 'x\r\nX-Injected: yes'];
      const rs = await Promise.all(values.map((v) => api.update(c.id, withPath(full(), 'phone_number', v))));
      return rs.map((r) => ({
        status: r.status,
        json: isJson(r),
        raw: r.text.includes('<script>'),
        injected: 'x-injected' in r.headers,
      }));
    },
  ],
  'CUS-SEC-LEAK': [
    async (api) => {
      const c = await api.make();
      const list = (auth: string | null) => api.req('GET', '?search=company_name==conformance-t*', { auth });
      const rs = await Promise.all([AUTH_B, null, WRONG_KEY].map(list));
      return rs.map((r) => ({ status: r.status, leak: r.text.includes(c.id) }));
    },
  ],
} satisfies Partial<Record<ContractId, Probe[]>>;

const PROBES: Record<ContractId, Probe[]> = {
  ...GET,
  ...UPDATE_PROBES,
  ...TIMESTAMPS,
  ...DELETE,
  ...ERRORS_AND_SECURITY,
  ...CONCURRENCY_PROBES,
};

/** What the probes of `id` observe on a fresh target started with `opts`. */
export const observe = (opts: TargetOptions, id: ContractId) =>
  withTarget(opts, async (api) => Promise.all(PROBES[id].map((p) => p(api))));
