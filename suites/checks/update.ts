// Update semantics beyond field validation: replace vs merge, read-only fields, the entity rule.
import { randomUUID } from 'node:crypto';
import { OPTIONAL_FIELDS, READ_ONLY_FIELDS } from '../../fixtures/contract/fields.ts';
import { settingShown } from '../../fixtures/contract/readings.ts';
import { at, expectCustomer, expectFields, expectStatus, expectUnchanged, type Json } from '../model/assert.ts';
import { describeResponse } from '../../helpers/client/api-response.ts';
import type { Check } from '../model/check.ts';
import { parseInstant } from '../../helpers/client/time.ts';
import { isUuid } from '../../helpers/client/schema.ts';
import { read, needsOtherEntity } from './steps.ts';

const READ_ONLY_VALUES: Record<string, () => string> = {
  id: () => randomUUID(),
  created_at: () => '2001-01-01T00:00:00Z',
  updated_at: () => '2099-12-31T23:59:59Z',
};

const readOnlyChecks: Check[] = READ_ONLY_FIELDS.map((f): Check => ({
  name: `${f.path} in an update body does not change the stored ${f.path}`,
  ids: ['CUS-UPD-READONLY'],
  feature: 'Update',
  tags: ['validation', 'destructive'],
  params: { field: f.path },
  async run(t) {
    const c = await t.createCustomer();
    const before = await read(t, c.id, 'get the customer before');
    const forged = READ_ONLY_VALUES[f.path]?.() ?? 'forged';
    const body = { ...t.data.valid(), [f.path]: forged };
    const res = await t.step(`update with ${f.path} = ${forged}`, () => t.api.update(c.id, body));
    const allowed = t.cfg.readings['read-only-fields'].map((r) => (r === 'reject' ? 400 : 200));
    expectStatus(
      t,
      res,
      'CUS-UPD-READONLY',
      allowed,
      `an update carrying ${f.path} (${settingShown(t.cfg.readings, 'read-only-fields')})`,
    );
    if (f.path === 'id') {
      // a target that moved the customer to the forged id has made one more customer to clean up
      const forgedGet = await t.step('get the forged id', () => t.api.get(forged));
      if (forgedGet.status === 200) t.adopt(forged);
      expectStatus(
        t,
        forgedGet,
        'CUS-UPD-READONLY',
        404,
        'GET of the id sent in an update body (it must name no customer)',
      );
    }
    const moved = await t.step('get the customer at its own id', () => t.api.get(c.id));
    expectStatus(
      t,
      moved,
      'CUS-UPD-READONLY',
      200,
      `GET of the customer at its own id after an update carrying ${f.path}`,
    );
    const after = await read(t, c.id, 'get the customer after');
    if (res.status === 400)
      return expectUnchanged(t, before.body, after.res, 'CUS-UPD-READONLY', `an update refused for carrying ${f.path}`);
    const stored = after.body[f.path];
    const ns = (v: unknown) => parseInstant(v)?.ns;
    // the target kept its own value: updated_at is not the forged instant (it moves on with the update),
    // created_at is the same instant as before, anything else the same value
    const keptOwn =
      f.path === 'updated_at'
        ? ns(stored) !== ns(forged)
        : f.path === 'created_at'
          ? ns(stored) === ns(before.body[f.path])
          : stored === before.body[f.path];
    if (!keptOwn || (f.path === 'id' && stored !== c.id)) {
      const own = JSON.stringify(before.body[f.path]);
      const expected = `${f.path} kept by the target (${own}), not taken from the request`;
      const actual = `${f.path} = ${JSON.stringify(stored)} after sending ${JSON.stringify(forged)}`;
      t.fail('CUS-UPD-READONLY', expected, actual, after.res);
    }
    t.pass('CUS-UPD-READONLY');
  },
}));

const semanticsChecks: Check[] = [
  {
    name: 'a valid update answers 200 with the updated customer',
    ids: ['CUS-UPD-200'],
    feature: 'Update',
    tags: ['destructive'],
    async run(t) {
      const c = await t.createCustomer();
      const change = t.data.valid();
      const res = await t.step('update with new values', () => t.api.update(c.id, change));
      expectStatus(t, res, 'CUS-UPD-200', 200, 'a valid update');
      const body = expectCustomer(t, res, 'CUS-UPD-200', 'the update response');
      if (body.id !== c.id)
        t.fail('CUS-UPD-200', `the update response for customer ${c.id}`, `id ${JSON.stringify(body.id)}`, res);
      expectFields(t, res, body, change, 'CUS-UPD-200', 'the update response');
    },
  },
  {
    name: 'an update that leaves out the optional fields: replace drops them, merge keeps them',
    ids: ['CUS-UPD-PERSIST'],
    feature: 'Update',
    tags: ['destructive'],
    params: { fields: OPTIONAL_FIELDS.filter((f) => f.path !== 'company_name').length + ' optional fields left out' },
    async run(t) {
      const c = await t.createCustomer();
      const before = await read(t, c.id, 'get the full customer');
      const minimal = t.data.minimal();
      const res = await t.step(
        `update with only ${Object.keys(minimal).join(' and ')} ` +
          `(CUSTOMER_API_UPDATE_SEMANTICS=${t.cfg.updateSemantics})`,
        () => t.api.update(c.id, minimal),
      );
      expectStatus(t, res, 'CUS-UPD-PERSIST', 200, 'an update with only the required fields');
      const after = await read(t, c.id, 'get the customer after');
      expectFields(
        t,
        after.res,
        after.body,
        minimal as Json,
        'CUS-UPD-PERSIST',
        `the stored customer (${t.cfg.updateSemantics} semantics)`,
        before.body,
      );
    },
  },
  {
    name: 'an update changing one nested field keeps every value sent',
    ids: ['CUS-UPD-PERSIST'],
    feature: 'Update',
    tags: ['destructive'],
    async run(t) {
      const c = await t.createCustomer();
      const before = await read(t, c.id, 'get the customer');
      const body = { ...c.body, shipping: { ...(c.body.shipping as Json), city: 'Persistville' } };
      const res = await t.step('update shipping.city only, resending the rest', () => t.api.update(c.id, body));
      expectStatus(t, res, 'CUS-UPD-PERSIST', 200, 'a valid update');
      const after = await read(t, c.id, 'get the customer after');
      if (at(after.body, 'shipping.city') !== 'Persistville')
        t.fail(
          'CUS-UPD-PERSIST',
          'shipping.city = "Persistville" stored',
          `shipping.city = ${JSON.stringify(at(after.body, 'shipping.city'))}; ${describeResponse(after.res)}`,
          after.res,
        );
      expectFields(t, after.res, after.body, body, 'CUS-UPD-PERSIST', 'the stored customer', before.body);
    },
  },
];

const ENTITY_TARGETS: { label: string; entity: (t: Parameters<Check['run']>[0]) => string; needsOther: boolean }[] = [
  { label: "the other configured entity's id", entity: (t) => t.cfg.other!.entityId, needsOther: true },
  // shaped like the configured entity ids (UUIDs where they are UUIDs), so only the entity is wrong, not its form
  {
    label: 'an entity id the credentials do not act for',
    entity: (t) => (isUuid(t.cfg.main.entityId) ? randomUUID() : `conformance-foreign-${randomUUID()}`),
    needsOther: false,
  },
];

const entityChecks: Check[] = ENTITY_TARGETS.map((e): Check => ({
  name: `an update naming ${e.label} gets 403 and changes nothing`,
  ids: ['CUS-UPD-ENTITY', 'CUS-UPD-ATOMIC'],
  feature: 'Update',
  tags: ['auth', 'destructive'],
  params: { entity: e.label },
  needs: (cfg) => (e.needsOther ? needsOtherEntity(cfg) : undefined),
  async run(t) {
    const c = await t.createCustomer();
    const before = await read(t, c.id, 'get the customer before');
    const body = { ...t.data.valid(), entity_id: e.entity(t) };
    const res = await t.step(`update with entity_id = ${e.label}`, () => t.api.update(c.id, body));
    expectStatus(t, res, 'CUS-UPD-ENTITY', 403, `an update naming ${e.label}`);
    const after = await t.step('get the customer after', () => t.api.get(c.id));
    await expectUnchanged(t, before.body, after, 'CUS-UPD-ENTITY', 'an update refused for its entity');
    t.pass('CUS-UPD-ATOMIC');
  },
}));

export const updateChecks: Check[] = [...semanticsChecks, ...readOnlyChecks, ...entityChecks];
