// Loopback servers that stand where a target should be: a programmable HTTP(S) server, and a proxy in
// front of a real target that can turn hostile after a number of requests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget, type RunningTarget } from '../../fixtures/target/server.ts';

export interface Served {
  url: string;
  /** requests answered so far */
  readonly requests: number;
  close(): Promise<void>;
}

/** Answers one request: `n` counts requests from 1, `body` is the request body as received. */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number, body: Buffer) => void | Promise<void>;

/** A self-signed certificate for 127.0.0.1, made with openssl. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

/** Serves `handler` on a free loopback port (over TLS with a self-signed certificate when `tls`). */
export async function serve(handler: Handler, opts: { tls?: boolean } = {}): Promise<Served> {
  let requests = 0;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const n = ++requests;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void Promise.resolve(handler(req, res, n, Buffer.concat(chunks))).catch(() => res.destroy()));
  };
  const server = opts.tls ? createTlsServer(selfSigned(), listener) : createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Answers every request with this status, headers and body. */
export const always =
  (status: number, headers: Record<string, string>, body = ''): Handler =>
  (_req, res) => {
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  };

/**
 * Forwards to `target` until `after` requests have passed, then answers with `then` (a revoked key, a gateway
 * gone bad).
 */
export function proxyThen(target: string, after: number, then: Handler): Handler {
  return async (req, res, n, sent) => {
    if (n > after) return then(req, res, n, sent);
    const headers0 = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
    ) as Record<string, string>;
    const r = await fetch(target + req.url, {
      method: req.method,
      headers: headers0,
      body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : new Uint8Array(sent),
    });
    const body = Buffer.from(await r.arrayBuffer());
    const headers: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) headers[k] = v;
    });
    res.writeHead(r.status, { ...headers, 'Content-Length': String(body.length) });
    res.end(body);
  };
}

/**
 * A reference target behind a proxy: `intercept` answers the requests it wants to (returning true), the
 * proxy forwards the rest. `fn` runs with both; both are closed after it.
 */
export async function behindProxy(
  intercept: (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    target: RunningTarget,
  ) => boolean | Promise<boolean>,
  fn: (proxy: Served, target: RunningTarget) => Promise<void>,
): Promise<void> {
  const target = await startTarget();
  const forward = proxyThen(target.url, Infinity, () => undefined);
  const proxy = await serve(async (req, res, n, body) => {
    if (!(await intercept(req, res, body, target))) await forward(req, res, n, body);
  });
  try {
    await fn(proxy, target);
  } finally {
    await proxy.close();
    await target.close();
  }
}
