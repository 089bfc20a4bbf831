// The reference target's fault modes: the injected 500 header, and the transport faults (drop, hang,
// 429/503 with Retry-After, a truncated answer) that never change stored data.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTarget } from '../../fixtures/target/server.ts';
import { Api, full, isClean, isErrorBody, withTarget } from '../support/target-kit.ts';

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
      const r = await api.req('GET', `/${randomUUID()}`, { headers: { 'x-conformance-fault': '500' } });
      expect(r.status).toBe(404);
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
    const deletes503 = { kind: 'status503', method: 'DELETE', path: 'item', retryAfterSec: 7 } as const;
    await withTarget({ fault: deletes503 }, async (api) => {
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
