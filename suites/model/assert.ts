// Assertions shared by the checks. Each names the contract id it verifies, credits it when it holds,
// and otherwise fails with expected vs actual and a curl reproduction.
import { FIELDS, REQUEST_FIELDS } from '../../fixtures/contract/fields.ts';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import { type ApiResponse, describeResponse } from '../../helpers/client/api-response.ts';
import type { CheckContext } from './check.ts';
import { isJsonContentType } from '../../helpers/client/error-body.ts';
import { customerProblems } from '../../helpers/client/schema.ts';
import { canonical } from '../../helpers/client/canonical.ts';
import { at } from '../../helpers/client/json-path.ts';

export type Json = Record<string, unknown>;

export { at };

export function setAt(obj: Json, path: string, value: unknown): Json {
  const segs = path.split('.');
  let cur: Json = obj;
  for (const s of segs.slice(0, -1)) {
    if (typeof cur[s] !== 'object' || cur[s] === null || Array.isArray(cur[s])) cur[s] = {};
    cur = cur[s] as Json;
  }
  cur[segs[segs.length - 1]!] = value;
  return obj;
}

export function deleteAt(obj: Json, path: string): Json {
  const segs = path.split('.');
  const parent = at(obj, segs.slice(0, -1).join('.')) ?? (segs.length === 1 ? obj : undefined);
  if (parent && typeof parent === 'object') delete (parent as Json)[segs[segs.length - 1]!];
  return obj;
}

export const clone = <T>(x: T): T => structuredClone(x);

export { canonical } from '../../helpers/client/canonical.ts';

const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
/** "no value": absent, null or the empty string */
const noValue = (v: unknown) => v === undefined || v === null || v === '';

export function expectStatus(
  t: CheckContext,
  res: ApiResponse,
  id: ContractId,
  expected: number | readonly number[],
  what: string,
): void {
  const ok = typeof expected === 'number' ? res.status === expected : expected.includes(res.status);
  const exp = typeof expected === 'number' ? `${expected}` : expected.join(' or ');
  if (!ok) t.fail(id, `status ${exp} for ${what}`, describeResponse(res), res);
  t.pass(id);
}

/** A JSON customer object: content type, shape, types, patterns, lengths, response-only fields. */
export function expectCustomer(t: CheckContext, res: ApiResponse, id: ContractId, what: string): Json {
  if (!isJsonContentType(res.headers['content-type']))
    t.fail(id, `a JSON content type for ${what}`, describeResponse(res), res);
  const problems = customerProblems(res.json, t.cfg.readings['pattern-line-end'].includes('line-end'));
  if (problems.length)
    t.fail(id, `a customer object for ${what}`, `${problems.join('; ')}; ${describeResponse(res)}`, res);
  t.pass(id);
  return res.json as Json;
}

/**
 * How a stored customer differs from the one sent: every request field sent must come back equal; an
 * optional field not sent must have no value under replace, and keep its `before` value under merge.
 */
export function fieldDiffs(actual: Json, sent: Json, semantics: 'replace' | 'merge', before?: Json): string[] {
  const merge = semantics === 'merge' && before !== undefined;
  const diffs: string[] = [];
  for (const f of REQUEST_FIELDS) {
    const s = at(sent, f.path);
    const a = at(actual, f.path);
    if (s !== undefined) {
      if (canonical(a) !== canonical(s)) diffs.push(`${f.path}: sent ${show(s)}, got ${show(a)}`);
    } else if (merge) {
      const b = at(before, f.path);
      if (canonical(a) !== canonical(b))
        diffs.push(`${f.path}: left out under merge semantics, was ${show(b)}, got ${show(a)}`);
    } else if (!noValue(a)) diffs.push(`${f.path}: left out under replace semantics, still ${show(a)}`);
  }
  return diffs;
}

export const showDiffs = (diffs: readonly string[]) =>
  diffs.slice(0, 6).join('; ') + (diffs.length > 6 ? `; … ${diffs.length - 6} more` : '');

/**
 * The stored customer is the one sent: every request field sent comes back equal; under replace,
 * an optional field not sent has no value; under merge (with `before`), it keeps its earlier value.
 */
export function expectFields(
  t: CheckContext,
  res: ApiResponse,
  actual: Json,
  sent: Json,
  id: ContractId,
  what: string,
  before?: Json,
): void {
  const diffs = fieldDiffs(actual, sent, t.cfg.updateSemantics, before);
  if (diffs.length) t.fail(id, `${what} to hold exactly the sent values`, showDiffs(diffs), res);
  t.pass(id);
}

/** Every leaf of a JSON value by its dotted path (`billing.phone`); an array, null or scalar is a leaf. */
function leaves(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
    if (!Object.keys(v).length && path) out.set(path, '{}');
  } else out.set(path, canonical(v));
  return out;
}

/** The paths where two reads of a customer (their leaves) differ. */
const differing = (x: Map<string, string>, y: Map<string, string>): string[] =>
  [...new Set([...x.keys(), ...y.keys()])].filter((p) => x.get(p) !== y.get(p));

/** A path the contract names, or an object on the way to one (`billing`). */
const NAMED = new Set(FIELDS.flatMap((f) => f.path.split('.').map((_, i, segs) => segs.slice(0, i + 1).join('.'))));

/**
 * Nothing changed: the customer as read now equals the one read before, updated_at included. A field the
 * contract does not name that differs is read a third time: one that differs again changes on every read (a
 * response's own field, e.g. when it was served; the contract allows fields it does not name) and is not the
 * request's doing; one that holds its new value was changed by it. A field the contract names is judged as read.
 */
export async function expectUnchanged(
  t: CheckContext,
  before: Json,
  res: ApiResponse,
  id: ContractId,
  what: string,
): Promise<void> {
  if (res.status !== 200) t.fail(id, `the customer still readable (200) after ${what}`, describeResponse(res), res);
  const was = leaves(before);
  const is = leaves(res.json ?? {});
  let changed = differing(was, is);
  const unnamed = changed.filter((p) => !NAMED.has(p));
  if (unnamed.length) {
    const again = await t.step(`get the customer again: ${unnamed.slice(0, 3).join(', ')} changed between reads`, () =>
      t.api.get(String(before.id)),
    );
    const moving = new Set(again.status === 200 ? differing(is, leaves(again.json ?? {})) : []);
    changed = changed.filter((p) => NAMED.has(p) || !moving.has(p));
  }
  const diffs = changed.map((p) => `${p}: was ${was.get(p) ?? 'absent'}, now ${is.get(p) ?? 'absent'}`);
  if (diffs.length) t.fail(id, `nothing changed by ${what}`, diffs.slice(0, 6).join('; '), res);
  t.pass(id);
}

/** A refused response carries none of the customer's values. */
export function expectNoCustomerData(t: CheckContext, res: ApiResponse, customer: Json, id: ContractId): void {
  const values = REQUEST_FIELDS.filter(
    (f) => f.path !== 'entity_id' && f.path !== 'language' && !f.path.endsWith('country_code'),
  )
    .map((f) => at(customer, f.path))
    // digits alone (tax and registration numbers) may stand in any timestamp or request id by chance
    .filter((v): v is string => typeof v === 'string' && v.length >= 6 && !/^\d+$/.test(v));
  const leaked = values.filter((v) => res.text.includes(v) || res.text.includes(JSON.stringify(v).slice(1, -1)));
  if (leaked.length)
    t.fail(
      id,
      'no customer data in a refused response',
      `it contains ${leaked.slice(0, 3).map(show).join(', ')}; ${describeResponse(res)}`,
      res,
    );
  t.pass(id);
}
