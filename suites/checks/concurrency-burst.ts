// What the concurrency checks share: bodies that differ in every free-text field (so a stored mix shows
// which field came from which request), each request's timing, and the evidence a vendor acts on.
import { REQUEST_FIELDS } from '../../fixtures/contract/fields.ts';
import type { ApiResponse } from '../../helpers/client/api-response.ts';
import { canonical } from '../../helpers/client/canonical.ts';
import { at, setAt, type Json } from '../model/assert.ts';
import type { CheckContext } from '../model/check.ts';
import { EnvironmentAnswer } from '../../helpers/run/environment.ts';

/** Free text: any value will do, so each body of a burst gets its own. */
const FREE_TEXT = REQUEST_FIELDS.filter((f) => f.kind === 'string' && !f.pattern && f.path !== 'entity_id');

/** `n` complete valid customers, no two alike in any free-text field (the marker kept at the front). */
export function burstBodies(t: CheckContext, n: number): Json[] {
  return Array.from({ length: n }, (_, i) => {
    const body = t.data.valid() as Json;
    const tag = ` u${i + 1}`;
    for (const f of FREE_TEXT) {
      const v = at(body, f.path);
      if (typeof v !== 'string') continue;
      const room = f.maxLength === undefined ? v.length : f.maxLength - tag.length;
      setAt(body, f.path, v.slice(0, room).trimEnd() + tag);
    }
    return body;
  });
}

/** A request's answer, and when it was sent and answered (ms, performance clock). */
export interface Timed {
  res: ApiResponse;
  sentAt: number;
  answeredAt: number;
}

export async function timed(send: () => Promise<ApiResponse>): Promise<Timed> {
  const sentAt = performance.now();
  const res = await send();
  return { res, sentAt, answeredAt: performance.now() };
}

const LIMITED = /\bstatus (429|503)\b/;
const lower = (t: CheckContext) => `lower CUSTOMER_API_CONCURRENCY_BURST (now ${t.cfg.burst})`;

/**
 * Sends a burst. A target limiting it (429, 503, also when tried again) cannot be judged by it: the check
 * is not verified, naming the setting that lowers the burst, instead of broken by the environment.
 */
export async function sendBurst(
  t: CheckContext,
  label: string,
  sends: readonly (() => Promise<ApiResponse>)[],
): Promise<Timed[]> {
  try {
    return await t.step(label, () => Promise.all(sends.map(timed)));
  } catch (e) {
    if (e instanceof EnvironmentAnswer && LIMITED.test(e.message))
      t.notVerified(`the target limited the burst (${e.message.split(':')[0]}); ${lower(t)}`);
    throw e;
  }
}

/** A burst whose answers the target limited (429, 503) cannot be judged either. */
export function expectNotThrottled(t: CheckContext, burst: readonly Timed[]): void {
  const limited = burst.filter((b) => b.res.status === 429 || b.res.status === 503);
  if (limited.length)
    t.notVerified(
      `the target limited the burst (${limited.length} of ${burst.length} answered ${limited[0]!.res.status}); ` +
        lower(t),
    );
}

/** Each request of a burst: its status, when it was sent and answered, from the first one sent. */
export function timings(burst: readonly Timed[]): string {
  const t0 = Math.min(...burst.map((b) => b.sentAt));
  const ms = (x: number) => Math.round(x - t0);
  const each = burst.map(
    (b, i) => `${i + 1}: ${b.res.status}, sent +${ms(b.sentAt)} ms, answered +${ms(b.answeredAt)} ms`,
  );
  return `the requests (${each.join('; ')})`;
}

/** Which request the stored value of each field came from, where the requests differ: fields by source. */
export function fieldSources(stored: Json, bodies: readonly Json[]): string {
  const telling = REQUEST_FIELDS.filter((f) => new Set(bodies.map((b) => canonical(at(b, f.path)))).size > 1);
  const bySource = new Map<string, string[]>();
  for (const f of telling) {
    const v = canonical(at(stored, f.path));
    const who = bodies.flatMap((b, i) => (canonical(at(b, f.path)) === v ? [i + 1] : []));
    const source = who.length ? `from update ${who.join(' or ')}` : 'from none of them';
    bySource.set(source, [...(bySource.get(source) ?? []), f.path]);
  }
  const list = (paths: string[]) =>
    paths.slice(0, 4).join(', ') + (paths.length > 4 ? ` and ${paths.length - 4} more` : '');
  return [...bySource].map(([source, paths]) => `${list(paths)} ${source}`).join('; ');
}
