// Building blocks the checks compose: the accepted and rejected update, and reading a customer back.
import type { ContractId } from '../../fixtures/statements.ts';
import type { ApiResponse } from '../../helpers/api.ts';
import { expectCustomer, expectFields, expectStatus, expectUnchanged, type Json } from '../../helpers/assert.ts';
import type { CheckContext } from '../../helpers/check.ts';
import type { Config } from '../../helpers/config.ts';

export type Mutation = (body: Json) => unknown;

/** For `Check.needs`: the checks that act as another entity are not verified without its credentials. */
export const needsOtherEntity = (cfg: Config): string | undefined =>
  cfg.other ? undefined : 'CUSTOMER_API_OTHER_USER_ID / CUSTOMER_API_OTHER_KEY / CUSTOMER_API_OTHER_ENTITY_ID not set';

/** Reads a customer and requires it to be a valid customer object (CUS-GET-200). */
export async function read(t: CheckContext, id: string, label = 'get the customer'): Promise<{ res: ApiResponse; body: Json }> {
  const res = await t.step(label, () => t.api.get(id));
  expectStatus(t, res, 'CUS-GET-200', 200, 'GET of an existing customer');
  return { res, body: expectCustomer(t, res, 'CUS-GET-200', 'GET of an existing customer') };
}

/**
 * An update that must be refused with `status`: a new, otherwise valid customer with one fault, so a
 * server that applies the valid part of a refused update (not atomic) is caught too.
 */
export async function rejectedUpdate(t: CheckContext, id: ContractId, what: string, mutate: Mutation, status: number | readonly number[] = 400): Promise<void> {
  const { id: cid } = await t.createCustomer();
  const before = await read(t, cid, 'get the customer before the update');
  const body = mutate(t.data.valid() as Json);
  const res = await t.step(`update with ${what}`, () => t.api.update(cid, body));
  expectStatus(t, res, id, status, `an update with ${what}`);
  const after = await t.step('get the customer after the refused update', () => t.api.get(cid));
  expectUnchanged(t, before.body, after, 'CUS-UPD-ATOMIC', `a refused update (${what})`);
}

/** An update that must be accepted, and then read back with exactly the sent values. */
export async function acceptedUpdate(t: CheckContext, id: ContractId, what: string, mutate: Mutation): Promise<void> {
  const { id: cid } = await t.createCustomer();
  const body = mutate(t.data.valid() as Json) as Json;
  const res = await t.step(`update with ${what}`, () => t.api.update(cid, body));
  expectStatus(t, res, id, 200, `an update with ${what}`);
  const after = await read(t, cid, 'get the updated customer');
  expectFields(t, after.res, after.body, body, id, `the customer after an update with ${what}`);
}
