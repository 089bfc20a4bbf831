// Get of an existing customer: status, JSON content type, the customer object with the stored values.
import { expectFields } from '../model/assert.ts';
import type { Check } from '../model/check.ts';
import { read } from './steps.ts';

export const getChecks: Check[] = [
  {
    name: 'GET of an existing customer answers 200 with the customer as created',
    ids: ['CUS-GET-200'],
    feature: 'Get',
    tags: ['smoke'],
    async run(t) {
      const c = await t.createCustomer();
      const got = await read(t, c.id);
      if (got.body.id !== c.id)
        t.fail('CUS-GET-200', `the customer ${c.id}`, `id ${JSON.stringify(got.body.id)}`, got.res);
      if (got.body.entity_id !== t.cfg.main.entityId)
        t.fail(
          'CUS-GET-200',
          `entity_id ${JSON.stringify(t.cfg.main.entityId)}`,
          `entity_id ${JSON.stringify(got.body.entity_id)}`,
          got.res,
        );
      expectFields(t, got.res, got.body, c.body, 'CUS-GET-200', 'the customer as created');
    },
  },
  {
    name: 'GET of a customer created with only the required fields answers 200 with a customer object',
    ids: ['CUS-GET-200'],
    feature: 'Get',
    tags: [],
    async run(t) {
      const c = await t.createCustomer(t.data.minimal());
      const got = await read(t, c.id);
      expectFields(t, got.res, got.body, c.body, 'CUS-GET-200', 'the minimal customer');
    },
  },
];
