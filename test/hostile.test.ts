// Whatever a hostile target answers, the run leaks no credential in any encoding, into any output.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { remoteEnv, runCli, type CliRun } from './support/cli.ts';
import { serve, type Served } from './support/servers.ts';

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

/** A key with every character that encodings treat apart. */
const KEY = 'k+y/Q=%&<>"x-5b0e7c41d9f2';
const USER = ACCOUNTS.a.userId;
const html = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const others = (s: string, f: (c: string) => string) => s.replace(/[^A-Za-z0-9]/g, f);
const hex = (c: string, w = 2) => c.charCodeAt(0).toString(16).padStart(w, '0');
/** The forms the hostile target echoes, and the scan looks for. */
const FORMS = [
  KEY,
  KEY.toUpperCase(),
  encodeURIComponent(KEY),
  encodeURIComponent(KEY).toLowerCase(),
  new URLSearchParams({ k: KEY }).toString().slice(2),
  html(KEY),
  others(KEY, (c) => `&#${c.charCodeAt(0)};`),
  others(KEY, (c) => `&#x${hex(c)};`),
  JSON.stringify(KEY).slice(1, -1),
  others(KEY, (c) => `\\u${hex(c, 4)}`),
  Buffer.from(KEY).toString('hex'),
  Buffer.from(KEY).toString('hex').toUpperCase(),
  Buffer.from(KEY).toString('base64').replace(/=+$/, ''),
  Buffer.from(KEY).toString('base64url'),
  Buffer.from(`${USER}:${KEY}`).toString('base64').replace(/=+$/, ''),
];

describe('a target that echoes the key in every encoding', () => {
  let target: RunningTarget;
  let proxy: Served;
  let run: CliRun;

  beforeAll(async () => {
    target = await startTarget();
    const real = `Basic ${Buffer.from(`${USER}:${ACCOUNTS.a.apiKey}`).toString('base64')}`;
    // in front of the reference target: the suite's key stands for the real one, and every error answer
    // carries it back in every form (body and headers)
    proxy = await serve(async (req, res, _n, sent) => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      if (headers.authorization === `Basic ${Buffer.from(`${USER}:${KEY}`).toString('base64')}`) headers.authorization = real;
      const r = await fetch(target.url + req.url, { method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : new Uint8Array(sent) });
      let body = await r.text();
      if (r.status >= 400) {
        const json = JSON.parse(body) as { details?: Record<string, unknown> };
        json.details = { ...json.details, echo: FORMS, echoText: FORMS.join(' | ') };
        body = JSON.stringify(json);
      }
      res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json', 'X-Echo': encodeURIComponent(KEY), 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
    run = await runCli(['--only', 'get,errors,CUS-SEC-LEAK,CUS-UPD-400-PATTERN'], { ...remoteEnv(proxy.url, false), CUSTOMER_API_KEY: KEY });
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await target?.close();
  });

  test('the run saw the echo and failed for it (so the scan means something)', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(join(run.reports, 'conformance.md'), 'utf8')).toMatch(/\| CUS-ERR-BODY \| contract \| failed \|.*the body contains a credential/);
  });

  test('no form of the key in stdout, stderr or any file: summaries, certificate, JUnit, Allure results and attachments, the HTML report', () => {
    const outputs: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ...files(run.reports).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
    ];
    const names = outputs.map(([f]) => f);
    for (const f of ['junit.xml', 'certificate.md', 'certificate.json', 'conformance.md', 'conformance.json', 'index.html', '-attachment'])
      expect(names.some((n) => n.includes(f)), f).toBe(true);
    expect(outputs.length).toBeGreaterThan(20);
    const lower = FORMS.map((f) => f.toLowerCase());
    const hits = outputs.flatMap(([where, text]) => lower.filter((n) => text.toLowerCase().includes(n)).map((n) => `${where}: ${n}`));
    expect(hits).toEqual([]);
  });
});
