// The HTTP client against answers no real server should give: endless bodies, trickling bodies.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, test } from 'vitest';
import { HttpClient, TransportError } from '../../helpers/client/http.ts';

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  if (req.url === '/endless') {
    const chunk = Buffer.alloc(1 << 20, 'a');
    const more = () => {
      while (res.write(chunk)) if (res.destroyed) return;
      res.once('drain', more);
    };
    more();
  } else {
    // one byte every 100 ms, for ever
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), 100);
  }
});
const url = await new Promise<string>((r) =>
  server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
);
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

test('an endless body is cut off at 16 MB, naming the request', async () => {
  const http = new HttpClient({ timeoutMs: 20_000, retries: 0 });
  const err = await http.send({ method: 'GET', url: `${url}/endless`, headers: {} }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransportError);
  expect((err as Error).message).toMatch(
    /^a response body larger than 16 MB to GET http:\/\/127\.0\.0\.1:\d+\/endless/,
  );
  await http.destroy();
});

test('a body that trickles for ever ends at the deadline', async () => {
  const http = new HttpClient({ timeoutMs: 500, retries: 2 });
  const t0 = Date.now();
  const err = await http.send({ method: 'GET', url: `${url}/trickle`, headers: {} }).catch((e: unknown) => e);
  expect((err as Error).message).toMatch(/^no complete response within 500 ms/);
  expect(Date.now() - t0).toBeLessThan(3_000);
  await http.destroy();
});
