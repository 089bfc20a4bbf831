import { describe, expect, test } from 'vitest';
import {
  EMAIL_VALUES,
  FIELDS,
  PATTERNS,
  PATTERN_VALUES,
  acceptedMax,
  valueOfLength,
} from '../../fixtures/contract/fields.ts';
import openapi from '../../fixtures/customer-api.openapi.json' with { type: 'json' };
import { CustomerFactory, sfc32 } from '../../fixtures/data/factories.ts';
import { customerProblems } from '../../helpers/client/schema.ts';

describe('the contract table', () => {
  test('carries every request field of the OpenAPI document with its maximum', () => {
    const req = openapi.components.schemas.CustomerRequest.properties as Record<string, { maxLength?: number }>;
    for (const [name, p] of Object.entries(req))
      if (p.maxLength) expect(FIELDS.find((f) => f.path === name)?.maxLength).toBe(p.maxLength);
    expect(FIELDS.find((f) => f.path === 'shipping.phone')).toMatchObject({ maxLength: 25, pattern: 'phone' });
    expect(
      FIELDS.filter((f) => f.readOnly)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['created_at', 'id', 'updated_at']);
  });

  test(
    'accepted pattern values match their pattern and rejected ones do not ' + '(so the tables test what they claim)',
    () => {
      for (const [name, v] of Object.entries(PATTERN_VALUES)) {
        for (const a of v.accepted) expect(PATTERNS[name as keyof typeof PATTERNS].test(a), a).toBe(true);
        for (const x of v.rejected) expect(PATTERNS[name as keyof typeof PATTERNS].test(x), x).toBe(false);
      }
    },
  );

  test('length values have exactly the length asked for, and valid e-mail shape', () => {
    for (const f of FIELDS.filter((x) => x.maxLength)) {
      expect(valueOfLength(f, f.maxLength!).length).toBe(f.maxLength);
      expect(valueOfLength(f, f.maxLength! + 1).length).toBe(f.maxLength! + 1);
      if (f.pattern) expect(PATTERNS[f.pattern].test(valueOfLength(f, acceptedMax(f)!))).toBe(true);
    }
    const email = FIELDS.find((f) => f.kind === 'email')!;
    const e = valueOfLength(email, 254);
    expect(e.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(
      e
        .split('@')[1]!
        .split('.')
        .every((l) => l.length <= 63),
    ).toBe(true);
    expect(EMAIL_VALUES.accepted.length).toBeGreaterThan(0);
  });

  test('generated customers are valid, stamped with the marker, and replay from the seed', () => {
    const make = () =>
      new CustomerFactory({ seed: 9, entityId: 'org', markerField: 'company_name', marker: 'conformance-abc' }).valid();
    const a = make();
    expect(a).toEqual(make());
    expect(String(a.company_name)).toMatch(/^conformance-abc /);
    expect(
      customerProblems({
        ...a,
        id: '6f1c2a9e-1b2c-4d3e-8f90-1234567890ab',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      }),
    ).toEqual([]);
  });

  test('the randomizer replays each seed, tells seeds apart and draws within [0, 1)', () => {
    const draws = (seed: number | number[]) => {
      const r = sfc32();
      r.seed(seed);
      return Array.from({ length: 2000 }, () => r.next());
    };
    expect(draws([9, 1])).toEqual(draws([9, 1]));
    for (const other of [[9, 2], [10, 1], 9, [9, 1, 0]]) expect(draws(other)).not.toEqual(draws([9, 1]));
    const all = draws([2 ** 40 + 3, 7]);
    expect(all.every((x) => x >= 0 && x < 1)).toBe(true);
    // spread over the interval, not stuck: every tenth of it is drawn
    expect(new Set(all.map((x) => Math.floor(x * 10))).size).toBe(10);
    const customers = [1, 2].map((seed) =>
      new CustomerFactory({ seed, entityId: 'org', markerField: 'company_name', marker: 'm' }).valid(),
    );
    expect(customers[0]).not.toEqual(customers[1]);
  });
});
