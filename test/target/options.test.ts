// The reference target's options: create status, update method, resource path, the selectable 404s,
// latency, and the refusal of an unknown defect.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTarget } from '../../fixtures/target/server.ts';
import { agent, AUTH_A, AUTH_B, full, minimal, withTarget } from '../support/target-kit.ts';

describe('options', () => {
  it('createStatus 201, PUT updates, another resource path', async () => {
    await withTarget({ createStatus: 201, updateMethod: 'PUT', resourcePath: '/api/customers' }, async (api) => {
      const c = await api.create(full());
      expect(c.status).toBe(201);
      expect((await api.update(c.json.id, minimal('conformance-t P'))).status).toBe(200);
      expect((await api.req('POST', `/${c.json.id}`, { body: full() })).status).toBe(405);
      const defaultPath = { origin: api.t.url, path: `/v2/customer/${c.json.id}` };
      const r = await agent.request({ ...defaultPath, method: 'GET', headers: { authorization: AUTH_A } });
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
