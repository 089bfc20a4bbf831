// The alternate flavour: differently correct wherever the contract leaves a choice, so every probe of a
// contract statement observes on it what it observes on the reference.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTRACT_IDS } from '../../fixtures/contract/statements.ts';
import { full, isErrorBody, ns, withTarget } from '../support/target-kit.ts';
import { observe } from '../support/target-probes.ts';

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
