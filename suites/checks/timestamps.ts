// Timestamp semantics: format, created_at stable, updated_at strictly forward and near the server's clock,
// reads leave updated_at alone.
import { settingShown } from '../../fixtures/contract/readings.ts';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import type { ApiResponse } from '../../helpers/client/api-response.ts';
import { expectCustomer, expectStatus, type Json } from '../model/assert.ts';
import type { Check, CheckContext } from '../model/check.ts';
import { parseInstant, toMs, untilClockTicks, type Instant } from '../../helpers/client/time.ts';
import { read } from './steps.ts';

function instant(t: CheckContext, res: ApiResponse, v: unknown, id: ContractId, name: string): Instant {
  // the written form is CUS-TS-FORMAT's to judge: the other statements read any form
  const forms = id === 'CUS-TS-FORMAT' ? t.cfg.readings['timestamp-form'] : ['iso8601'];
  const i = parseInstant(v, forms);
  const form = forms.includes('iso8601')
    ? 'an ISO 8601 date-time'
    : `an RFC 3339 date-time (${settingShown(t.cfg.readings, 'timestamp-form')})`;
  if (!i) t.fail(id, `${name} ${form} with a time zone designator`, `${name} = ${JSON.stringify(v)}`, res);
  return i;
}

export function expectTimestampFormat(t: CheckContext, res: ApiResponse, body: Json): void {
  instant(t, res, body.created_at, 'CUS-TS-FORMAT', 'created_at');
  instant(t, res, body.updated_at, 'CUS-TS-FORMAT', 'updated_at');
  t.pass('CUS-TS-FORMAT');
}

export function expectSameInstant(
  t: CheckContext,
  res: ApiResponse,
  before: unknown,
  after: unknown,
  id: ContractId,
  what: string,
): void {
  const b = parseInstant(before);
  const a = parseInstant(after);
  if (!a || !b || a.ns !== b.ns)
    t.fail(id, `${what} unchanged (${JSON.stringify(before)})`, JSON.stringify(after), res);
  t.pass(id);
}

/** updated_at after an update: later than before, not before created_at, near the response's Date. */
export function expectUpdatedMoved(t: CheckContext, upd: ApiResponse, before: Json, after: Json): void {
  const id = 'CUS-TS-UPDATED';
  const b = instant(t, upd, before.updated_at, id, 'updated_at before the update');
  const a = instant(t, upd, after.updated_at, id, 'updated_at after the update');
  const c = instant(t, upd, after.created_at, id, 'created_at');
  if (a.ns <= b.ns) t.fail(id, `updated_at later than before the update (${b.text})`, `updated_at ${a.text}`, upd);
  if (a.ns < c.ns) t.fail(id, `updated_at not before created_at (${c.text})`, `updated_at ${a.text}`, upd);
  const date = Date.parse(upd.headers.date ?? '');
  if (Number.isNaN(date))
    t.fail(
      id,
      'a Date header on the update response, to compare updated_at with',
      `Date: ${upd.headers.date ?? 'missing'}`,
      upd,
    );
  // Date has whole seconds: allow the second it was truncated from
  const skew = toMs(a) - date;
  if (skew < -t.cfg.clockSkewMs || skew > t.cfg.clockSkewMs + 1000)
    t.fail(
      id,
      `updated_at within ${t.cfg.clockSkewMs} ms (CUSTOMER_API_CLOCK_SKEW_MS) ` +
        `of the response's Date (${upd.headers.date})`,
      `updated_at ${a.text}, ${Math.round(skew / 1000)} s off`,
      upd,
    );
  t.pass(id);
}

/**
 * Lets the target's clock move past the timestamps of `body` (read at `seenAt`, a performance.now()), so the
 * next update must answer a later updated_at even on a coarse clock: no fixed sleep, one tick at most.
 */
export function letClockTick(body: Json, seenAt: number): Promise<void> {
  return untilClockTicks([parseInstant(body.created_at), parseInstant(body.updated_at)], seenAt);
}

export const timestampChecks: Check[] = [
  {
    name: 'create and get answer created_at and updated_at as ISO 8601 with a zone designator',
    ids: ['CUS-TS-FORMAT'],
    feature: 'Timestamps',
    tags: ['timestamps'],
    async run(t) {
      const c = await t.createCustomer();
      expectTimestampFormat(t, c.res, expectCustomer(t, c.res, 'CUS-TS-FORMAT', 'the create response'));
      const got = await read(t, c.id);
      expectTimestampFormat(t, got.res, got.body);
    },
  },
  {
    name: 'two updates in quick succession each move updated_at forward; created_at stays',
    ids: ['CUS-TS-UPDATED', 'CUS-TS-CREATED'],
    feature: 'Timestamps',
    tags: ['timestamps'],
    async run(t) {
      const c = await t.createCustomer();
      let before = (await read(t, c.id, 'get the new customer')).body;
      let seen = performance.now();
      const createdAt = before.created_at;
      for (const n of [1, 2]) {
        await letClockTick(before, seen);
        const upd = await t.step(`update ${n}`, () => t.api.update(c.id, t.data.valid()));
        expectStatus(t, upd, 'CUS-TS-UPDATED', 200, 'a valid update');
        const after = await read(t, c.id, `get after update ${n}`);
        expectUpdatedMoved(t, upd, before, after.body);
        expectSameInstant(
          t,
          after.res,
          createdAt,
          after.body.created_at,
          'CUS-TS-CREATED',
          `created_at after update ${n}`,
        );
        before = after.body;
        seen = performance.now();
      }
    },
  },
  {
    name: 'reading a customer does not change updated_at',
    ids: ['CUS-TS-READ'],
    feature: 'Timestamps',
    tags: ['timestamps'],
    async run(t) {
      const c = await t.createCustomer();
      const first = await read(t, c.id, 'first get');
      let seen = performance.now();
      for (const n of [2, 3]) {
        // a get that wrongly stamps updated_at must be able to show a different value
        await letClockTick(first.body, seen);
        const next = await read(t, c.id, `get ${n}`);
        seen = performance.now();
        if (
          next.body.updated_at !== first.body.updated_at &&
          parseInstant(next.body.updated_at)?.ns !== parseInstant(first.body.updated_at)?.ns
        )
          t.fail(
            'CUS-TS-READ',
            `updated_at unchanged by a get (${String(first.body.updated_at)})`,
            `updated_at ${String(next.body.updated_at)}`,
            next.res,
          );
      }
      t.pass('CUS-TS-READ');
    },
  },
];
