// Building blocks the checks compose: an update judged against a row's outcomes, and reading a customer back.
import type { ContractId } from '../../fixtures/contract/statements.ts';
import { type ApiResponse, describeResponse } from '../../helpers/client/api-response.ts';
import { isRefusal, REFUSALS, type Outcome } from '../../fixtures/contract/readings.ts';
import {
  clone,
  deleteAt,
  expectCustomer,
  expectStatus,
  expectUnchanged,
  fieldDiffs,
  setAt,
  showDiffs,
  type Json,
} from '../model/assert.ts';
import type { CheckContext } from '../model/check.ts';
import type { Config } from '../../helpers/config/config.ts';

export type Mutation = (body: Json) => unknown;

/** For `Check.needs`: the checks that act as another entity are not verified without its credentials. */
export const needsOtherEntity = (cfg: Config): string | undefined =>
  cfg.other ? undefined : 'CUSTOMER_API_OTHER_USER_ID / CUSTOMER_API_OTHER_KEY / CUSTOMER_API_OTHER_ENTITY_ID not set';

/** Reads a customer and requires it to be a valid customer object (CUS-GET-200). */
export async function read(
  t: CheckContext,
  id: string,
  label = 'get the customer',
): Promise<{ res: ApiResponse; body: Json }> {
  const res = await t.step(label, () => t.api.get(id));
  expectStatus(t, res, 'CUS-GET-200', 200, 'GET of an existing customer');
  return { res, body: expectCustomer(t, res, 'CUS-GET-200', 'GET of an existing customer') };
}

/** How an outcome reads in a check's name and in a failure's "expected". */
export function outcomeText(o: Outcome, rejectStatus = 'gets 400'): string {
  if (o === 'reject') return rejectStatus;
  if (o === 'forbid') return 'gets 403';
  if (o === 'store') return 'is accepted as sent';
  if (o === 'no-value') return 'is taken as no value';
  return `is stored as ${o.as}`;
}

export const outcomesText = (os: readonly Outcome[], rejectStatus?: string) =>
  os.map((o) => outcomeText(o, rejectStatus)).join(', or ');

/** What an accepting outcome stores: the request as sent, without the row's field, or with its value replaced. */
function storedBy(o: Outcome, sent: Json, field: string | undefined): Json {
  if (!field || typeof o === 'string') return field && o === 'no-value' ? deleteAt(clone(sent), field) : sent;
  return setAt(clone(sent), field, clone(o.storeAs));
}

/**
 * How the customer read back differs from what an accepting outcome stores; empty when one of them
 * matches. `before` is the customer as it was (for merge semantics, and for "no value" under merge,
 * which may also mean "left as it was").
 */
export function storedDiffs(
  t: CheckContext,
  got: Json,
  sent: Json,
  accepts: readonly Outcome[],
  field: string | undefined,
  before: Json | undefined,
): string[] {
  let first: string[] | undefined;
  for (const o of accepts) {
    const expected = storedBy(o, sent, field);
    const modes: ('replace' | 'merge')[] =
      o === 'no-value' && t.cfg.updateSemantics === 'merge' ? ['merge', 'replace'] : [t.cfg.updateSemantics];
    for (const m of modes) {
      const d = fieldDiffs(got, expected, m, before);
      if (d.length === 0) return [];
      first ??= d;
    }
  }
  return first ?? [];
}

export interface Expected {
  /** what a correct deployment may do with the request, under the readings in force */
  outcomes: readonly Outcome[];
  /** the field the row is about: the one "no value" and "stored as" speak of */
  field?: string;
  /** the setting that narrows the row, shown in a failure */
  setting?: string;
}

/**
 * An update with one row's value: a new, otherwise valid customer with one change, judged against the
 * row's outcomes. A refusal must change nothing (CUS-UPD-ATOMIC), so a server that applies the valid part
 * of a refused update is caught too; an acceptance must read back as the outcome says.
 */
export async function judgedUpdate(
  t: CheckContext,
  id: ContractId,
  what: string,
  mutate: Mutation,
  ex: Expected,
): Promise<void> {
  const refusals = ex.outcomes.filter(isRefusal).map((o) => REFUSALS[o]);
  // a row a conforming target may refuse: a spare customer, handed on if the refusal changed nothing
  const { id: cid, body: created } = refusals.length ? await t.customerToRefuse() : await t.createCustomer();
  const before = refusals.length ? (await read(t, cid, 'get the customer before the update')).body : undefined;
  const body = mutate(t.data.valid() as Json) as Json;
  const res = await t.step(`update with ${what}`, () => t.api.update(cid, body));
  const accepts = ex.outcomes.filter((o) => !isRefusal(o));
  const expected = `an update with ${what} ${outcomesText(ex.outcomes)}${ex.setting ? ` (${ex.setting})` : ''}`;
  if (refusals.includes(res.status)) {
    t.pass(id);
    const after = await t.step('get the customer after the refused update', () => t.api.get(cid));
    await expectUnchanged(t, before!, after, 'CUS-UPD-ATOMIC', `a refused update (${what})`);
    return t.giveBackSpare();
  }
  if (res.status !== 200 || accepts.length === 0) t.fail(id, expected, describeResponse(res), res);
  const after = await read(t, cid, 'get the updated customer');
  const diffs = storedDiffs(t, after.body, body, accepts, ex.field, before ?? created);
  if (diffs.length)
    t.fail(id, expected, `status 200, then the customer reads back with ${showDiffs(diffs)}`, after.res);
  t.pass(id);
}
