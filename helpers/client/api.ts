// The Customer API client: typed create / get / update / delete / list over the HTTP layer, with
// authentication per call (caller.ts), the field map applied both ways, and every created id put in the
// ledger. Its responses are api-response.ts, a create's retries create.ts, the run marker run-marker.ts.
import type { Config } from '../config/config.ts';
import { apiResponse, type ApiResponse } from './api-response.ts';
import { authorize, type Caller } from './caller.ts';
import { createWithRetries, CreatesStopped, type CreateSteps } from './create.ts';
import { FieldMap } from './fieldmap.ts';
import type { HttpClient, HttpRequest } from './http.ts';
import { at } from './json-path.ts';
import { listPages, type Listing } from './listing.ts';
import type { Redactor } from './redact.ts';
import { encodeBody } from './request-body.ts';
import { bodyMarker, markBody } from './run-marker.ts';

/** Where the client notes the customers it creates and sees deleted: the run's ledger (helpers/run/ledger.ts). */
export interface CustomerLog {
  created(id: string): void;
  deleted(id: string): void;
  knows(id: string): boolean;
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

type Obj = Record<string, unknown>;

export type Removed = { res: ApiResponse; /** known to be gone (see CustomerApi.delete) */ gone: boolean };

export class CustomerApi {
  readonly fieldMap: FieldMap;
  /** customers this client created (or found after a create it could not read) and has not seen deleted */
  private readonly mine = new Set<string>();

  constructor(
    private readonly http: HttpClient,
    readonly cfg: Config,
    private readonly redactor: Redactor,
    private readonly ledger: CustomerLog,
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

  /** The body with the run marker kept in it (see markBody). */
  private marked<T>(body: T): T {
    return markBody(body, this.opts.marker, this.cfg);
  }

  get collectionUrl(): string {
    return this.cfg.baseUrl + this.cfg.resourcePath;
  }

  async send(o: SendOptions): Promise<ApiResponse> {
    const auth = authorize(this.cfg, o.as ?? 'main');
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (auth.header !== undefined) headers.authorization = auth.header;
    const { body, bodyBytes } = encodeBody(o.body, this.fieldMap);
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
    const out = apiResponse(req, exchange, this.fieldMap, this.redactor);
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
    return createWithRetries(this.createSteps(), body, as);
  }

  private createSteps(): CreateSteps {
    return {
      post: (body, as) => this.send({ method: 'POST', body: this.marked(body), as, idempotent: false, observe: false }),
      findUnrecorded: (body, as) => this.findUnrecorded(body, as),
      recordCreated: (id) => this.recordCreated(id),
      observe: (res) => this.onResponse?.(res),
      unusable: (res) => this.opts.onUnusableCreate?.(res),
      comeBackAfter: (res, attempt) => this.http.comeBackAfter(res.exchange.response!, attempt),
      retries: this.cfg.retries,
    };
  }

  private recordCreated(id: string): void {
    this.mine.add(id);
    this.ledger.created(id);
  }

  /** `id` is no longer this client's to delete (a check handed it on). */
  forget(id: string): void {
    this.mine.delete(id);
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
    const carried = bodyMarker(body, this.cfg);
    if (!carried) return undefined;
    const { field, value, marker } = carried;
    const listing = await this.listAll(this.markerSearch(marker, field), as === 'other' ? 'other' : 'main').catch(
      () => undefined,
    );
    if (!listing || !('items' in listing)) return undefined;
    const unrecorded = (c: Obj) => at(c, field) === value && typeof c.id === 'string' && !this.ledger.knows(c.id);
    return listing.items.filter(unrecorded).map((c) => c.id as string);
  }

  /**
   * The RSQL search for every customer whose marker field (or `field`) starts with `prefix` (e.g.
   * `conformance-` or a run's marker).
   */
  markerSearch(prefix: string, field = this.cfg.markerField): string {
    return `${this.fieldMap.deployedPath(field)}==${prefix}*`;
  }

  /** Every customer a search finds, page by page (pages of 100, at most `maxPages`). */
  listAll(search: string, as: Caller = 'main', maxPages = 20): Promise<Listing> {
    return listPages((page) => this.list(search, as, page), maxPages);
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
