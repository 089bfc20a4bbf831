// The reference target's clock: updated_at moves forward on every update (even within one clock tick)
// and only then, created_at never moves.
import { describe, expect, it } from 'vitest';
import { full, ns, withTarget } from '../support/target-kit.ts';

describe('reference target: timestamps', () => {
  it('updated_at moves strictly forward on every update, never on get; created_at never moves', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      let prev = c.updated_at as string;
      for (let i = 0; i < 20; i++) {
        const u = await api.update(c.id, full());
        expect(ns(u.json.updated_at) > ns(prev)).toBe(true);
        expect(u.json.created_at).toBe(c.created_at);
        expect(Math.abs(Date.parse(u.json.updated_at) - Date.parse(u.headers.date!))).toBeLessThan(2_000);
        prev = u.json.updated_at;
        expect((await api.get(c.id)).json.updated_at).toBe(prev);
      }
    });
  });
});
