// What the Customer API client hands back for every request: the answer with its JSON field-mapped, the
// exchange, a curl line to reproduce it and the body with secrets masked; and its one-line description for
// failure messages.
import { toCurl } from './curl.ts';
import type { FieldMap } from './fieldmap.ts';
import type { Exchange, HttpRequest } from './http.ts';
import type { Redactor } from './redact.ts';
import { cut, oneLine } from './text.ts';

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** parsed JSON with the field map applied, undefined when the body is not JSON */
  json: unknown;
  exchange: Exchange;
  curl: string;
  /** the body with every configured secret masked: what failure messages quote */
  readonly safeText?: string;
}

/** The response to `req`, answered in `exchange`; the curl line and the masked text are made when first read. */
export function apiResponse(req: HttpRequest, exchange: Exchange, fieldMap: FieldMap, redactor: Redactor): ApiResponse {
  const res = exchange.response!;
  let json: unknown;
  if (res.body.length > 0) {
    try {
      json = fieldMap.incoming(JSON.parse(res.body));
    } catch {
      json = undefined;
    }
  }
  const out = { status: res.status, headers: res.headers, text: res.body, json, exchange, curl: '' } as ApiResponse;
  Object.defineProperty(out, 'curl', { get: () => toCurl(req, redactor), enumerable: true });
  Object.defineProperty(out, 'safeText', { get: () => redactor.text(res.body), enumerable: false });
  return out;
}

/** Describes a response for a failure message: the target's text as inert data, on one line, cut. */
export function describeResponse(res: ApiResponse): string {
  const ct = res.headers['content-type'];
  const type = ct ? ` (${oneLine(cut(ct, 100))})` : '';
  // masked before it is cut, so no part of a secret the target echoed reaches a report
  const body = res.text ? `, body ${oneLine(cut(res.safeText ?? res.text))}` : ', empty body';
  return `status ${res.status}${type}${body}`;
}
