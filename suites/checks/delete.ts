// Delete: 204 with no body, and the customer is gone for every operation afterwards.
import { expectStatus } from '../model/assert.ts';
import { describeResponse } from '../../helpers/client/api-response.ts';
import type { Check } from '../model/check.ts';

type After = 'get' | 'update' | 'delete';

const AFTER: After[] = ['get', 'update', 'delete'];

export const deleteChecks: Check[] = [
  {
    name: 'DELETE of an existing customer answers 204 with an empty body',
    ids: ['CUS-DEL-204'],
    feature: 'Delete',
    tags: ['destructive'],
    async run(t) {
      const c = await t.createCustomer();
      const res = await t.step('delete the customer', () => t.api.delete(c.id));
      expectStatus(t, res, 'CUS-DEL-204', 204, 'DELETE of an existing customer');
      if (res.text.length > 0) t.fail('CUS-DEL-204', 'no content with 204', describeResponse(res), res);
      t.released(c.id);
    },
  },
  ...AFTER.map((op): Check => ({
    name: `after a delete, ${op} of that id gets 404${op === 'update' ? ' and does not bring it back' : ''}`,
    ids: ['CUS-DEL-GONE'],
    feature: 'Delete',
    tags: ['destructive'],
    params: { operation: op },
    async run(t) {
      const c = await t.createCustomer();
      const del = await t.step('delete the customer', () => t.api.delete(c.id));
      if (del.status < 200 || del.status >= 300)
        t.fail('CUS-DEL-GONE', 'a successful delete to start from', describeResponse(del), del);
      const res = await t.step(`${op} the deleted customer`, () =>
        op === 'get' ? t.api.get(c.id) : op === 'update' ? t.api.update(c.id, t.data.valid()) : t.api.delete(c.id),
      );
      expectStatus(t, res, 'CUS-DEL-GONE', 404, `${op} of a deleted customer`);
      const check = await t.step('get the deleted customer', () => t.api.get(c.id));
      expectStatus(t, check, 'CUS-DEL-GONE', 404, `GET of a deleted customer after ${op}`);
      t.released(c.id);
    },
  })),
];
