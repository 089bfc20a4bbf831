// Field validation on update, driven by the contract table: patterns, lengths, JSON types, e-mail,
// country, language, malformed bodies and the conditional required rules. Every refused update is also
// an atomicity check: the customer reads back unchanged, updated_at included.
import {
  COUNTRY_VALUES,
  EMAIL_VALUES,
  GROUPS,
  LANGUAGE_VALUES,
  PATTERN_VALUES,
  REQUEST_FIELDS,
  WRONG_TYPES_FOR_OBJECT,
  WRONG_TYPES_FOR_STRING,
  acceptedMax,
  rejectedValueOutcomes,
  valueOfLength,
  type FieldRule,
} from '../../fixtures/contract/fields.ts';
import {
  isRefusal,
  outcomesUnder,
  settingShown,
  type Outcome,
  type ReadingRow,
  type Readings,
} from '../../fixtures/contract/readings.ts';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import { raw } from '../../helpers/client/request-body.ts';
import { clone, deleteAt, expectStatus, setAt, type Json } from '../model/assert.ts';
import type { Check, CheckContext } from '../model/check.ts';
import type { Config } from '../../helpers/config/config.ts';
import { judgedUpdate, outcomesText, type Mutation } from './steps.ts';

const show = (v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.length} characters` : JSON.stringify(v));

/** One table row: a field's value (or a body) and what a correct deployment may do with it. */
function row(
  id: ContractId,
  outcomes: readonly Outcome[],
  what: string,
  params: Record<string, string>,
  mutate: Mutation,
  reading?: { row: ReadingRow; readings: Readings },
  field?: string,
): Check {
  const setting = reading && settingShown(reading.readings, reading.row.point);
  return {
    name: `${what} ${outcomesText(outcomes)}`,
    ids: outcomes.some(isRefusal) ? [id, 'CUS-UPD-ATOMIC'] : [id],
    feature: 'Update',
    tags: ['validation', 'destructive'],
    params: setting ? { ...params, reading: setting } : params,
    run: (t) => judgedUpdate(t, id, what, mutate, { outcomes, field, setting }),
  };
}

const ACCEPT: Outcome[] = ['store'];
const REJECT: Outcome[] = ['reject'];

/** A rejected value's row: refused, unless a reading lets a deployment take it otherwise. */
function rejectedRow(
  id: ContractId,
  f: FieldRule,
  v: unknown,
  what: string,
  params: Record<string, string>,
  readings: Readings,
): Check {
  const r = rejectedValueOutcomes(f, v, readings);
  return row(id, r.outcomes, what, params, set(f.path, clone(v)), r.row && { row: r.row, readings }, f.path);
}

const set =
  (path: string, value: unknown): Mutation =>
  (b) =>
    setAt(b, path, value);

/** Values of a field that the contract's extra rules (e-mail, country, language) accept or reject. */
function kindValues(f: FieldRule, languages?: string[]): { accepted: string[]; rejected: string[] } | undefined {
  if (f.kind === 'email') return EMAIL_VALUES;
  if (f.kind === 'country') return COUNTRY_VALUES;
  if (f.kind === 'language')
    return languages
      ? {
          accepted: languages.slice(0, 4),
          rejected: [...LANGUAGE_VALUES.rejected, 'zz'].filter((l) => !languages.includes(l)),
        }
      : LANGUAGE_VALUES;
  return undefined;
}

const fieldRow = (f: FieldRule, v: unknown) => ({ field: f.path, value: show(v) });

/** Values inside the field's pattern are accepted, values outside it refused (as the readings allow). */
function patternRows(f: FieldRule, rd: Readings): Check[] {
  if (!f.pattern) return [];
  const { accepted, rejected } = PATTERN_VALUES[f.pattern];
  const fits = accepted.filter((x) => f.maxLength === undefined || x.length <= f.maxLength);
  return [
    ...fits.map((v) =>
      row('CUS-UPD-400-PATTERN', ACCEPT, `${f.path} = ${show(v)} (inside the pattern)`, fieldRow(f, v), set(f.path, v)),
    ),
    ...rejected.map((v) =>
      rejectedRow('CUS-UPD-400-PATTERN', f, v, `${f.path} = ${show(v)} (outside the pattern)`, fieldRow(f, v), rd),
    ),
  ];
}

/** Valid and invalid e-mail addresses, country codes and languages. */
function kindRows(f: FieldRule, languages: string[] | undefined, rd: Readings): Check[] {
  const kv = kindValues(f, languages);
  if (!kv) return [];
  return [
    ...kv.accepted.map((v) =>
      row('CUS-UPD-400-TYPE', ACCEPT, `${f.path} = ${show(v)} (a valid ${f.kind})`, fieldRow(f, v), set(f.path, v)),
    ),
    ...kv.rejected.map((v) =>
      rejectedRow('CUS-UPD-400-TYPE', f, v, `${f.path} = ${show(v)} (not a valid ${f.kind})`, fieldRow(f, v), rd),
    ),
  ];
}

/** The longest valid value is accepted, one character more refused. */
function lengthRows(f: FieldRule): Check[] {
  const max = acceptedMax(f);
  if (max === undefined || f.maxLength === undefined) return [];
  const ends: [number, typeof ACCEPT, string][] = [
    [max, ACCEPT, 'the maximum'],
    [f.maxLength + 1, REJECT, 'one over'],
  ];
  return ends.map(([n, expect, what]) =>
    row(
      'CUS-UPD-400-LENGTH',
      expect,
      `${f.path} at ${n} characters (${what})`,
      { field: f.path, length: String(n) },
      set(f.path, valueOfLength(f, n)),
    ),
  );
}

/** A JSON value of another type where the field's string belongs. */
const wrongTypeRows = (f: FieldRule, rd: Readings): Check[] =>
  WRONG_TYPES_FOR_STRING.map((w) =>
    rejectedRow('CUS-UPD-400-TYPE', f, w.value, `${f.path} as a JSON ${w.label}`, { field: f.path, type: w.label }, rd),
  );

export function validationChecks(cfg: Pick<Config, 'languages' | 'readings'>): Check[] {
  const rd = cfg.readings;
  const perField = REQUEST_FIELDS.flatMap((f) => [
    ...patternRows(f, rd),
    ...kindRows(f, cfg.languages, rd),
    ...lengthRows(f),
    ...wrongTypeRows(f, rd),
  ]);
  const groups = GROUPS.flatMap((g) =>
    WRONG_TYPES_FOR_OBJECT.map((w) =>
      row('CUS-UPD-400-TYPE', REJECT, `${g} as a JSON ${w.label}`, { field: g, type: w.label }, set(g, clone(w.value))),
    ),
  );
  const bodies = MALFORMED_BODIES.map((b) =>
    row('CUS-UPD-400-TYPE', REJECT, `a body that is ${b.label}`, { body: b.label }, () => raw(b.text)),
  );
  return [...perField, ...groups, ...bodies];
}

const MALFORMED_BODIES: { label: string; text: string }[] = [
  { label: 'truncated JSON', text: '{"entity_id": "x", "company_name": "Trunc' },
  { label: 'JSON with a trailing comma', text: '{"company_name": "Comma",}' },
  { label: 'JSON with single quotes', text: "{'company_name': 'Quotes'}" },
  { label: 'empty', text: '' },
  { label: 'a JSON array', text: '[{"company_name": "Array"}]' },
  { label: 'a JSON string', text: '"company_name"' },
  { label: 'a JSON number', text: '42' },
  { label: 'JSON null', text: 'null' },
];

/**
 * CUS-UPD-400-REQUIRED: entity_id always; company_name when the billing names are not provided, a sentence
 * that reads two ways for one name alone (the name-rule reading point).
 */
const NAME_RULE = (both: Outcome, either: Outcome): ReadingRow => ({ point: 'name-rule', outcomes: { both, either } });
const REQUIRED_CASES: { label: string; shape: (b: Json) => Json; expect: Outcome | ReadingRow }[] = [
  { label: 'no entity_id', expect: 'reject', shape: (b) => deleteAt(b, 'entity_id') },
  {
    label: 'company_name only, no billing names',
    expect: 'store',
    shape: (b) => deleteAt(deleteAt(b, 'billing.first_name'), 'billing.last_name'),
  },
  {
    label: 'billing first name only, no company_name',
    expect: NAME_RULE('reject', 'store'),
    shape: (b) => deleteAt(deleteAt(b, 'company_name'), 'billing.last_name'),
  },
  {
    label: 'billing last name only, no company_name',
    expect: NAME_RULE('reject', 'store'),
    shape: (b) => deleteAt(deleteAt(b, 'company_name'), 'billing.first_name'),
  },
  { label: 'both billing names, no company_name', expect: 'store', shape: (b) => deleteAt(b, 'company_name') },
  {
    label: 'no company_name and no billing names',
    expect: 'reject',
    shape: (b) => deleteAt(deleteAt(deleteAt(b, 'company_name'), 'billing.first_name'), 'billing.last_name'),
  },
];

type Case = (typeof REQUIRED_CASES)[number];
const isRow = (e: Outcome | ReadingRow): e is ReadingRow => typeof e === 'object' && 'point' in e;
const caseOutcomes = (c: Case, rd: Readings): Outcome[] => (isRow(c.expect) ? outcomesUnder(rd, c.expect) : [c.expect]);
const caseSetting = (c: Case, rd: Readings) => (isRow(c.expect) ? settingShown(rd, c.expect.point) : undefined);

async function createCase(t: CheckContext, c: Case, outcomes: readonly Outcome[], setting?: string): Promise<void> {
  const body = c.shape(t.data.valid() as Json);
  const res = await t.step(`create with ${c.label}`, () => t.api.create(body));
  if (res.status >= 200 && res.status < 300) {
    const id = (res.json as Json | undefined)?.id;
    if (typeof id === 'string') t.adopt(id);
  }
  const statuses = [...new Set(outcomes.map((o) => (o === 'reject' ? 400 : t.cfg.createStatus)))];
  expectStatus(t, res, 'CUS-UPD-400-REQUIRED', statuses, `a create with ${c.label}${setting ? ` (${setting})` : ''}`);
}

export function requiredChecks(cfg: Pick<Config, 'readings'>): Check[] {
  return REQUIRED_CASES.flatMap((c): Check[] => {
    const outcomes = caseOutcomes(c, cfg.readings);
    const setting = caseSetting(c, cfg.readings);
    const params = (operation: string) => ({ case: c.label, operation, ...(setting ? { reading: setting } : {}) });
    return [
      {
        name: `update with ${c.label} ${outcomesText(outcomes)}`,
        ids: outcomes.includes('reject') ? ['CUS-UPD-400-REQUIRED', 'CUS-UPD-ATOMIC'] : ['CUS-UPD-400-REQUIRED'],
        feature: 'Update',
        tags: ['validation', 'destructive'],
        params: params('update'),
        needs: (cfg) =>
          cfg.updateSemantics === 'merge' && c.label !== 'no entity_id'
            ? 'under merge semantics an update cannot remove a field; the create rows verify this case'
            : undefined,
        run: (t) => judgedUpdate(t, 'CUS-UPD-400-REQUIRED', c.label, c.shape as Mutation, { outcomes, setting }),
      },
      {
        name: `create with ${c.label} ${outcomesText(outcomes)}`,
        ids: ['CUS-UPD-400-REQUIRED'],
        feature: 'Update',
        tags: ['validation', 'destructive'],
        params: params('create'),
        run: (t) => createCase(t, c, outcomes, setting),
      },
    ];
  });
}
