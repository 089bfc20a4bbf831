// The customer object as zod schemas, built from the contract table (fixtures/contract/fields.ts).
// Responses may carry fields the contract does not name, and null for an optional field that has no value.
import { z } from 'zod';
import { FIELDS, PATTERNS, type FieldRule } from '../../fixtures/contract/fields.ts';
import { parseInstant } from './time.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isUuid = (s: string) => UUID.test(s);

/** A pattern as ECMA-262 reads it, or also with $ before a final newline (the pattern-line-end reading). */
const inPattern = (re: RegExp, v: string, lineEnd: boolean) =>
  re.test(v) || (lineEnd && v.endsWith('\n') && re.test(v.slice(0, -1)));

function leaf(f: FieldRule, lineEnd: boolean): z.ZodType {
  let s = z.string();
  if (f.maxLength !== undefined)
    s = s.refine((v) => [...v].length <= f.maxLength!, `longer than ${f.maxLength}`) as unknown as z.ZodString;
  if (f.pattern)
    s = s.refine(
      (v) => inPattern(PATTERNS[f.pattern!], v, lineEnd),
      `outside ${PATTERNS[f.pattern].source}`,
    ) as unknown as z.ZodString;
  if (f.kind === 'uuid') return s.refine((v) => UUID.test(v), 'not a UUID');
  if (f.kind === 'email') return s.refine((v) => EMAIL.test(v), 'not an e-mail address');
  if (f.kind === 'date-time')
    return s.refine((v) => parseInstant(v) !== undefined, 'not an ISO 8601 date-time with a zone designator');
  return s;
}

type Tree = { [k: string]: Tree | FieldRule };

function tree(fields: readonly FieldRule[]): Tree {
  const root: Tree = {};
  for (const f of fields) {
    const segs = f.path.split('.');
    let node = root;
    for (const s of segs.slice(0, -1)) node = (node[s] ??= {}) as Tree;
    node[segs[segs.length - 1]!] = f;
  }
  return root;
}

const isRule = (x: Tree | FieldRule): x is FieldRule => typeof (x as FieldRule).path === 'string';

function build(t: Tree, lineEnd: boolean): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(t)) {
    if (isRule(v)) shape[k] = v.requiredInResponse ? leaf(v, lineEnd) : leaf(v, lineEnd).nullable().optional();
    else shape[k] = build(v, lineEnd).nullable().optional();
  }
  return z.looseObject(shape);
}

/** The customer object, its patterns read as ECMA-262 does, or also matching before a final newline. */
const SCHEMAS = { ecma: build(tree(FIELDS), false), lineEnd: build(tree(FIELDS), true) };

/**
 * Why a response body is not a customer object; empty when it is one. `lineEnd`: a deployment may take the
 * reading in which a pattern's $ matches before a final newline, and so store such a value.
 */
export function customerProblems(body: unknown, lineEnd = false): string[] {
  const r = SCHEMAS[lineEnd ? 'lineEnd' : 'ecma'].safeParse(body);
  if (r.success) return [];
  return r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
}
