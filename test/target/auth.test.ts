// The reference target's authentication (every way to be refused gets 401 and changes nothing) and its
// entity scoping (another entity's customer gets 403, after existence is known).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerAuth } from '../../fixtures/target/accounts.ts';
import { A, AUTH_B, B, full, isClean, isErrorBody, minimal, withTarget, WRONG_KEY } from '../support/target-kit.ts';

const base64 = (s: string) => Buffer.from(s).toString('base64');

describe('reference target: authentication and entities', () => {
  const BAD: [string, string | null][] = [
    ['no header', null],
    ['empty header', ''],
    ['scheme only', 'Basic'],
    ['wrong scheme', `Digest ${A.apiKey}`],
    ['malformed base64', 'Basic !!!not-base64'],
    ['no colon', `Basic ${base64(A.apiKey)}`],
    ['unknown user', `Basic ${base64(`nobody:${A.apiKey}`)}`],
    ['wrong key', WRONG_KEY],
    ["other user's key", `Basic ${base64(`${A.userId}:${B.apiKey}`)}`],
    ['unknown bearer', 'Bearer eyJhbGciOiJub25lIn0.e30.'],
    ['malformed bearer', 'Bearer a b c'],
    ['key as bearer', `Bearer ${A.apiKey}`],
  ];

  it.each(BAD)('%s gets 401 on every operation and changes nothing', async (_label, auth) => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const rs = [
        await api.get(c.id, auth),
        await api.update(c.id, minimal('conformance-t Hijacked'), auth),
        await api.del(c.id, auth),
        await api.create(full(), auth),
        await api.req('GET', '?search=id==*', { auth }),
      ];
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
      const rs = [
        await api.get(c.id, AUTH_B),
        await api.update(c.id, full(B.entityId), AUTH_B),
        await api.update(c.id, full(A.entityId), AUTH_B),
        await api.del(c.id, bearerAuth(B)),
      ];
      for (const r of rs) {
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
