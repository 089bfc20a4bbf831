// The HTTP layer: one keep-alive undici Agent (an EnvHttpProxyAgent behind a proxy), a per-request deadline,
// bounded retries where they are safe, and a record of every exchange for the reports.
import { Agent, EnvHttpProxyAgent, type Dispatcher } from './undici-core.mjs';
import { sleep } from './time.ts';
import { collect, MAX_RESPONSE_BYTES } from './collect.ts';

export type AuthTag =
  | { kind: 'basic-env'; prefix: string }
  | { kind: 'bearer-env'; prefix: string }
  | { kind: 'literal'; value: string }
  | { kind: 'none' };

export interface HttpRequest {
  method: string;
  /** absolute URL; the path is sent exactly as written (no dot-segment normalisation) */
  url: string;
  headers: Record<string, string>;
  /** the body; with `bodyBytes`, only its display form */
  body?: string;
  /** bytes sent instead of `body`, for bodies that are not valid UTF-8 */
  bodyBytes?: Uint8Array;
  /** how the Authorization header was made, for curl reproductions */
  auth?: AuthTag;
  /**
   * may be sent again when its outcome is unknown (reset) or the target asked to come back (429/503);
   * default by method: GET, HEAD, OPTIONS, PUT, DELETE. A create never is: CustomerApi.create checks first.
   */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Exchange {
  request: HttpRequest;
  response?: HttpResponse;
  /** transport failure (timeout, reset, refused) after the last attempt */
  error?: string;
  startedAt: number;
  durationMs: number;
  attempts: number;
}

/** The target did not answer properly (timeout, connection refused or reset). */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly exchange: Exchange,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  /** told of every exchange, answered or not (a run routes them to the check that sent them) */
  observe?: (ex: Exchange) => void | Promise<void>;
  connections?: number;
  /** each request on a new connection, closed after its answer (`connection: close`) */
  newConnections?: boolean;
  /** cap on one Retry-After wait */
  maxRetryAfterMs?: number;
  /** where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) are read; process.env if not given */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The proxy settings in `env` (lower-case first, as curl and undici read them); undefined: no proxy set. */
export function proxySettings(
  env: Readonly<Record<string, string | undefined>>,
): { httpProxy?: string; httpsProxy?: string; noProxy?: string } | undefined {
  const get = (name: string) => (env[name.toLowerCase()] || env[name] || '').trim() || undefined;
  const s = { httpProxy: get('HTTP_PROXY'), httpsProxy: get('HTTPS_PROXY'), noProxy: get('NO_PROXY') };
  return s.httpProxy || s.httpsProxy ? s : undefined;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown; name?: string }; name?: string };
  for (const c of [e?.cause?.code, e?.code]) if (typeof c === 'string') return c;
  // an aborted deadline is a DOMException (TimeoutError) whose numeric code (23) says nothing
  return e?.cause?.name === 'TimeoutError' ? 'TimeoutError' : (e?.name ?? 'UNKNOWN');
}

export function isUnreachable(err: unknown): boolean {
  return err instanceof TransportError && UNREACHABLE_CODES.has(err.code);
}

/** The connection was closed before a complete response: the request may or may not have been processed. */
export function isReset(err: unknown): boolean {
  return err instanceof TransportError && RESET_CODES.has(err.code);
}

/**
 * The wait before retry number `attempt` (1, 2, …) when nothing says how long: `firstMs`, doubling with
 * each attempt (50 ms after a reset, 100 ms after a 429/503 without Retry-After).
 */
export const backoffMs = (attempt: number, firstMs = 50) => firstMs * 2 ** (attempt - 1);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export class HttpClient {
  private readonly agent: Dispatcher;
  requests = 0;

  constructor(private readonly opts: HttpOptions) {
    const agentOpts = {
      connections: opts.connections ?? 64,
      keepAliveTimeout: 10_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connect: { timeout: Math.min(opts.timeoutMs, 10_000) },
    };
    // behind a proxy every request goes through it, except the hosts NO_PROXY names (given explicitly, so
    // undici does not read process.env on its own)
    const proxy = proxySettings(opts.env ?? process.env);
    this.agent = proxy
      ? new EnvHttpProxyAgent({
          ...agentOpts,
          // as undici reads them: http: through HTTP_PROXY only; https: through HTTPS_PROXY, else HTTP_PROXY
          httpProxy: proxy.httpProxy ?? '',
          httpsProxy: proxy.httpsProxy ?? proxy.httpProxy ?? '',
          noProxy: proxy.noProxy ?? '',
          // http: targets as curl sends them (an absolute-form request to the proxy), https: through CONNECT
          proxyTunnel: false,
        })
      : new Agent(agentOpts);
  }

  async send(req: HttpRequest): Promise<Exchange> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const retryable = req.idempotent ?? IDEMPOTENT.has(req.method.toUpperCase());
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const response = await this.once(req);
        const wait = retryable ? this.retryWait(response, attempts) : undefined;
        if (wait !== undefined) {
          await sleep(wait);
          continue;
        }
        const ex: Exchange = { request: req, response, startedAt, durationMs: performance.now() - t0, attempts };
        await this.opts.observe?.(ex);
        return ex;
      } catch (err) {
        const code = errorCode(err);
        if (retryable && RESET_CODES.has(code) && attempts <= this.opts.retries) {
          await sleep(backoffMs(attempts));
          continue;
        }
        const message = describeTransportError(req, code, this.opts.timeoutMs);
        const ex: Exchange = { request: req, error: message, startedAt, durationMs: performance.now() - t0, attempts };
        await this.opts.observe?.(ex);
        throw new TransportError(message, ex, code);
      }
    }
  }

  /** 429 and 503 on a request that may be repeated: retried honouring Retry-After, within the deadline. */
  private retryWait(res: HttpResponse, attempts: number): number | undefined {
    if (attempts > this.opts.retries) return undefined;
    return this.comeBackAfter(res, attempts);
  }

  /**
   * How long a 429/503 asks the client to wait before trying again (undefined: not such an answer, or too
   * long to wait).
   */
  comeBackAfter(res: HttpResponse, attempts: number): number | undefined {
    if (res.status !== 429 && res.status !== 503) return undefined;
    const hinted = retryAfterMs(res.headers['retry-after']);
    const wait = hinted ?? backoffMs(attempts, 100);
    const cap = Math.min(this.opts.maxRetryAfterMs ?? 30_000, this.opts.timeoutMs);
    return wait > cap ? undefined : wait;
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    this.requests++;
    // the deadline's timer goes with the answer: AbortSignal.timeout would keep each request, and through it
    // the check that sent it, alive for the whole timeout (a soak held tens of thousands of them)
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      this.opts.timeoutMs,
    );
    try {
      return await this.exchangeOnce(req, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchangeOnce(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const u = new URL(req.url);
    // the path goes on the wire as written, so encoded tricks such as %2F.. reach the target intact
    const path = req.url.slice(u.origin.length) || '/';
    return collect(
      this.agent,
      {
        origin: u.origin,
        path,
        method: req.method as 'GET',
        headers: req.body !== undefined ? { 'content-type': 'application/json', ...req.headers } : req.headers,
        body: req.bodyBytes ?? req.body,
        reset: this.opts.newConnections,
      },
      signal,
    );
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

function describeTransportError(req: HttpRequest, code: string, timeoutMs: number): string {
  const what = `${req.method} ${req.url}`;
  if (code === 'RESPONSE_TOO_LARGE')
    return `a response body larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB to ${what}; stopped reading it`;
  if (
    code === 'TimeoutError' ||
    code === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return `no complete response within ${timeoutMs} ms (CUSTOMER_API_TIMEOUT_MS) to ${what}`;
  if (code === 'ECONNREFUSED') return `connection refused by ${new URL(req.url).host} for ${what}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `host ${new URL(req.url).hostname} not found (DNS) for ${what}`;
  if (RESET_CODES.has(code)) return `connection closed by the target before a complete response (${code}) to ${what}`;
  return `request failed (${code}) for ${what}`;
}
