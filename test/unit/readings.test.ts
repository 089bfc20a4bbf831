import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { VALUE_READINGS, rejectedValueOutcomes, field, PATTERN_VALUES } from '../../fixtures/contract/fields.ts';
import {
  ALL_READINGS,
  CHOICES_LISTED,
  READING_POINTS,
  outcomesUnder,
  readingsMarkdown,
  settingShown,
  type Readings,
} from '../../fixtures/contract/readings.ts';
import { KNOWN_VARIABLES } from '../../helpers/config/config.ts';
import { TAKEN } from '../../helpers/run/mutation.ts';

describe('the readings table', () => {
  test('every point has a setting the configuration reads, two readings or more, and statements', () => {
    for (const p of READING_POINTS) {
      expect(KNOWN_VARIABLES, p.setting).toContain(p.setting);
      expect(p.readings.length).toBeGreaterThanOrEqual(2);
      expect(p.statements.length).toBeGreaterThan(0);
    }
    for (const c of CHOICES_LISTED) expect(KNOWN_VARIABLES, c.setting).toContain(c.setting);
    expect(new Set(READING_POINTS.map((p) => p.setting)).size).toBe(READING_POINTS.length);
  });

  test('each flavour of the reference target declares the reading it takes at every point, one it has', () => {
    for (const flavour of Object.values(TAKEN))
      for (const p of READING_POINTS)
        expect(
          p.readings.map((r) => r.id),
          `${p.id}`,
        ).toContain(flavour[p.id]);
    // the other-readings flavour differs from the reference at every point
    for (const p of READING_POINTS) expect(TAKEN.readings[p.id], p.id).not.toBe(TAKEN.reference[p.id]);
  });

  test('a row allows every reading by default and one when narrowed', () => {
    const row = VALUE_READINGS.find((v) => v.value === '')!.row;
    expect(outcomesUnder(ALL_READINGS, row)).toEqual(['reject', 'no-value']);
    const narrowed: Readings = { ...ALL_READINGS, 'empty-string': ['value'] };
    expect(outcomesUnder(narrowed, row)).toEqual(['reject']);
    expect(settingShown(ALL_READINGS, 'empty-string')).toBe('CUSTOMER_API_EMPTY_STRING=any');
    expect(settingShown(narrowed, 'empty-string')).toBe('CUSTOMER_API_EMPTY_STRING=value');
  });

  test('every value with a reading stands in a rejected list; a required field never takes "no value"', () => {
    const rejected = [...Object.values(PATTERN_VALUES).flatMap((v) => v.rejected), null];
    for (const v of VALUE_READINGS) expect(rejected).toContain(v.value);
    // entity_id: a wrong type is refused, with 400 or 403 (check order), never taken as no value
    expect(rejectedValueOutcomes(field('entity_id'), null, ALL_READINGS).outcomes).toEqual(['reject', 'forbid']);
    expect(
      rejectedValueOutcomes(field('entity_id'), 12345, { ...ALL_READINGS, 'check-order': ['types-first'] }).outcomes,
    ).toEqual(['reject']);
    expect(rejectedValueOutcomes(field('phone_number'), '', ALL_READINGS).outcomes).toEqual(['reject', 'no-value']);
  });

  test('the README section is generated from the table (npm run readings -- --readme)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme
      .slice(
        readme.indexOf('<!-- readings:start -->') + '<!-- readings:start -->'.length,
        readme.indexOf('<!-- readings:end -->'),
      )
      .trim();
    expect(section).toBe(readingsMarkdown().trim());
  });
});
