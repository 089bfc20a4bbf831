// The reference target's happy path over real loopback HTTP: a customer's whole life, the list with its
// search and paging, and what unknown routes and methods get.
import { describe, expect, it } from 'vitest';
import { bearerAuth } from '../../fixtures/target/accounts.ts';
import {
  A,
  agent,
  AUTH_B,
  B,
  full,
  isErrorBody,
  minimal,
  subsetEqual,
  withTarget,
  type J,
} from '../support/target-kit.ts';

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
      const either = encodeURIComponent('company_name=="conformance-l 3",company_name==other');
      expect(await page(`?search=${either}`)).toHaveLength(2);
      const p2 = await page('?search=company_name==conformance-l*&page_size=2&page_number=2');
      expect(p2.map((c) => c.company_name)).toEqual(['conformance-l 2', 'conformance-l 3']);
      const last = await page('?search=company_name==conformance-l*&order_by=DESC&page_size=1');
      expect(last[0]?.company_name).toBe('conformance-l 4');
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
