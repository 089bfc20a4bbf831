// Refused requests on every item operation: bad credentials (401), another entity's credentials (403),
// unknown ids (404) and malformed ids (400). A refusal leaks no customer data and changes nothing.
import { randomUUID } from 'node:crypto';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import type { ApiResponse } from '../../helpers/client/api-response.ts';
import { basicCredential, basicHeader, type Caller } from '../../helpers/client/caller.ts';
import { expectNoCustomerData, expectStatus, expectUnchanged, type Json } from '../model/assert.ts';
import type { Check, CheckContext } from '../model/check.ts';
import type { Config } from '../../helpers/config/config.ts';
import { read, needsOtherEntity } from './steps.ts';

type Op = 'get' | 'update' | 'delete';

interface OpIds {
  op: Op;
  label: string;
  feature: 'Get' | 'Update' | 'Delete';
  auth: ContractId;
  other: ContractId;
  unknown: ContractId;
  malformed: ContractId;
}

const OPS: OpIds[] = [
  {
    op: 'get',
    label: 'GET',
    feature: 'Get',
    auth: 'CUS-GET-401',
    other: 'CUS-GET-403',
    unknown: 'CUS-GET-404',
    malformed: 'CUS-GET-400',
  },
  {
    op: 'update',
    label: 'update',
    feature: 'Update',
    auth: 'CUS-UPD-401',
    other: 'CUS-UPD-403',
    unknown: 'CUS-UPD-404',
    malformed: 'CUS-UPD-400',
  },
  {
    op: 'delete',
    label: 'DELETE',
    feature: 'Delete',
    auth: 'CUS-DEL-401',
    other: 'CUS-DEL-403',
    unknown: 'CUS-DEL-404',
    malformed: 'CUS-DEL-400',
  },
];

function perform(t: CheckContext, op: Op, id: string, as: Caller, body?: Json): Promise<ApiResponse> {
  if (op === 'get') return t.api.get(id, as);
  if (op === 'update') return t.api.update(id, body ?? t.data.valid(), as);
  return t.api.delete(id, as);
}

/** Credentials that must be refused with 401, built from the configured ones where that makes the test sharper. */
export const AUTH_VARIANTS: { label: string; header: (cfg: Config) => string | undefined }[] = [
  { label: 'no Authorization header', header: () => undefined },
  { label: 'an empty Authorization header', header: () => '' },
  {
    label: 'an unknown scheme carrying the valid credential',
    header: (c) => `Token ${c.auth === 'bearer' ? c.main.key : basicCredential(c.main.userId, c.main.key)}`,
  },
  { label: 'Basic with a value that is not base64', header: () => 'Basic !!!not-base64!!!' },
  { label: 'Basic without a user:key pair', header: () => `Basic ${Buffer.from('no-colon-here').toString('base64')}` },
  {
    label: 'an unknown API key for the configured user',
    header: (c) => basicHeader(c.main.userId || 'conformance-user', `wrong-${randomUUID()}`),
  },
  { label: 'an unknown user', header: () => basicHeader(`nobody-${randomUUID()}`, `key-${randomUUID()}`) },
  { label: 'a bearer token that is not a valid JWT', header: () => 'Bearer not.a.valid-token' },
  { label: 'a well-formed bearer token that is not issued', header: () => `Bearer ${forgedJwt()}` },
];

function forgedJwt(): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return (
    `${b({ alg: 'HS256', typ: 'JWT' })}.${b({ sub: 'conformance-forged', exp: 4102444800 })}.` +
    `${Buffer.from(randomUUID()).toString('base64url')}`
  );
}

/** Ids that are not UUIDs, including encoded path tricks; sent as written. */
export const MALFORMED_IDS: { label: string; path: (uuid: string) => string }[] = [
  { label: 'not-a-uuid', path: () => 'not-a-uuid' },
  { label: 'digits only', path: () => '12345' },
  { label: 'a UUID with one character more', path: (u) => `${u}0` },
  { label: 'a UUID with one character less', path: (u) => u.slice(0, -1) },
  { label: 'a non-hex character', path: (u) => `g${u.slice(1)}` },
  { label: 'an over-long id (600 characters)', path: () => 'a'.repeat(600) },
  { label: 'encoded slashes and dots (%2F..%2F)', path: () => '%2F..%2F..%2Fetc%2Fpasswd' },
  { label: 'encoded dot segment (%2e%2e)', path: (u) => `%2e%2e%2F${u}` },
  { label: 'an encoded NUL byte', path: (u) => `${u}%00` },
  // never a tautology: these ids also go to update and DELETE, which on an injectable target must not
  // widen to other customers; an always-false condition and an unbalanced quote touch nothing
  { label: 'an SQL fragment', path: () => "1'%20AND%20'1'%3D'2" },
  { label: 'an unbalanced quote', path: (u) => `${u}'%22` },
];

async function unchangedOrGone(
  t: CheckContext,
  op: Op,
  id: ContractId,
  cid: string,
  before: Json,
  what: string,
): Promise<void> {
  if (op === 'get') return;
  const after = await t.step('get the customer with the valid credentials', () => t.api.get(cid));
  await expectUnchanged(t, before, after, id, what);
  t.giveBackSpare();
}

const authChecks: Check[] = OPS.flatMap((o) =>
  AUTH_VARIANTS.map((v): Check => ({
    name: `${o.label} with ${v.label} gets 401`,
    ids: [o.auth],
    feature: o.feature,
    tags: ['auth'],
    params: { operation: o.op, credentials: v.label },
    async run(t) {
      const c = await t.customerToRefuse();
      const before = await read(t, c.id, 'get the customer before');
      const res = await t.step(`${o.label} with ${v.label}`, () =>
        perform(t, o.op, c.id, { authorization: v.header(t.cfg) }),
      );
      expectStatus(t, res, o.auth, 401, `${o.label} with ${v.label}`);
      expectNoCustomerData(t, res, before.body, o.auth);
      await unchangedOrGone(t, o.op, o.auth, c.id, before.body, `a ${o.label} refused for bad credentials`);
    },
  })),
);

const otherEntityChecks: Check[] = OPS.map((o): Check => ({
  name: `${o.label} with another entity's valid credentials is refused`,
  ids: [o.other],
  feature: o.feature,
  tags: ['auth'],
  params: { operation: o.op },
  needs: needsOtherEntity,
  async run(t) {
    const c = await t.customerToRefuse();
    const before = await read(t, c.id, 'get the customer before');
    const body = { ...t.data.valid(), entity_id: t.cfg.other!.entityId };
    const res = await t.step(`${o.label} with the other entity's credentials`, () =>
      perform(t, o.op, c.id, 'other', body),
    );
    expectStatus(
      t,
      res,
      o.other,
      t.cfg.otherEntityStatus,
      `${o.label} of a customer of another entity (CUSTOMER_API_OTHER_ENTITY_STATUS=${t.cfg.otherEntityStatus})`,
    );
    expectNoCustomerData(t, res, before.body, o.other);
    await unchangedOrGone(t, o.op, o.other, c.id, before.body, `a ${o.label} refused for another entity`);
  },
}));

const unknownIdChecks: Check[] = OPS.map((o): Check => ({
  name: `${o.label} of a well-formed UUID that names no customer gets 404`,
  ids: [o.unknown],
  feature: o.feature,
  tags: ['read-only'],
  params: { operation: o.op },
  async run(t) {
    const uuid = randomUUID();
    const res = await t.step(`${o.label} ${uuid}`, () => perform(t, o.op, uuid, 'main'));
    expectStatus(t, res, o.unknown, 404, `${o.label} of an unknown UUID`);
    if (o.op !== 'get') {
      const after = await t.step('get the unknown UUID afterwards', () => t.api.get(uuid));
      if (after.status === 200) t.adopt(uuid);
      expectStatus(t, after, o.unknown, 404, `GET after a ${o.label} of an unknown UUID (it must create nothing)`);
    }
  },
}));

const malformedIdChecks: Check[] = OPS.flatMap((o) =>
  MALFORMED_IDS.map((m): Check => ({
    name: `${o.label} with a malformed id (${m.label}) is refused`,
    ids: [o.malformed],
    feature: o.feature,
    tags: ['validation', 'read-only'],
    params: { operation: o.op, id: m.label },
    async run(t) {
      const res = await t.step(`${o.label} /${m.label}`, () => perform(t, o.op, m.path(randomUUID()), 'main'));
      expectStatus(
        t,
        res,
        o.malformed,
        t.cfg.malformedIdStatus,
        `${o.label} with a malformed id (CUSTOMER_API_MALFORMED_ID_STATUS=${t.cfg.malformedIdStatus})`,
      );
    },
  })),
);

export const accessChecks: Check[] = [...authChecks, ...otherEntityChecks, ...unknownIdChecks, ...malformedIdChecks];
