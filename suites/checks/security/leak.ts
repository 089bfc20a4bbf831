// CUS-SEC-LEAK: the list endpoint shows another entity's credentials and bad credentials none of this run's
// customers, and error responses carry no customer fields.
import { randomUUID } from 'node:crypto';
import { type ApiResponse, describeResponse } from '../../../helpers/client/api-response.ts';
import { basicHeader, type Caller } from '../../../helpers/client/caller.ts';
import { expectNoCustomerData, type Json } from '../../model/assert.ts';
import type { Check, CheckContext } from '../../model/check.ts';
import { read, needsOtherEntity } from '../steps.ts';

/** A listing leaks when it carries the customer's id or any of its values. */
function expectNoListedCustomer(t: CheckContext, res: ApiResponse, customer: Json, what: string): void {
  if (typeof customer.id === 'string' && res.text.includes(customer.id))
    t.fail(
      'CUS-SEC-LEAK',
      `none of this entity's customers in ${what}`,
      `it lists customer ${customer.id}; ${describeResponse(res)}`,
      res,
    );
  expectNoCustomerData(t, res, customer, 'CUS-SEC-LEAK');
}

const LIST_AS: { label: string; as: (t: CheckContext) => Caller; needsOther?: boolean }[] = [
  { label: "another entity's valid credentials", as: () => 'other', needsOther: true },
  { label: 'no credentials', as: () => ({ authorization: undefined }) },
  {
    label: 'an unknown API key',
    as: (t) => ({ authorization: basicHeader(t.cfg.main.userId || 'conformance-user', `wrong-${randomUUID()}`) }),
  },
  { label: 'a bearer token that is not issued', as: () => ({ authorization: 'Bearer not.a.valid-token' }) },
];

export const leakChecks: Check[] = [
  ...LIST_AS.map((l): Check => ({
    name: `a list search for this run's customers with ${l.label} shows none of them`,
    ids: ['CUS-SEC-LEAK'],
    feature: 'Security',
    tags: ['security', 'auth'],
    params: { credentials: l.label },
    needs: (cfg) => (l.needsOther ? needsOtherEntity(cfg) : undefined),
    async run(t) {
      const c = await t.createCustomer();
      const customer = (await read(t, c.id, 'get the customer')).body;
      // the search names only this run's marker: whatever a correct target answers, it is nobody else's data
      const res = await t.step(`list ${t.api.markerSearch(t.env.marker)} with ${l.label}`, () =>
        t.api.list(t.api.markerSearch(t.env.marker), l.as(t)),
      );
      expectNoListedCustomer(t, res, customer, `a list answered to ${l.label}`);
    },
  })),
  {
    name: 'error responses to unknown and malformed ids carry no customer fields',
    ids: ['CUS-SEC-LEAK'],
    feature: 'Security',
    tags: ['security'],
    async run(t) {
      const c = await t.createCustomer();
      const customer = (await read(t, c.id, 'get the customer')).body;
      // requests that carry no customer data: whatever comes back must not either
      const responses = [
        await t.step('GET an unknown id', () => t.api.get(randomUUID())),
        await t.step('GET a malformed id', () => t.api.get(`${c.id}x`)),
        await t.step('GET the id in upper case with a suffix', () => t.api.get(`${c.id.toUpperCase()}%00`)),
        await t.step('DELETE a malformed id', () => t.api.delete(`${c.id}x`)),
      ];
      for (const res of responses) if (res.status >= 400) expectNoCustomerData(t, res, customer, 'CUS-SEC-LEAK');
      t.pass('CUS-SEC-LEAK');
    },
  },
];
