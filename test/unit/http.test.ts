// The HTTP layer against real loopback servers: deadlines, retries where safe, Retry-After, recording.
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { HttpClient, TransportError, retryAfterMs, type Exchange } from '../../helpers/client/http.ts';
import { record, withExchangeSink } from '../../helpers/client/recorder.ts';
import { ROOT } from '../support/cli.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
const servers: { close(): void; closeAllConnections(): void }[] = [];

async function serve(handler: Handler): Promise<string> {
  let n = 0;
  const s = createServer((req, res) => handler(req, res, ++n));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

describe('HttpClient', () => {
  test('a hung target fails the request at the deadline, naming the timeout and the request', async () => {
    const url = await serve(() => undefined);
    const http = new HttpClient({ timeoutMs: 300, retries: 2 });
    const t0 = Date.now();
    const err = await http.send({ method: 'GET', url: `${url}/v2/customer/x`, headers: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(
      new RegExp(
        'no complete response within 300 ms \\(CUSTOMER_API_TIMEOUT_MS\\) ' +
          'to GET http:\\/\\/127\\.0\\.0\\.1:\\d+\\/v2\\/customer\\/x',
      ),
    );
    expect(Date.now() - t0).toBeLessThan(2500);
    await http.destroy();
  });

  test('429 and 503 are retried after Retry-After; the exchange records the attempts', async () => {
    const url = await serve((_q, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '0' }).end('{}');
      else if (n === 2) res.writeHead(503, { 'retry-after': '0' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const http = new HttpClient({ timeoutMs: 2000, retries: 2 });
    const ex = await http.send({ method: 'GET', url, headers: {} });
    expect(ex.response?.status).toBe(200);
    expect(ex.attempts).toBe(3);
    await http.close();
  });

  test('retries stop at the configured bound and the last answer stands', async () => {
    const url = await serve((_q, res) => res.writeHead(503, { 'retry-after': '0' }).end('{}'));
    const http = new HttpClient({ timeoutMs: 2000, retries: 1 });
    const ex = await http.send({ method: 'GET', url, headers: {} });
    expect([ex.response?.status, ex.attempts]).toEqual([503, 2]);
    await http.close();
  });

  test('a dropped connection is retried for GET but never for a create (POST)', async () => {
    let hits = 0;
    const url = await serve((req, res, n) => {
      hits++;
      if (n === 1 || req.method === 'POST') req.socket.destroy();
      else res.writeHead(200).end('{}');
    });
    const http = new HttpClient({ timeoutMs: 2000, retries: 2 });
    expect((await http.send({ method: 'GET', url, headers: {} })).response?.status).toBe(200);
    hits = 0;
    await expect(http.send({ method: 'POST', url, headers: {}, body: '{}' })).rejects.toBeInstanceOf(TransportError);
    expect(hits).toBe(1);
    await http.destroy();
  });

  test('paths go on the wire as written; connections are reused', async () => {
    const seen: { url?: string; port?: number }[] = [];
    const url = await serve((req, res) => {
      seen.push({ url: req.url, port: req.socket.remotePort });
      res.end('{}');
    });
    const http = new HttpClient({ timeoutMs: 2000, retries: 0, connections: 1 });
    await http.send({ method: 'GET', url: `${url}/v2/customer/%2F..%2Fetc`, headers: {} });
    await http.send({ method: 'GET', url: `${url}/v2/customer/a/../b`, headers: {} });
    expect(seen.map((s) => s.url)).toEqual(['/v2/customer/%2F..%2Fetc', '/v2/customer/a/../b']);
    expect(seen[0]!.port).toBe(seen[1]!.port);
    await http.close();
  });

  test('an interim answer is passed over for the final one; repeated headers joined, names in lower case', async () => {
    const url = await serve((_q, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.setHeader('X-Trace', ['a', 'b']);
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":404}');
    });
    const http = new HttpClient({ timeoutMs: 2000, retries: 0 });
    const { response } = await http.send({ method: 'GET', url: `${url}/v2/customer/x`, headers: {} });
    expect(response).toMatchObject({ status: 404, body: '{"code":404}' });
    expect(response!.headers).toMatchObject({ 'x-trace': 'a, b', 'content-type': 'application/json' });
    await http.close();
  });

  test('every exchange reaches the sink of the check that sent it', async () => {
    const url = await serve((_q, res) => res.end('{}'));
    const http = new HttpClient({ timeoutMs: 2000, retries: 0, observe: record });
    const a: Exchange[] = [];
    const b: Exchange[] = [];
    await Promise.all([
      withExchangeSink(
        (e) => void a.push(e),
        () => http.send({ method: 'GET', url: `${url}/a`, headers: {} }),
      ),
      withExchangeSink(
        (e) => void b.push(e),
        () => http.send({ method: 'GET', url: `${url}/b`, headers: {} }),
      ),
    ]);
    expect([a.map((e) => e.request.url.slice(-2)), b.map((e) => e.request.url.slice(-2))]).toEqual([['/a'], ['/b']]);
    await http.close();
  });

  test("undici's dispatchers are loaded without its entry (all of undici: 55 to 70 ms of each worker's start)", () => {
    // a process of its own: this one's module cache holds whatever other tests loaded
    const script = `await import('./helpers/client/undici-core.mjs');
      const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((f) => f.includes('/undici/')).map((f) => f.split('/undici/')[1])));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const files = JSON.parse(out) as string[];
    expect(files).toContain('lib/dispatcher/agent.js');
    expect(files).not.toContain('index.js');
    expect(files.filter((f) => f.startsWith('lib/web/') || f.startsWith('lib/mock/'))).toEqual([]);
  });

  test('Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
