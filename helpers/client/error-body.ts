// CUS-ERR-BODY: an error response is JSON in the documented shape and leaks nothing internal.
import type { ApiResponse } from './api-response.ts';
import type { Config } from '../config/config.ts';
import type { Redactor } from './redact.ts';

/** `application/json`, any `+json` type, any parameters (charset) */
export const isJsonContentType = (ct: string | undefined) =>
  !!ct && /^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i.test(ct);

/** One pattern matching wherever any of the parts matches (the parts' flags must agree). */
const anyOf = (...parts: RegExp[]) => new RegExp(parts.map((p) => p.source).join('|'), parts[0]!.flags);

const LEAKS: { what: string; re: RegExp }[] = [
  {
    what: 'a stack trace',
    re: anyOf(
      /\bat [\w$.<>]+ \([^)]*:\d+:\d+\)|\n\s+at [\w$.<>]+[ (]/,
      /Traceback \(most recent call last\)|Exception in thread|\.java:\d+\)|\.(?:js|ts|py|rb|go|cs):\d+\b/,
    ),
  },
  {
    what: 'an SQL fragment',
    re: anyOf(
      /\bSELECT\b[\s\S]{1,200}?\bFROM\b|\bINSERT INTO\b|\bUPDATE\b \w+ \bSET\b|syntax error at or near/i,
      /\bSQLSTATE\b|\bORA-\d{5}\b|SQLException|sqlite3?\./i,
    ),
  },
  {
    what: 'a file path',
    re: anyOf(
      /(?:^|[\s"'(=:])\/(?:home|usr|var|opt|srv|app|etc|tmp|root|Users)\/[\w.@-]+\//i,
      /[A-Za-z]:\\(?:[\w .-]+\\)+|node_modules\//i,
    ),
  },
];

type FieldType = 'integer' | 'string' | 'object' | 'number' | 'boolean';

/**
 * The error shape, from CUSTOMER_API_ERROR_FIELDS
 * (e.g. `code:integer,message:string,details?:object,timestamp:integer`).
 */
export function errorShape(
  spec = 'code:integer,message:string,details?:object,timestamp:integer',
): { name: string; type: FieldType; optional: boolean }[] {
  return spec.split(',').map((part) => {
    const [rawName = '', type = 'string'] = part.trim().split(':');
    const optional = rawName.endsWith('?');
    return { name: optional ? rawName.slice(0, -1) : rawName, type: type as FieldType, optional };
  });
}

function typeOk(v: unknown, t: FieldType): boolean {
  if (t === 'integer') return typeof v === 'number' && Number.isInteger(v);
  if (t === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
  return typeof v === t;
}

/** Problems with an error response; empty when it conforms. */
export function errorBodyProblems(res: ApiResponse, redactor: Redactor, cfg: Pick<Config, 'errorFields'>): string[] {
  const problems: string[] = [];
  if (!isJsonContentType(res.headers['content-type']))
    problems.push(`Content-Type is ${res.headers['content-type'] ?? 'missing'}, not JSON`);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    problems.push('the body is not JSON');
  }
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      problems.push('the body is not a JSON object');
    else {
      const o = body as Record<string, unknown>;
      for (const f of errorShape(cfg.errorFields)) {
        if (!(f.name in o) || o[f.name] === undefined) {
          if (!f.optional) problems.push(`"${f.name}" is missing`);
        } else if (!(f.optional && o[f.name] === null) && !typeOk(o[f.name], f.type))
          problems.push(`"${f.name}" is not ${f.type === 'integer' ? 'an' : 'a'} ${f.type}`);
      }
    }
  }
  for (const l of LEAKS) if (l.re.test(res.text)) problems.push(`the body contains ${l.what}`);
  if (redactor.text(res.text) !== res.text) problems.push('the body contains a credential');
  return problems;
}
