import { describe, expect, test } from 'vitest';
import { FieldMap } from '../../helpers/client/fieldmap.ts';
import { parseInstant } from '../../helpers/client/time.ts';

describe('ISO 8601 instants', () => {
  test.each([
    '2026-11-25T13:00:00Z',
    '2026-11-25T13:00:00.123456+00:00',
    '2026-11-25T14:00:00.123+01:00',
    '2026-11-25t13:00:00z',
    '20261125T130000Z',
    '2026-11-25T13:00Z',
    '2026-11-25T08:00:00-0500',
  ])('%s has a zone designator', (s) => {
    expect(parseInstant(s)).toBeDefined();
  });
  test.each([
    '2026-11-25T13:00:00',
    '2026-11-25',
    '2026-02-30T00:00:00Z',
    '2026-11-25T25:00:00Z',
    'yesterday',
    1764075600,
  ])('%s is refused', (s) => {
    expect(parseInstant(s)).toBeUndefined();
  });
  test('instants compare across offsets and to the microsecond', () => {
    expect(parseInstant('2026-11-25T14:00:00.000001+01:00')!.ns - parseInstant('2026-11-25T13:00:00Z')!.ns).toBe(1000n);
  });
});

describe('field map', () => {
  test('renames both ways, nested paths included', () => {
    const m = new FieldMap({ email_address: 'email', 'billing.phone': 'telephone', billing: 'invoice' });
    const out = m.outgoing({ email_address: 'a@b.c', billing: { phone: '1', city: 'x' } });
    expect(out).toEqual({ email: 'a@b.c', invoice: { telephone: '1', city: 'x' } });
    expect(m.incoming(out)).toEqual({ email_address: 'a@b.c', billing: { phone: '1', city: 'x' } });
  });
});
