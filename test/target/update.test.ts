// The reference target's update: replace (the default) and merge semantics, atomic refusal, and the
// read-only fields an update body cannot change.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { A, B, full, withTarget } from '../support/target-kit.ts';

describe('reference target: update semantics', () => {
  it('replace (default): the record becomes exactly the request', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const sent = { entity_id: A.entityId, company_name: 'conformance-t R', billing: { city: 'Utrecht' } };
      const u = await api.update(c.id, sent);
      expect(u.status).toBe(200);
      const g = (await api.get(c.id)).json;
      expect(g).toEqual({
        id: c.id,
        entity_id: A.entityId,
        company_name: 'conformance-t R',
        billing: { city: 'Utrecht' },
        created_at: c.created_at,
        updated_at: u.json.updated_at,
      });
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
      const rejected = [
        { ...full(), company_name: 'conformance-t New', title: 'Dr1' },
        { ...full(), company_name: 'x'.repeat(101) },
        { ...full(), company_name: 'conformance-t New', entity_id: B.entityId },
      ];
      for (const body of rejected) {
        expect((await api.update(c.id, body)).status).toBeGreaterThanOrEqual(400);
        expect((await api.get(c.id)).json).toEqual(c);
      }
    });
  });

  it('ignores id, created_at and updated_at in an update body', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const old = '2001-01-01T00:00:00Z';
      const u = await api.update(c.id, { ...full(), id: randomUUID(), created_at: old, updated_at: old });
      expect(u.status).toBe(200);
      expect(u.json.id).toBe(c.id);
      expect(u.json.created_at).toBe(c.created_at);
      expect(u.json.updated_at > c.updated_at).toBe(true);
      expect((await api.get(c.id)).json).toEqual(u.json);
    });
  });
});
