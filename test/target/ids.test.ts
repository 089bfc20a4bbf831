// The reference target's customer ids: malformed ones get 400 (path tricks included), unknown well-formed
// ones 404, and credentials are judged before the id is.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { full, isErrorBody, MALFORMED_IDS, statuses, withTarget } from '../support/target-kit.ts';

/** A short label for a long id, so the test names stay readable. */
const label = (id: string) => (id.length > 60 ? `${id.slice(0, 20)}… (${id.length})` : id);

describe('reference target: ids', () => {
  it.each(MALFORMED_IDS.map((id) => [label(id), id]))(
    'malformed id %s gets 400 on get, update and delete',
    async (_label, id) => {
      await withTarget({}, async (api) => {
        for (const r of [await api.get(id), await api.update(id, full()), await api.del(id)]) {
          expect(r.status).toBe(400);
          expect(isErrorBody(r)).toBe(true);
          expect(r.text).not.toContain('passwd');
        }
      });
    },
  );

  it('a well-formed unknown id gets 404 and update creates nothing', async () => {
    await withTarget({}, async (api) => {
      const id = randomUUID();
      expect(await statuses([api.get(id), api.update(id, full()), api.del(id)])).toEqual([404, 404, 404]);
      expect(api.t.count()).toBe(0);
    });
  });

  it('authenticates before looking at the id', async () => {
    await withTarget({}, async (api) => {
      expect((await api.get('nope', null)).status).toBe(401);
    });
  });
});
