// Telling the environment from the product. An answer no contract response can be (a redirect, a gateway
// or rate-limit status that did not clear, the configured credentials refused, an HTML page) or no answer
// at all says something about the network, the gateway or the configuration, not about the API: a check
// that meets one is broken (and tried again), never failed, and a streak of them stops the run (exit 2).
import type { ApiResponse } from '../client/api-response.ts';
import type { Exchange } from '../client/http.ts';
import { cut, oneLine } from '../client/text.ts';

/** Statuses a gateway or a rate limiter answers; the HTTP layer has already retried them where it may. */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** A check met an answer that only the environment gives: the check is broken, not failed. */
export class EnvironmentAnswer extends Error {
  override name = 'EnvironmentAnswer';
}

const what = (ex: Exchange) => `${ex.request.method} ${ex.request.url}`;
/** The variables' prefix of the configured credentials a request carried (undefined: none, or a literal header). */
const prefixOf = (ex: Exchange) =>
  ex.request.auth && 'prefix' in ex.request.auth ? ex.request.auth.prefix : undefined;

/** What every reason for refused configured credentials says: a check broken so judges none of their 401s. */
export const KEYS_REFUSED = 'refused (401)';

/**
 * Why this answer is the environment's, for a check (undefined: the contract judges it). The main
 * credentials refused: the run cannot go on with them (a key revoked or expired mid-run). The other
 * entity's refused is judged, since their checks ask for 403 and a 401 there is the product's answer
 * (a revoked other key shows as a streak).
 */
export function environmentCause(
  res: Pick<ApiResponse, 'status' | 'headers' | 'exchange'>,
  includeOther = false,
): string | undefined {
  const ex = res.exchange;
  if (res.status >= 300 && res.status < 400)
    return (
      `a redirect (status ${res.status}` +
      `${res.headers.location ? ` to ${oneLine(cut(res.headers.location, 200))}` : ''}) to ${what(ex)}`
    );
  if (GATEWAY_STATUSES.has(res.status))
    return (
      `status ${res.status}` +
      `${res.headers['retry-after'] ? ` (Retry-After ${oneLine(cut(res.headers['retry-after'], 40))})` : ''}` +
      ` to ${what(ex)} after ${ex.attempts} attempt(s): a gateway or rate limit`
    );
  const prefix = prefixOf(ex);
  if (res.status === 401 && prefix && (includeOther || prefix === 'CUSTOMER_API'))
    return `the configured credentials (${prefix}_KEY) ${KEYS_REFUSED} for ${what(ex)}`;
  return undefined;
}

/** An HTML page (by its Content-Type, or by how its body starts): what login, proxy and maintenance pages answer. */
export const isHtml = (res: Pick<ApiResponse, 'headers' | 'text'>) =>
  /^\s*text\/html\b/i.test(res.headers['content-type'] ?? '') || /^\s*<(!doctype html|html)\b/i.test(res.text);

/** Why this answer looks like the environment's when many come in a row (an HTML page too: a login or proxy page). */
export function streakCause(res: Pick<ApiResponse, 'status' | 'headers' | 'exchange' | 'text'>): string | undefined {
  return (
    environmentCause(res, true) ??
    (isHtml(res) ? `an HTML page (status ${res.status}) to ${what(res.exchange)}: a login or proxy page?` : undefined)
  );
}

/**
 * Counts answers in a row that only the environment gives (and requests that got no answer). Once the
 * streak reaches `limit`, it is tripped: the run stops, naming the cause, instead of judging the product.
 */
export class EnvironmentMonitor {
  private streak = 0;
  tripped: string | undefined;
  /** the exit code a trip asks for: 2 (the environment), or 1 (the product broke the contract on a create) */
  exitCode: 1 | 2 = 2;
  /** creates answered 2xx without a usable customer: each may have stored one the run cannot see */
  unusableCreates = 0;

  constructor(readonly limit = 12) {}

  /**
   * A create answered 2xx without a usable customer (no id): new creates stop at once, and so does the run.
   * A JSON answer breaks the contract (exit 1); anything else is not the Customer API answering (exit 2).
   */
  unusableCreate(res: Pick<ApiResponse, 'status' | 'headers' | 'text' | 'json'>): void {
    this.unusableCreates++;
    if (this.tripped) return;
    const json = res.text.trim() === '' || res.json !== undefined;
    this.exitCode = json && !isHtml(res) ? 1 : 2;
    const body =
      res.text.trim() === ''
        ? 'an empty body'
        : `${oneLine(cut(res.headers['content-type'] ?? 'an untyped', 100))} body without an id`;
    this.tripped =
      `a create was answered ${res.status} with ${body}: ` +
      'it may have stored a customer this run cannot see or delete, so no more are created';
  }

  /** One answer's verdict: a cause (it looks like the environment) or undefined (a contract answer). */
  see(cause: string | undefined): void {
    if (this.tripped) return;
    if (cause === undefined) {
      this.streak = 0;
      return;
    }
    if (++this.streak >= this.limit)
      this.tripped = `${this.limit} answers in a row that no Customer API answer can be (the last: ${cause})`;
  }
}
