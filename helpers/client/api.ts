// The Customer API client: typed create / get / update / delete / list over the HTTP layer, with
// authentication per call, the field map applied both ways, and every created id put in the ledger.
import { cut, oneLine } from './text.ts';
import { markerFields, type Config, type Credentials } from '../run/config.ts';
import { field as fieldRule } from '../../fixtures/contract/fields.ts';
import { toCurl } from './curl.ts';
import { FieldMap } from './fieldmap.ts';
import { at } from './json-path.ts';
import { backoffMs, isReset, TransportError } from './http.ts';
import type { AuthTag, Exchange, HttpClient, HttpRequest } from './http.ts';
import { sleep } from './time.ts';
import type { Ledger } from '../run/ledger.ts';
import type { Redactor } from './redact.ts';

/** Who sends the request: the main or other configured credentials, or an explicit Authorization value (or none). */
export type Caller = 'main' | 'other' | { authorization?: string };

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

export interface SendOptions {
  method: string;
  /** appended to the resource path as written: '' for the collection, '/<id>' for an item */
  path?: string;
  /** an object (serialised, field-mapped) or { raw } sent byte for byte */
  body?: unknown;
  as?: Caller;
  headers?: Record<string, string>;
  /** may be sent again on a reset or 429/503 (default: by method) */
  idempotent?: boolean;
  /** hand the response to the onResponse observer (default true; false for an answer that is retried) */
  observe?: boolean;
}

export const raw = (text: string) => ({ raw: text });
const isRaw = (b: unknown): b is { raw: string } =>
  typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1;
/** A body sent byte for byte, e.g. one that is not valid UTF-8 (reports show its lossy decoding). */
export const rawBytes = (bytes: Uint8Array) => ({ bytes });
const isBytes = (b: unknown): b is { bytes: Uint8Array } =>
  typeof b === 'object' &&
  b !== null &&
  'bytes' in b &&
  (b as { bytes: unknown }).bytes instanceof Uint8Array &&
  Object.keys(b).length === 1;

type Obj = Record<string, unknown>;

/** The run marker at the start of every value the suite stamps (`conformance-<run id>`). */
export const MARKER_RE = /^conformance-[0-9a-f]{8}\b/;

/** The result of a list search through every page: the customers, or why the target could not list them. */
export type Listing = { items: Obj[] } | { unavailable: string; res?: ApiResponse };

export type Removed = { res: ApiResponse; /** known to be gone (see CustomerApi.delete) */ gone: boolean };

/** No create may be sent any more: an earlier one was answered without a usable customer. */
export class CreatesStopped extends Error {
  override name = 'CreatesStopped';
}

/** The credential of HTTP Basic authentication: base64 of `user:key`. */
export const basicCredential = (userId: string, key: string) => Buffer.from(`${userId}:${key}`).toString('base64');

export function basicHeader(userId: string, key: string): string {
  return `Basic ${basicCredential(userId, key)}`;
}

export class CustomerApi {
  readonly fieldMap: FieldMap;
  /** customers this client created (or found after a create it could not read) and has not seen deleted */
  private readonly mine = new Set<string>();

  constructor(
    private readonly http: HttpClient,
    readonly cfg: Config,
    private readonly redactor: Redactor,
    private readonly ledger: Ledger,
    /** sees every response, e.g. for the checks that apply to all of them */
    private readonly onResponse?: (res: ApiResponse) => void,
    private readonly opts: {
      /** the run marker, kept in every create and update body (see `marked`) */
      marker?: string;
      /** why no more creates may be sent (a create was answered without a usable customer) */
      createsStopped?: () => string | undefined;
      /** a create answered 2xx without a usable customer */
      onUnusableCreate?: (res: ApiResponse) => void;
    } = {},
  ) {
    this.fieldMap = new FieldMap(cfg.fieldMap);
  }

  /**
   * A body whose marker field no longer carries the run marker (the row under test removed or replaced it)
   * gets the marker in the second marker field, in place, so the customer stays findable by marker.
   */
  private marked<T>(body: T): T {
    const marker = this.opts.marker;
    if (!marker || body === null || typeof body !== 'object' || Array.isArray(body) || isRaw(body) || isBytes(body))
      return body;
    const [field, fallback] = markerFields(this.cfg);
    const carries = (f: string) => String(at(body, f) ?? '').startsWith(marker);
    if (carries(field) || carries(fallback)) return body;
    const [group, name] = fallback.split('.') as [string, string];
    const obj = body as Obj;
    const g = obj[group];
    const target = g !== null && typeof g === 'object' && !Array.isArray(g) ? (g as Obj) : (obj[group] = {});
    const current = typeof target[name] === 'string' ? ` ${target[name] as string}` : '';
    // up to one below the field's maximum, as the factory stamps the first marker field
    target[name] = `${marker}${current}`.slice(0, (fieldRule(fallback).maxLength ?? 40) - 1).trim();
    return body;
  }

  get collectionUrl(): string {
    return this.cfg.baseUrl + this.cfg.resourcePath;
  }

  private credentials(as: 'main' | 'other'): Credentials {
    const c = as === 'main' ? this.cfg.main : this.cfg.other;
    if (!c) throw new Error('the other-entity credentials are not configured (CUSTOMER_API_OTHER_*)');
    return c;
  }

  private authorize(as: Caller): { header?: string; tag: AuthTag } {
    if (typeof as === 'object')
      return as.authorization === undefined
        ? { tag: { kind: 'none' } }
        : { header: as.authorization, tag: { kind: 'literal', value: as.authorization } };
    const c = this.credentials(as);
    if (this.cfg.auth === 'bearer')
      return { header: `Bearer ${c.key}`, tag: { kind: 'bearer-env', prefix: c.envPrefix } };
    return { header: basicHeader(c.userId, c.key), tag: { kind: 'basic-env', prefix: c.envPrefix } };
  }

  async send(o: SendOptions): Promise<ApiResponse> {
    const auth = this.authorize(o.as ?? 'main');
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (auth.header !== undefined) headers.authorization = auth.header;
    let body: string | undefined;
    let bodyBytes: Uint8Array | undefined;
    if (isBytes(o.body)) {
      bodyBytes = o.body.bytes;
      body = Buffer.from(bodyBytes).toString('utf8');
    } else if (isRaw(o.body)) body = o.body.raw;
    else if (o.body !== undefined) body = JSON.stringify(this.fieldMap.outgoing(o.body));
    const req: HttpRequest = {
      method: o.method,
      url: this.collectionUrl + (o.path ?? ''),
      headers,
      body,
      bodyBytes,
      auth: auth.tag,
      idempotent: o.idempotent,
    };
    const exchange = await this.http.send(req);
    const res = exchange.response!;
    let json: unknown;
    if (res.body.length > 0) {
      try {
        json = this.fieldMap.incoming(JSON.parse(res.body));
      } catch {
        json = undefined;
      }
    }
    const out = { status: res.status, headers: res.headers, text: res.body, json, exchange, curl: '' } as ApiResponse;
    Object.defineProperty(out, 'curl', { get: () => toCurl(req, this.redactor), enumerable: true });
    Object.defineProperty(out, 'safeText', { get: () => this.redactor.text(res.body), enumerable: false });
    if (o.observe !== false) this.onResponse?.(out);
    return out;
  }

  /**
   * Creates a customer. A create is never repeated blindly: when its outcome is unknown (the connection
   * closed or timed out before a complete answer) or the target answered 429/503, the run's customers are
   * looked up by marker first. One found carrying this body's marker value goes into the ledger (the run
   * deletes it) and the create is not repeated; when none is found, a reset or a 429/503 is retried (up to
   * CUSTOMER_API_RETRIES times, honouring Retry-After). A timeout is not retried (the target may still be
   * working on it; the run's final sweep by marker finds it), and without a usable list endpoint nothing is.
   */
  async create(body: unknown, as: Caller = 'main'): Promise<ApiResponse> {
    const stopped = this.opts.createsStopped?.();
    if (stopped) throw new CreatesStopped(stopped);
    for (let attempt = 1; ; attempt++) {
      let res: ApiResponse | undefined;
      let failure: TransportError | undefined;
      try {
        res = await this.send({ method: 'POST', body: this.marked(body), as, idempotent: false, observe: false });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        failure = e;
      }
      if (res && res.status !== 429 && res.status !== 503) {
        const id = (res.json as { id?: unknown } | undefined)?.id;
        if (res.status >= 200 && res.status < 300 && typeof id === 'string') this.recordCreated(id);
        else if (res.status >= 200 && res.status < 300) this.opts.onUnusableCreate?.(res);
        this.onResponse?.(res);
        return res;
      }
      const found = await this.findUnrecorded(body, as);
      for (const id of found ?? []) this.recordCreated(id);
      const afterReset = failure && isReset(failure) ? backoffMs(attempt) : undefined;
      const wait = failure ? afterReset : this.http.comeBackAfter(res!.exchange.response!, attempt);
      if (found === undefined || found.length > 0 || wait === undefined || attempt > this.cfg.retries) {
        if (failure) throw failure;
        this.onResponse?.(res!);
        return res!;
      }
      await sleep(wait);
    }
  }

  private recordCreated(id: string): void {
    this.mine.add(id);
    this.ledger.created(id);
  }

  /** Customers this client created and has not seen deleted (with the main credentials, or any 2xx). */
  get outstanding(): string[] {
    return [...this.mine];
  }

  /**
   * Customers carrying this body's marker value that this process has not recorded: what a create whose
   * answer was lost made. Undefined when that cannot be told (no marker in the body, or no usable list).
   */
  async findUnrecorded(body: unknown, as: Caller = 'main'): Promise<string[] | undefined> {
    let parsed: unknown = body;
    if (isRaw(body)) {
      try {
        parsed = JSON.parse(body.raw);
      } catch {
        return undefined;
      }
    }
    // the marker field that carries the marker in this body (the second one when a row replaced the first)
    const field = markerFields(this.cfg).find((f) => MARKER_RE.test(String(at(parsed, f) ?? '')));
    const value = field === undefined ? undefined : (at(parsed, field) as string);
    const marker = value === undefined ? undefined : MARKER_RE.exec(value)?.[0];
    if (!field || !marker) return undefined;
    const listing = await this.listAll(this.markerSearch(marker, field), as === 'other' ? 'other' : 'main').catch(
      () => undefined,
    );
    if (!listing || !('items' in listing)) return undefined;
    const unrecorded = (c: Obj) => at(c, field) === value && typeof c.id === 'string' && !this.ledger.knows(c.id);
    return listing.items.filter(unrecorded).map((c) => c.id as string);
  }

  /** The RSQL search for every customer whose marker field (or `field`) starts with `prefix` (e.g. `conformance-` or a run's marker). */
  markerSearch(prefix: string, field = this.cfg.markerField): string {
    return `${this.fieldMap.deployedPath(field)}==${prefix}*`;
  }

  /** Every customer a search finds, page by page (pages of 100, at most `maxPages`). */
  async listAll(search: string, as: Caller = 'main', maxPages = 20): Promise<Listing> {
    const items: Obj[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const res = await this.list(search, as, { page, size: 100 });
      if (res.status !== 200 || !Array.isArray(res.json))
        return {
          unavailable: `the list endpoint answered status ${res.status}${res.status === 200 ? ' without a JSON array' : ''}`,
          res,
        };
      const rows = (res.json as unknown[]).filter(
        (x): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x),
      );
      items.push(...rows);
      if (res.json.length < 100) break;
    }
    return { items };
  }

  get(id: string, as: Caller = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send({ method: 'GET', path: `/${id}`, as, headers });
  }

  /** An update replaces (or merges) the whole record: repeating it changes nothing more, so it may be retried. */
  update(id: string, body: unknown, as: Caller = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send({
      method: this.cfg.updateMethod,
      path: `/${id}`,
      body: this.marked(body),
      as,
      headers,
      idempotent: true,
    });
  }

  /**
   * Deletes a customer. It counts as deleted (and leaves the ledger) on 204, or on 404 to the main
   * credentials (a 404 to the other ones may only mean "not yours"); on any other 2xx only when a get then
   * answers 404. Otherwise the id stays in the ledger, to be tried again and reported.
   */
  async delete(id: string, as: Caller = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    return (await this.remove(id, as, headers)).res;
  }

  /** A delete, and whether the customer is known to be gone (see `delete`). */
  async remove(id: string, as: Caller = 'main', headers?: Record<string, string>): Promise<Removed> {
    const res = await this.send({ method: 'DELETE', path: `/${id}`, as, headers });
    const gone =
      res.status === 204 ||
      (res.status === 404 && as === 'main') ||
      (res.status >= 200 && res.status < 300 && (await this.confirmGone(id)));
    if (gone) {
      this.ledger.deleted(id);
      this.mine.delete(id);
    }
    return { res, gone };
  }

  /** Does a get (with the main credentials) now answer 404? Not judged: only the ledger's question. */
  private async confirmGone(id: string): Promise<boolean> {
    const res = await this.send({ method: 'GET', path: `/${id}`, observe: false }).catch(() => undefined);
    return res?.status === 404;
  }

  list(search: string, as: Caller = 'main', page?: { page: number; size: number }): Promise<ApiResponse> {
    const paging = page ? `&page_number=${page.page}&page_size=${page.size}` : '';
    return this.send({ method: 'GET', path: `?search=${encodeURIComponent(search)}${paging}`, as });
  }
}

/** Describes a response for a failure message: the target's text as inert data, on one line, cut. */
export function describeResponse(res: ApiResponse): string {
  const ct = res.headers['content-type'];
  // masked before it is cut, so no part of a secret the target echoed reaches a report
  return `status ${res.status}${ct ? ` (${oneLine(cut(ct, 100))})` : ''}${res.text ? `, body ${oneLine(cut(res.safeText ?? res.text))}` : ', empty body'}`;
}
