// A copy-pasteable curl reproduction of a request. Credentials are referenced through the environment
// variables that hold them, never printed.
import type { HttpRequest } from './http.ts';
import type { Redactor } from './redact.ts';

const MAX_INLINE_BODY = 4096;

/** One shell word, single-quoted. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const q = shellQuote;

export function toCurl(req: HttpRequest, redactor: Redactor): string {
  const parts = ['curl -sS -i --path-as-is -X', req.method, q(req.url)];
  for (const [k, v] of Object.entries(req.headers)) {
    if (/^authorization$/i.test(k)) continue;
    if (/^(content-length|connection|host)$/i.test(k)) continue;
    parts.push('-H', q(`${k}: ${redactor.header(k, v)}`));
  }
  const a = req.auth;
  if (a?.kind === 'basic-env') parts.push('-u', `"$${a.prefix}_USER_ID:$${a.prefix}_KEY"`);
  else if (a?.kind === 'bearer-env') parts.push('-H', `"Authorization: Bearer $${a.prefix}_KEY"`);
  else if (a?.kind === 'literal') parts.push('-H', q(`Authorization: ${redactor.text(a.value)}`));
  if (req.body !== undefined) {
    if (req.body.length > MAX_INLINE_BODY)
      parts.push(
        '--data-binary',
        `@request-body.json  # ${req.body.length} bytes: save the request attachment as request-body.json`,
      );
    else parts.push('--data-raw', q(redactor.text(req.body)));
  }
  return parts.join(' ');
}
