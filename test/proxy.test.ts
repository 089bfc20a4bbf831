// Behind a proxy: a run sends every request through HTTP_PROXY (a loopback forward proxy in front of the
// reference target counts what passes), and none through it when NO_PROXY names the target's host.
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { HttpClient, proxySettings } from '../helpers/client/http.ts';
import { remoteEnv, runCli } from './support/cli.ts';

interface Proxy {
  url: string;
  /** absolute-form requests forwarded, and CONNECT tunnels opened */
  forwarded: number;
  tunnels: number;
  close(): Promise<void>;
}

/** A forward proxy on loopback: absolute-form requests forwarded as they are, CONNECT tunnelled. */
async function startProxy(): Promise<Proxy> {
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    const path = (req.url ?? '').slice(target.origin.length) || '/';
    proxy.forwarded++;
    const out = request(
      // on to the target in origin-form, the path as written
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  server.on('connect', (req, socket, head) => {
    proxy.tunnels++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy: Proxy = {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    forwarded: 0,
    tunnels: 0,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
  return proxy;
}

describe('proxy settings', () => {
  test('lower-case first, HTTPS_PROXY or HTTP_PROXY needed, NO_PROXY kept', () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ NO_PROXY: 'x' })).toBeUndefined();
    expect(proxySettings({ HTTP_PROXY: 'http://a:1', http_proxy: 'http://b:2', NO_PROXY: 'h' })).toEqual({
      httpProxy: 'http://b:2',
      httpsProxy: undefined,
      noProxy: 'h',
    });
    expect(proxySettings({ https_proxy: ' http://c:3 ' })?.httpsProxy).toBe('http://c:3');
  });
});

describe('a run behind a proxy', () => {
  let target: RunningTarget;
  let proxy: Proxy;

  beforeAll(async () => {
    [target, proxy] = await Promise.all([startTarget(), startProxy()]);
  });
  afterAll(async () => {
    await Promise.all([target?.close(), proxy?.close()]);
  });

  test('HttpClient: through the proxy when told, direct when NO_PROXY names the host', async () => {
    const before = proxy.forwarded;
    const via = new HttpClient({ timeoutMs: 5000, retries: 0, env: { HTTP_PROXY: proxy.url } });
    const ex = await via.send({ method: 'GET', url: `${target.url}/`, headers: {} });
    await via.close();
    expect(ex.response).toBeDefined();
    expect(proxy.forwarded).toBe(before + 1);
    const host = new URL(target.url).hostname;
    const direct = new HttpClient({ timeoutMs: 5000, retries: 0, env: { HTTP_PROXY: proxy.url, NO_PROXY: host } });
    await direct.send({ method: 'GET', url: `${target.url}/`, headers: {} });
    await direct.close();
    expect(proxy.forwarded).toBe(before + 1);
  });

  test('HTTP_PROXY: every request of the run goes through it, and the run passes', async () => {
    const before = proxy.forwarded + proxy.tunnels;
    const run = await runCli(['--only', 'smoke'], { ...remoteEnv(target.url), HTTP_PROXY: proxy.url });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(proxy.forwarded + proxy.tunnels - before).toBeGreaterThan(0);
  }, 120_000);

  test('NO_PROXY naming the target host: nothing goes through the proxy', async () => {
    const before = proxy.forwarded + proxy.tunnels;
    const host = new URL(target.url).hostname;
    const run = await runCli(['--only', 'smoke'], { ...remoteEnv(target.url), HTTP_PROXY: proxy.url, NO_PROXY: host });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(proxy.forwarded + proxy.tunnels).toBe(before);
  }, 120_000);
});
