// Probes of the update operation (see target-probes.ts): what a correct update answers, stores and refuses.
import { randomUUID } from 'node:crypto';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import {
  A,
  AUTH_B,
  B,
  fieldSpecs,
  full,
  MALFORMED_IDS,
  PATTERN_FIELDS,
  PATTERN_VALUES,
  statuses,
  subsetEqual,
  valueOfLength,
  withPath,
  WRONG_KEY,
  type Api,
  type J,
  type ReqOptions,
} from './target-kit.ts';

export type Probe = (api: Api) => Promise<unknown>;

/** A customer as stored: without served_at, when the response was served (the alternate flavour's own). */
const stored = (c: J | undefined) => JSON.stringify({ ...c, served_at: undefined });

export const UPDATE_PROBES = {
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
      const billing = { first_name: 'Ann', last_name: 'Lee' };
      const sent = { entity_id: A.entityId, company_name: 'conformance-t Replaced', billing };
      await api.update(c.id, sent);
      const g = (await api.get(c.id)).json as J;
      const gone =
        ['email_address', 'phone_number', 'title', 'tax', 'shipping'].every((k) => g[k] === undefined) &&
        g.billing?.city === undefined;
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
        const sized = (n: number) => withPath(full(), path, valueOfLength(spec, n));
        out[path] = await statuses([spec.max, spec.max + 1].map((n) => api.update(c.id, sized(n))));
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
      return { status: r.status, unchanged: stored(g.json) === stored(c) };
    },
  ],
  'CUS-UPD-READONLY': [
    async (api) => {
      const c = await api.make();
      const old = '2001-01-01T00:00:00Z';
      const r = await api.update(c.id, { ...full(), id: randomUUID(), created_at: old, updated_at: old });
      const g = await api.get(c.id);
      return {
        answered: r.status === 200 || r.status === 400,
        found: g.status,
        created: g.json?.created_at === c.created_at,
        updatedNot2001: !String(g.json?.updated_at).startsWith('2001'),
      };
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
      const hijack = { ...full(), company_name: 'conformance-t Hijacked' };
      const s = await statuses([null, WRONG_KEY, 'Bearer nope'].map((auth) => api.update(c.id, hijack, auth)));
      const g = await api.get(c.id);
      return { s, unchanged: g.json?.company_name === c.company_name };
    },
  ],
  'CUS-UPD-403': [
    async (api) => {
      const c = await api.make();
      const hijack = (entity: string) => ({ ...full(entity), company_name: 'conformance-t Hijacked' });
      const s = await statuses([A.entityId, B.entityId].map((e) => api.update(c.id, hijack(e), AUTH_B)));
      const g = await api.get(c.id);
      return { s, unchanged: g.json?.company_name === c.company_name };
    },
  ],
} satisfies Partial<Record<ContractId, Probe[]>>;
