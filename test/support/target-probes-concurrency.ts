// Probes of the CUS-CONC-* statements: bursts of overlapping requests on one customer, observed as
// conformance facts (one update's values stored whole, a deleted customer gone, fresh reads, distinct ids).
import type { ContractId } from '../../fixtures/contract/statements.ts';
import { full, ns, subsetEqual, withPath, type J } from './target-kit.ts';
import type { Probe } from './target-probes-update.ts';

const BURST = 6;
const bodies = () =>
  Array.from({ length: BURST }, (_, i) => withPath(full(), 'company_name', `conformance-t Burst ${i}`));

export const CONCURRENCY_PROBES = {
  'CUS-CONC-UPDATE': [
    async (api) => {
      const c = await api.make();
      const sent = bodies().map((b, i) => withPath(b, 'billing.city', `City ${i}`));
      const answers = await Promise.all(sent.map((b) => api.update(c.id, b)));
      const stored = (await api.get(c.id)).json as J;
      const latest = answers.map((r) => ns(r.json?.updated_at)).reduce((a, b) => (b > a ? b : a));
      return {
        statuses: answers.map((r) => r.status),
        one: sent.filter((b) => subsetEqual(b, stored)).length,
        notEarlier: ns(stored.updated_at) >= latest,
      };
    },
  ],
  'CUS-CONC-DELETE': [
    async (api) => {
      const c = await api.make();
      const updates = bodies().map((b) => api.update(c.id, b));
      const del = await api.del(c.id);
      await Promise.all(updates);
      return { delete: del.status, after: (await api.get(c.id)).status };
    },
  ],
  'CUS-CONC-READ': [
    async (api) => {
      const c = await api.make();
      const sent = withPath(full(), 'billing.city', 'Fresh City');
      await api.update(c.id, sent);
      const reads = await Promise.all(
        Array.from({ length: BURST }, () => api.req('GET', `/${c.id}`, { headers: { connection: 'close' } })),
      );
      return reads.map((r) => r.status === 200 && subsetEqual(sent, r.json));
    },
  ],
  'CUS-CONC-CREATE': [
    async (api) => {
      const sent = bodies();
      const made = await Promise.all(sent.map((b) => api.create(b)));
      const ids = made.map((r) => r.json?.id as string);
      const stored = await Promise.all(ids.map((id) => api.get(id)));
      return { distinct: new Set(ids).size, own: stored.map((r, i) => subsetEqual(sent[i], r.json)) };
    },
  ],
} satisfies Partial<Record<ContractId, Probe[]>>;
