// The Customer API client: typed create / get / update / delete / list over the HTTP layer, with
// authentication per call, the field map applied both ways, and every created id put in the ledger.
import type { Config, Credentials } from './config.ts';
import { toCurl } from './curl.ts';
import { FieldMap } from './fieldmap.ts';
import type { AuthTag, Exchange, HttpClient, HttpRequest } from './http.ts';
import type { Ledger } from './ledger.ts';
import type { Redactor } from './redact.ts';

/** Who sends the request: the main or other configured credentials, or an explicit Authorization value (or none). */
export type Principal = 'main' | 'other' | { authorization?: string };

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** parsed JSON with the field map applied, undefined when the body is not JSON */
  json: unknown;
  exchange: Exchange;
  curl: string;
}

export interface SendOptions {
  method: string;
  /** appended to the resource path as written: '' for the collection, '/<id>' for an item */
  path?: string;
  /** an object (serialised, field-mapped) or { raw } sent byte for byte */
  body?: unknown;
  as?: Principal;
  headers?: Record<string, string>;
}

export const raw = (text: string) => ({ raw: text });
const isRaw = (b: unknown): b is { raw: string } => typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1;

export function basicHeader(userId: string, key: string): string {
  return `Basic ${Buffer.from(`${userId}:${key}`).toString('base64')}`;
}

export class CustomerApi {
  readonly fieldMap: FieldMap;

  constructor(
    private readonly http: HttpClient,
    readonly cfg: Config,
    private readonly redactor: Redactor,
    private readonly ledger: Ledger,
    /** sees every response, e.g. for the checks that apply to all of them */
    private readonly onResponse?: (res: ApiResponse) => void,
  ) {
    this.fieldMap = new FieldMap(cfg.fieldMap);
  }

  get collectionUrl(): string {
    return this.cfg.baseUrl + this.cfg.resourcePath;
  }

  private credentials(as: 'main' | 'other'): Credentials {
    const c = as === 'main' ? this.cfg.main : this.cfg.other;
    if (!c) throw new Error('the other-entity credentials are not configured (CUSTOMER_API_OTHER_*)');
    return c;
  }

  private authorize(as: Principal): { header?: string; tag: AuthTag } {
    if (typeof as === 'object') return as.authorization === undefined ? { tag: { kind: 'none' } } : { header: as.authorization, tag: { kind: 'literal', value: as.authorization } };
    const c = this.credentials(as);
    if (this.cfg.auth === 'bearer') return { header: `Bearer ${c.key}`, tag: { kind: 'bearer-env', prefix: c.envPrefix } };
    return { header: basicHeader(c.userId, c.key), tag: { kind: 'basic-env', prefix: c.envPrefix } };
  }

  async send(o: SendOptions): Promise<ApiResponse> {
    const auth = this.authorize(o.as ?? 'main');
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (auth.header !== undefined) headers.authorization = auth.header;
    let body: string | undefined;
    if (isRaw(o.body)) body = o.body.raw;
    else if (o.body !== undefined) body = JSON.stringify(this.fieldMap.outgoing(o.body));
    const req: HttpRequest = { method: o.method, url: this.collectionUrl + (o.path ?? ''), headers, body, auth: auth.tag };
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
    const out: ApiResponse = { status: res.status, headers: res.headers, text: res.body, json, exchange, curl: '' };
    Object.defineProperty(out, 'curl', { get: () => toCurl(req, this.redactor), enumerable: true });
    this.onResponse?.(out);
    return out;
  }

  async create(body: unknown, as: Principal = 'main'): Promise<ApiResponse> {
    const res = await this.send({ method: 'POST', body, as });
    const id = (res.json as { id?: unknown } | undefined)?.id;
    if (res.status >= 200 && res.status < 300 && typeof id === 'string') this.ledger.created(id);
    return res;
  }

  get(id: string, as: Principal = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send({ method: 'GET', path: `/${id}`, as, headers });
  }

  update(id: string, body: unknown, as: Principal = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send({ method: this.cfg.updateMethod, path: `/${id}`, body, as, headers });
  }

  async delete(id: string, as: Principal = 'main', headers?: Record<string, string>): Promise<ApiResponse> {
    const res = await this.send({ method: 'DELETE', path: `/${id}`, as, headers });
    // a 404 for other credentials may only mean "not yours" (403 vs 404 is a deployment choice)
    if ((res.status >= 200 && res.status < 300) || (res.status === 404 && as === 'main')) this.ledger.deleted(id);
    return res;
  }

  list(search: string, as: Principal = 'main'): Promise<ApiResponse> {
    return this.send({ method: 'GET', path: `?search=${encodeURIComponent(search)}`, as });
  }
}
