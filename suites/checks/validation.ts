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
  valueOfLength,
  type FieldRule,
} from '../../fixtures/contract.ts';
import type { ContractId } from '../../fixtures/statements.ts';
import { raw } from '../../helpers/api.ts';
import { clone, deleteAt, expectStatus, setAt, type Json } from '../../helpers/assert.ts';
import type { Check, CheckContext } from '../../helpers/check.ts';
import { acceptedUpdate, rejectedUpdate, type Mutation } from './steps.ts';

const show = (v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.length} characters` : JSON.stringify(v));

function row(id: ContractId, accept: boolean, name: string, params: Record<string, string>, mutate: Mutation): Check {
  return {
    name,
    ids: accept ? [id] : [id, 'CUS-UPD-ATOMIC'],
    feature: 'Update',
    tags: ['validation', 'destructive'],
    params,
    run: (t) => (accept ? acceptedUpdate(t, id, name, mutate) : rejectedUpdate(t, id, name, mutate)),
  };
}

const set = (path: string, value: unknown): Mutation => (b) => setAt(b, path, value);

/** Values of a field that the contract's extra rules (e-mail, country, language) accept or reject. */
function kindValues(f: FieldRule, languages?: string[]): { accepted: string[]; rejected: string[] } | undefined {
  if (f.kind === 'email') return EMAIL_VALUES;
  if (f.kind === 'country') return COUNTRY_VALUES;
  if (f.kind === 'language') return languages ? { accepted: languages.slice(0, 4), rejected: [...LANGUAGE_VALUES.rejected, 'zz'].filter((l) => !languages.includes(l)) } : LANGUAGE_VALUES;
  return undefined;
}

export function validationChecks(languages?: string[]): Check[] {
  const checks: Check[] = [];
  for (const f of REQUEST_FIELDS) {
    if (f.pattern) {
      for (const v of PATTERN_VALUES[f.pattern].accepted.filter((x) => f.maxLength === undefined || x.length <= f.maxLength))
        checks.push(row('CUS-UPD-400-PATTERN', true, `${f.path} = ${show(v)} (inside the pattern) is accepted`, { field: f.path, value: show(v) }, set(f.path, v)));
      for (const v of PATTERN_VALUES[f.pattern].rejected)
        checks.push(row('CUS-UPD-400-PATTERN', false, `${f.path} = ${show(v)} (outside the pattern) gets 400`, { field: f.path, value: show(v) }, set(f.path, v)));
    }
    const kv = kindValues(f, languages);
    if (kv) {
      for (const v of kv.accepted) checks.push(row('CUS-UPD-400-TYPE', true, `${f.path} = ${show(v)} (a valid ${f.kind}) is accepted`, { field: f.path, value: show(v) }, set(f.path, v)));
      for (const v of kv.rejected) checks.push(row('CUS-UPD-400-TYPE', false, `${f.path} = ${show(v)} (not a valid ${f.kind}) gets 400`, { field: f.path, value: show(v) }, set(f.path, v)));
    }
    const max = acceptedMax(f);
    if (max !== undefined && f.maxLength !== undefined) {
      checks.push(row('CUS-UPD-400-LENGTH', true, `${f.path} at ${max} characters (the maximum) is accepted`, { field: f.path, length: String(max) }, set(f.path, valueOfLength(f, max))));
      checks.push(row('CUS-UPD-400-LENGTH', false, `${f.path} at ${f.maxLength + 1} characters (one over) gets 400`, { field: f.path, length: String(f.maxLength + 1) }, set(f.path, valueOfLength(f, f.maxLength + 1))));
    }
    for (const w of WRONG_TYPES_FOR_STRING)
      checks.push(row('CUS-UPD-400-TYPE', false, `${f.path} as a JSON ${w.label} gets 400`, { field: f.path, type: w.label }, set(f.path, clone(w.value))));
  }
  for (const g of GROUPS)
    for (const w of WRONG_TYPES_FOR_OBJECT) checks.push(row('CUS-UPD-400-TYPE', false, `${g} as a JSON ${w.label} gets 400`, { field: g, type: w.label }, set(g, clone(w.value))));
  for (const b of MALFORMED_BODIES) checks.push(row('CUS-UPD-400-TYPE', false, `a body that is ${b.label} gets 400`, { body: b.label }, () => raw(b.text)));
  return checks;
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

/** CUS-UPD-400-REQUIRED: entity_id, and company_name unless both billing first and last name are given. */
const REQUIRED_CASES: { label: string; ok: boolean; shape: (b: Json) => Json }[] = [
  { label: 'no entity_id', ok: false, shape: (b) => deleteAt(b, 'entity_id') },
  { label: 'company_name only, no billing names', ok: true, shape: (b) => deleteAt(deleteAt(b, 'billing.first_name'), 'billing.last_name') },
  { label: 'billing first name only, no company_name', ok: false, shape: (b) => deleteAt(deleteAt(b, 'company_name'), 'billing.last_name') },
  { label: 'billing last name only, no company_name', ok: false, shape: (b) => deleteAt(deleteAt(b, 'company_name'), 'billing.first_name') },
  { label: 'both billing names, no company_name', ok: true, shape: (b) => deleteAt(b, 'company_name') },
  { label: 'no company_name and no billing names', ok: false, shape: (b) => deleteAt(deleteAt(deleteAt(b, 'company_name'), 'billing.first_name'), 'billing.last_name') },
];

async function createCase(t: CheckContext, c: (typeof REQUIRED_CASES)[number]): Promise<void> {
  const body = c.shape(t.data.valid() as Json);
  const res = await t.step(`create with ${c.label}`, () => t.api.create(body));
  if (res.status >= 200 && res.status < 300) {
    const id = (res.json as Json | undefined)?.id;
    if (typeof id === 'string') t.adopt(id);
  }
  expectStatus(t, res, 'CUS-UPD-400-REQUIRED', c.ok ? t.cfg.createStatus : 400, `a create with ${c.label}`);
}

export const requiredChecks: Check[] = REQUIRED_CASES.flatMap((c): Check[] => [
  {
    name: `update with ${c.label} ${c.ok ? 'is accepted' : 'gets 400'}`,
    ids: c.ok ? ['CUS-UPD-400-REQUIRED'] : ['CUS-UPD-400-REQUIRED', 'CUS-UPD-ATOMIC'],
    feature: 'Update',
    tags: ['validation', 'destructive'],
    params: { case: c.label, operation: 'update' },
    needs: (cfg) => (cfg.updateSemantics === 'merge' && c.label !== 'no entity_id' ? 'under merge semantics an update cannot remove a field; the create rows verify this case' : undefined),
    run: (t) => (c.ok ? acceptedUpdate(t, 'CUS-UPD-400-REQUIRED', c.label, c.shape as Mutation) : rejectedUpdate(t, 'CUS-UPD-400-REQUIRED', c.label, c.shape as Mutation)),
  },
  {
    name: `create with ${c.label} ${c.ok ? 'is accepted' : 'gets 400'}`,
    ids: ['CUS-UPD-400-REQUIRED'],
    feature: 'Update',
    tags: ['validation', 'destructive'],
    params: { case: c.label, operation: 'create' },
    run: (t) => createCase(t, c),
  },
]);

