// Checks for production smoke runs (--read-only with CUSTOMER_API_READONLY_CUSTOMER_ID): they read a
// pre-existing customer and never change it; only GET is sent to it.
import { expectCustomer, expectNoCustomerData, expectStatus, type Json } from '../model/assert.ts';
import type { Check, CheckContext } from '../model/check.ts';
import { AUTH_VARIANTS } from './access.ts';
import { read, needsOtherEntity } from './steps.ts';
import { expectTimestampFormat } from './timestamps.ts';

const existing = (t: CheckContext) => t.cfg.readOnlyCustomerId!;

export const readOnlyCustomerChecks: Check[] = [
  {
    name: 'GET of the pre-existing customer answers 200 with a customer object; reads leave updated_at alone',
    ids: ['CUS-GET-200', 'CUS-TS-FORMAT', 'CUS-TS-READ'],
    feature: 'Get',
    tags: ['read-only', 'smoke'],
    params: { customer: 'CUSTOMER_API_READONLY_CUSTOMER_ID' },
    async run(t) {
      const res = await t.step('get the pre-existing customer', () => t.api.get(existing(t)));
      expectStatus(t, res, 'CUS-GET-200', 200, 'GET of an existing customer');
      // timestamps first: a zone-less timestamp is a CUS-TS-FORMAT finding before it is a schema one
      if (res.json && typeof res.json === 'object') expectTimestampFormat(t, res, res.json as Json);
      const first = { res, body: expectCustomer(t, res, 'CUS-GET-200', 'GET of an existing customer') };
      if (first.body.id !== existing(t))
        t.fail('CUS-GET-200', `the customer ${existing(t)}`, `id ${JSON.stringify(first.body.id)}`, first.res);
      const second = await read(t, existing(t), 'get it again');
      if (second.body.updated_at !== first.body.updated_at)
        t.fail(
          'CUS-TS-READ',
          `updated_at unchanged by a get (${String(first.body.updated_at)})`,
          `updated_at ${String(second.body.updated_at)}`,
          second.res,
        );
      t.pass('CUS-TS-READ');
    },
  },
  ...AUTH_VARIANTS.map((v): Check => ({
    name: `GET of the pre-existing customer with ${v.label} gets 401`,
    ids: ['CUS-GET-401'],
    feature: 'Get',
    tags: ['read-only', 'auth'],
    params: { customer: 'CUSTOMER_API_READONLY_CUSTOMER_ID', credentials: v.label },
    async run(t) {
      const before = await read(t, existing(t), 'get the pre-existing customer');
      const res = await t.step(`GET with ${v.label}`, () => t.api.get(existing(t), { authorization: v.header(t.cfg) }));
      expectStatus(t, res, 'CUS-GET-401', 401, `GET with ${v.label}`);
      expectNoCustomerData(t, res, before.body, 'CUS-GET-401');
    },
  })),
  {
    name: "GET of the pre-existing customer with another entity's credentials is refused",
    ids: ['CUS-GET-403'],
    feature: 'Get',
    tags: ['read-only', 'auth'],
    params: { customer: 'CUSTOMER_API_READONLY_CUSTOMER_ID' },
    needs: needsOtherEntity,
    async run(t) {
      const before = await read(t, existing(t), 'get the pre-existing customer');
      const res = await t.step("GET with the other entity's credentials", () => t.api.get(existing(t), 'other'));
      expectStatus(
        t,
        res,
        'CUS-GET-403',
        t.cfg.otherEntityStatus,
        `GET of a customer of another entity (CUSTOMER_API_OTHER_ENTITY_STATUS=${t.cfg.otherEntityStatus})`,
      );
      expectNoCustomerData(t, res, before.body, 'CUS-GET-403');
    },
  },
];
