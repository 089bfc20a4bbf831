// Before anything is judged: is this the Customer API, reached with credentials it accepts? Three probes
// tell the environment from the product. The main credentials read an unknown UUID (the API answers a
// JSON 404, or 400); the other entity's likewise; and, unless the run may create nothing, one marked
// customer is created and deleted at once. Any answer only an environment gives (a redirect, an HTML page,
// a gateway, refused keys, a wrong service root, an entity the keys do not act for) is an EnvironmentError
// of one or two lines naming the cause and the fix: exit 2. Answers the contract can judge go on to the run.
import { randomUUID } from 'node:crypto';
import { CustomerFactory } from '../../fixtures/data/factories.ts';
import { CustomerApi } from '../client/api.ts';
import type { ApiResponse } from '../client/api-response.ts';
import type { Caller } from '../client/caller.ts';
import type { Config } from '../config/config.ts';
import { isJsonContentType } from '../client/error-body.ts';
import { GATEWAY_STATUSES, isHtml } from './environment.ts';
import { HttpClient, TransportError } from '../client/http.ts';
import { Ledger } from './ledger.ts';
import { redactorFor } from './run-env.ts';
import { cut, oneLine } from '../client/text.ts';

const ENTITY_FIX = 'set it to the Organisation ID the credentials act for';
/** The target or the environment is not usable: exit code 2. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

export interface Preflight {
  deploymentVersion?: string;
}

export interface PreflightOptions {
  /** create (and delete) one customer marked with `marker`, recorded in `ledger` (not in read-only runs) */
  create?: { ledger: Ledger; marker: string };
}

const root = (cfg: Config) => `${cfg.baseUrl}`;
const line = (res: ApiResponse) => `${res.exchange.request.method} ${res.exchange.request.url}`;

/** Why an answer cannot come from the Customer API at all, with the fix; undefined when it can. */
export function foreignAnswer(cfg: Config, res: ApiResponse): string | undefined {
  const s = res.status;
  if (s >= 300 && s < 400) {
    const to = res.headers.location === undefined ? undefined : oneLine(cut(res.headers.location, 200));
    if (!to)
      return (
        `${line(res)} answered a redirect (${s}) without a Location; ` +
        'check CUSTOMER_API_BASE_URL and any proxy in between'
      );
    const target = URL.canParse(to, res.exchange.request.url) ? new URL(to, res.exchange.request.url) : undefined;
    if (!target)
      return (
        `${line(res)} answered a redirect (${s}) to ${to}, which is not a URL; ` +
        'check CUSTOMER_API_BASE_URL and any proxy in between'
      );
    const from = new URL(res.exchange.request.url);
    if (target.href === from.href)
      return (
        `${line(res)} answered ${s} redirecting to itself (a login or gateway loop?); ` +
        'check CUSTOMER_API_BASE_URL and the credentials'
      );
    if (target.protocol === 'https:' && from.protocol === 'http:' && target.hostname === from.hostname)
      return (
        `${line(res)} answered ${s} Location ${target.href}: use https://, ` +
        `e.g. CUSTOMER_API_BASE_URL=${cfg.baseUrl.replace(/^http:/, 'https:')}`
      );
    return (
      `${line(res)} answered ${s} Location ${target.href}: the service is elsewhere (or behind a login); ` +
      'set CUSTOMER_API_BASE_URL to the service root it names'
    );
  }
  const ct = oneLine(cut(res.headers['content-type'] ?? '', 100));
  if (isHtml(res))
    return (
      `${line(res)} answered an HTML page (status ${s}): a login, proxy or maintenance page, not the Customer API; ` +
      'check CUSTOMER_API_BASE_URL and the network path'
    );
  if (s === 407)
    return (
      `${line(res)} answered 407: a proxy wants credentials; ` +
      'set HTTPS_PROXY / HTTP_PROXY with them, or NO_PROXY for this host'
    );
  if (GATEWAY_STATUSES.has(s))
    return (
      `${line(res)} answered ${s}` +
      `${res.headers['retry-after'] ? ` (Retry-After ${oneLine(cut(res.headers['retry-after'], 40))})` : ''}` +
      ` after ${res.exchange.attempts} attempt(s): the service is not available; try again later`
    );
  if (s >= 200 && s < 300 && res.text.length > 0 && (!isJsonContentType(ct) || res.json === undefined))
    return (
      `${line(res)} answered ${s} with a body that is not JSON (${ct || 'no Content-Type'}): ` +
      'not the Customer API; check CUSTOMER_API_BASE_URL'
    );
  return undefined;
}

/** A probe that got no answer: the cause and the fix (TLS, DNS, refused, timeout). */
function noAnswer(cfg: Config, err: TransportError): string {
  const m = err.message;
  const c = err.code;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(c))
    return (
      `the TLS certificate of ${new URL(cfg.baseUrl).host} is not trusted (${c}); ` +
      "if a company proxy or a private CA signs it, set NODE_EXTRA_CA_CERTS to that CA's PEM file"
    );
  if (/EPROTO|WRONG_VERSION|ERR_SSL/.test(c) && cfg.baseUrl.startsWith('https:'))
    return `${new URL(cfg.baseUrl).host} does not speak TLS there (${c}): use http://, or the port that serves https`;
  if (/ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(c) && cfg.baseUrl.startsWith('http:'))
    return `${m}; a target that speaks TLS closes plain HTTP connections like this: use https://`;
  if (/^no complete response/.test(m)) return `${m}; check that the target is up, or raise CUSTOMER_API_TIMEOUT_MS`;
  return `${m}; check CUSTOMER_API_BASE_URL and the network`;
}

/** One probe, tried a second time when it got no answer (one slow or dropped answer says nothing yet). */
async function probe(cfg: Config, fn: () => Promise<ApiResponse>): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      // refused or unknown hosts and TLS mistakes do not pass by themselves
      if (
        attempt >= 2 ||
        /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|ERR_SSL/.test(err.code)
      )
        throw new EnvironmentError(`cannot use the target: ${noAnswer(cfg, err)}`);
    }
  }
}

/** GET of a random UUID: the API answers 404 (or 400) with JSON; what else it may answer says what is wrong. */
async function readUnknown(cfg: Config, api: CustomerApi, as: Caller): Promise<ApiResponse> {
  const res = await probe(cfg, () => api.get(randomUUID(), as));
  const foreign = foreignAnswer(cfg, res);
  if (foreign) throw new EnvironmentError(foreign);
  if (res.status === 401) {
    if (as === 'other')
      throw new EnvironmentError(
        `CUSTOMER_API_OTHER_KEY is rejected (401) by ${root(cfg)}; set the other entity's valid (unexpired) key, ` +
          'or unset the CUSTOMER_API_OTHER_* variables to skip the other-entity checks',
      );
    throw new EnvironmentError(
      `the target at ${root(cfg)} refused the configured credentials (status 401); ` +
        'check CUSTOMER_API_USER_ID, CUSTOMER_API_KEY and CUSTOMER_API_AUTH (API keys expire after a year)',
    );
  }
  return res;
}

/**
 * The first create: it must answer a customer (or a refusal the contract can judge); the customer is deleted at
 * once.
 */
async function createOne(
  cfg: Config,
  api: CustomerApi,
  read: ApiResponse,
  o: NonNullable<PreflightOptions['create']>,
): Promise<void> {
  const data = new CustomerFactory({
    seed: cfg.seed,
    entityId: cfg.main.entityId,
    markerField: cfg.markerField,
    marker: o.marker,
    languages: cfg.languages,
  });
  const res = await probe(cfg, () => api.create(data.valid()));
  const foreign = foreignAnswer(cfg, res);
  if (foreign) throw new EnvironmentError(foreign);
  const id = (res.json as { id?: unknown } | undefined)?.id;
  if (res.status >= 200 && res.status < 300 && typeof id === 'string') {
    await api.delete(id).catch(() => undefined); // not deleted now: the ledger has it for the end-of-run pass
    return;
  }
  const both = `GET ${read.status}, POST ${res.status}`;
  if (res.status === 401)
    throw new EnvironmentError(
      `the target refused the configured credentials for a create (401) though it accepted them for a read; ` +
        `check that the key may write customers (CUSTOMER_API_KEY)`,
    );
  if (res.status === 403 && read.status === 403)
    throw new EnvironmentError(
      `every request is refused (403: ${both}): the credentials act for another organisation, ` +
        'or lack the Customer API permission; check CUSTOMER_API_USER_ID and CUSTOMER_API_KEY',
    );
  if (res.status === 403)
    throw new EnvironmentError(
      `CUSTOMER_API_ENTITY_ID ${cfg.main.entityId} is refused (403) for these credentials; ${ENTITY_FIX}`,
    );
  if (
    (res.status === 404 || res.status === 405) &&
    (read.status === 404 || read.status === 405) &&
    !isErrorShaped(read)
  )
    throw new EnvironmentError(
      `every path answers ${res.status} (${both}, neither the API's error body): check the service root; ` +
        `the suite appends ${cfg.resourcePath} to CUSTOMER_API_BASE_URL=${cfg.baseUrl}`,
    );
  if (res.status === 404 || res.status === 405)
    throw new EnvironmentError(
      `a create (POST ${cfg.baseUrl}${cfg.resourcePath}) answered ${res.status}: not the Customer API's collection; ` +
        `check the service root (the suite appends ${cfg.resourcePath}) and CUSTOMER_API_RESOURCE_PATH`,
    );
  if (res.status === 400 && read.status === 400 && !isErrorShaped(res) && !isErrorShaped(read))
    throw new EnvironmentError(
      `every request is refused (400: ${both}) with a body that is not the API's error body: a gateway ` +
        'asking for something else (a header, another key)? check CUSTOMER_API_BASE_URL and CUSTOMER_API_AUTH',
    );
  if (res.status >= 500 && read.status >= 500)
    throw new EnvironmentError(
      `every request answers ${res.status} (${both}): the service is down or in maintenance; try again later`,
    );
  // any other answer (400, 500, a customer without an id) is the product's: the checks judge it
}

/** The API's own error body: JSON with an integer code and a message. */
function isErrorShaped(res: ApiResponse): boolean {
  const b = res.json as { code?: unknown; message?: unknown } | undefined;
  return (
    isJsonContentType(res.headers['content-type']) &&
    typeof b === 'object' &&
    b !== null &&
    Number.isInteger(b.code) &&
    typeof b.message === 'string'
  );
}

/** The three probes; an EnvironmentError when the environment, not the product, is what answers. */
export async function preflight(cfg: Config, o: PreflightOptions = {}): Promise<Preflight> {
  const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: 1, connections: 1 });
  const api = new CustomerApi(http, cfg, redactorFor(cfg), o.create?.ledger ?? new Ledger());
  try {
    const read = await readUnknown(cfg, api, 'main');
    if (cfg.other) await readUnknown(cfg, api, 'other');
    if (o.create) await createOne(cfg, api, read, o.create);
    return { deploymentVersion: cfg.versionHeader ? read.headers[cfg.versionHeader.toLowerCase()] : undefined };
  } finally {
    await http.destroy();
  }
}
