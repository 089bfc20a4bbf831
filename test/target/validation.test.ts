// The reference target's request validation: its field table against the OpenAPI document, lengths,
// patterns, formats, JSON types, the required fields, and what it ignores.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import openapi from '../../fixtures/customer-api.openapi.json' with { type: 'json' };
import {
  A,
  address,
  fieldSpecs,
  full,
  PATTERN_FIELDS,
  PATTERN_VALUES,
  valueOfLength,
  withPath,
  withTarget,
} from '../support/target-kit.ts';

type Schemas = Record<string, { properties: Record<string, { maxLength?: number; pattern?: string; $ref?: string }> }>;

/** Values the target must accept (200) or refuse (400) on create, per field. */
const FORMATS: [string, string[], number][] = [
  ['email_address', ['first.last+tag@example.com', 'a@example.org', 'o_brien-x@sub.example.co.uk'], 200],
  [
    'email_address',
    ['not-an-email', 'a@', '@example.com', 'a b@example.com', 'a@b@example.com', 'a@example..com', 'a@.example.com'],
    400,
  ],
  ['email_address', ['a@example', ''], 400],
  ['billing.country_code', ['NL', 'US', 'GB', 'DE', 'NZ', 'AX', 'SS'], 200],
  ['shipping.country_code', ['NLD', 'N1', '12', '', 'Netherlands', 'N', 'nl', 'XX', 'UK', 'ZZ'], 400],
  ['language', ['en', 'nl', 'de', 'fr', 'zu'], 200],
  ['language', ['english', 'e', '12', 'e1', 'xx-yy-zz', 'EN', 'en-GB', 'xx', ''], 400],
];

describe('reference target: validation', () => {
  it('its field table matches the OpenAPI document', () => {
    const schemas = openapi.components.schemas as unknown as Schemas;
    const PATTERNS = { phone: '^[0-9\\s\\-+().-]+$', title: '^[a-zA-Z\\-\\s.]+$', digits: '^[0-9]+$' };
    const req = schemas.CustomerRequest!.properties;
    for (const { path, spec } of fieldSpecs()) {
      const [head, tail] = path.split('.') as [string, string | undefined];
      const prop = tail === undefined ? req[head] : schemas[req[head]!.$ref!.split('/').pop()!]!.properties[tail];
      expect(prop, path).toBeDefined();
      expect(spec.max, path).toBe(prop!.maxLength);
      expect(spec.pattern ? PATTERNS[spec.pattern] : undefined, path).toBe(prop!.pattern);
    }
  });

  it.each(fieldSpecs().filter((f) => f.spec.max !== undefined))(
    '$path: at the maximum accepted, one over rejected (create and update)',
    async ({ path, spec }) => {
      await withTarget({}, async (api) => {
        const c = await api.make();
        const at = valueOfLength(spec, spec.max!);
        expect([...at]).toHaveLength(spec.max!);
        expect((await api.create(withPath(full(), path, at))).status).toBe(200);
        expect((await api.update(c.id, withPath(full(), path, at))).status).toBe(200);
        const over = await api.update(c.id, withPath(full(), path, valueOfLength(spec, spec.max! + 1)));
        expect(over.status).toBe(400);
        expect(over.json.details.field).toBe(path);
        expect((await api.create(withPath(full(), path, valueOfLength(spec, spec.max! + 1)))).status).toBe(400);
      });
    },
  );

  it('counts characters, not bytes or UTF-16 units', async () => {
    await withTarget({}, async (api) => {
      expect((await api.create({ ...full(), company_name: '😀'.repeat(100) })).status).toBe(200);
      expect((await api.create({ ...full(), company_name: '😀'.repeat(101) })).status).toBe(400);
    });
  });

  it.each(Object.entries(PATTERN_FIELDS))(
    '%s: values inside the pattern accepted, outside rejected',
    async (path, p) => {
      await withTarget({}, async (api) => {
        for (const v of PATTERN_VALUES[p].ok) {
          expect((await api.create(withPath(full(), path, v))).status, JSON.stringify(v)).toBe(200);
        }
        for (const v of PATTERN_VALUES[p].bad) {
          const r = await api.create(withPath(full(), path, v));
          expect(r.status, JSON.stringify(v)).toBe(400);
          expect(r.json.details.field).toBe(path);
        }
      });
    },
  );

  it('checks e-mail, country and language formats', async () => {
    await withTarget({}, async (api) => {
      const ok = (path: string, v: string) => api.create(withPath(full(), path, v)).then((r) => r.status);
      for (const [path, values, status] of FORMATS) for (const v of values) expect(await ok(path, v), v).toBe(status);
    });
  });

  it('rejects malformed JSON, non-object bodies and wrong JSON types with 400', async () => {
    await withTarget({}, async (api) => {
      const c = await api.make();
      const raws = ['{"entity_id":', '', 'null', '[]', '[{}]', '"x"', '42', 'true'];
      for (const raw of raws) {
        expect((await api.req('POST', '', { raw })).status, raw).toBe(400);
        expect((await api.req('POST', `/${c.id}`, { raw })).status, raw).toBe(400);
      }
      const paths = ['company_name', 'email_address', 'billing.city', 'tax.identifier', 'shipping.country_code'];
      for (const v of [12345, true, ['x'], { value: 'x' }, null]) {
        for (const path of paths) {
          const r = await api.update(c.id, withPath(full(), path, v));
          expect(r.status, `${path}=${JSON.stringify(v)}`).toBe(400);
          expect(r.json.details.field).toBe(path);
        }
      }
      for (const v of ['x', 1, [], false, null]) {
        expect((await api.update(c.id, withPath(full(), 'billing', v))).status, JSON.stringify(v)).toBe(400);
      }
      expect((await api.update(c.id, { ...full(), entity_id: 42 })).status).toBe(400);
      expect((await api.get(c.id)).json).toEqual(c);
    });
  });

  it('requires entity_id, and company_name unless billing first and last name are both given', async () => {
    await withTarget({}, async (api) => {
      const noEntity = full();
      delete noEntity.entity_id;
      const entity = { entity_id: A.entityId };
      expect((await api.create(noEntity)).status).toBe(400);
      expect((await api.create(entity)).status).toBe(400);
      expect((await api.create({ ...entity, company_name: '' })).status).toBe(400);
      expect((await api.create({ ...entity, billing: { first_name: 'Ann' } })).status).toBe(400);
      expect((await api.create({ ...entity, billing: { last_name: 'Lee' } })).status).toBe(400);
      expect((await api.create({ ...entity, shipping: { first_name: 'Ann', last_name: 'Lee' } })).status).toBe(400);
      expect((await api.create({ ...entity, billing: { first_name: 'Ann', last_name: 'Lee' } })).status).toBe(200);
      expect((await api.create({ ...entity, company_name: 'X' })).status).toBe(200);
    });
  });

  it('ignores unknown fields and read-only fields', async () => {
    await withTarget({}, async (api) => {
      const extras = { id: randomUUID(), created_at: '2001-01-01T00:00:00Z', surprise: 1 };
      const r = await api.create({ ...full(), ...extras, billing: { ...address(), extra: 'x' } });
      expect(r.status).toBe(200);
      expect(r.json.surprise).toBeUndefined();
      expect(r.json.billing.extra).toBeUndefined();
      expect(r.json.created_at.startsWith('2001')).toBe(false);
    });
  });
});
