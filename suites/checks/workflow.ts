// The heart of the contract: create → get → update → get → delete → get-404.
import { expectCustomer, expectFields, expectStatus } from '../model/assert.ts';
import { describeResponse } from '../../helpers/client/api-response.ts';
import type { Check } from '../model/check.ts';
import { expectTimestampFormat, expectUpdatedMoved, expectSameInstant, letClockTick } from './timestamps.ts';
import { read } from './steps.ts';

export const workflowChecks: Check[] = [
  {
    name: 'create → get → update → get → delete → get gives 404',
    ids: [
      'CUS-GET-200',
      'CUS-UPD-200',
      'CUS-UPD-PERSIST',
      'CUS-TS-FORMAT',
      'CUS-TS-CREATED',
      'CUS-TS-UPDATED',
      'CUS-DEL-204',
      'CUS-DEL-GONE',
    ],
    feature: 'Workflow',
    tags: ['smoke', 'workflow', 'destructive'],
    async run(t) {
      const sent = t.data.valid();
      const created = await t.createCustomer(sent);
      const id = created.id;

      const got = await read(t, id, 'get the new customer');
      const seen = performance.now();
      expectFields(t, got.res, got.body, sent, 'CUS-GET-200', 'the new customer');
      expectTimestampFormat(t, got.res, got.body);

      const change = t.data.valid();
      await letClockTick(got.body, seen);
      const upd = await t.step('update the customer with new values', () => t.api.update(id, change));
      expectStatus(t, upd, 'CUS-UPD-200', 200, 'a valid update');
      const updBody = expectCustomer(t, upd, 'CUS-UPD-200', 'the update response');
      expectFields(t, upd, updBody, change, 'CUS-UPD-200', 'the update response');
      expectTimestampFormat(t, upd, updBody);

      const again = await read(t, id, 'get the updated customer');
      expectFields(
        t,
        again.res,
        again.body,
        change,
        'CUS-UPD-PERSIST',
        'the stored customer after the update',
        got.body,
      );
      expectSameInstant(
        t,
        again.res,
        got.body.created_at,
        again.body.created_at,
        'CUS-TS-CREATED',
        'created_at after an update',
      );
      expectUpdatedMoved(t, upd, got.body, again.body);

      const del = await t.step('delete the customer', () => t.api.delete(id));
      expectStatus(t, del, 'CUS-DEL-204', 204, 'DELETE of an existing customer');
      if (del.text.length > 0) t.fail('CUS-DEL-204', 'an empty body with 204', describeResponse(del), del);
      t.released(id);

      const gone = await t.step('get the deleted customer', () => t.api.get(id));
      expectStatus(t, gone, 'CUS-DEL-GONE', 404, 'GET of a deleted customer');
    },
  },
];
