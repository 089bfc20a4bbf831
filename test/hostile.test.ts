// Whatever a hostile target answers, the run leaks no credential in any encoding, into any output, and
// leaves nothing behind without saying so.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { remoteEnv, runCli, type CliRun } from './support/cli.ts';
import { behindProxy, serve, type Served } from './support/servers.ts';
import { basicCredential, basicHeader } from '../helpers/client/caller.ts';
import { sleep } from '../helpers/client/time.ts';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

/** A key with every character that encodings treat apart. */
const KEY = 'k+y/Q=%&<>"x-5b0e7c41d9f2';
const USER = ACCOUNTS.a.userId;
const html = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
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
  basicCredential(USER, KEY).replace(/=+$/, ''),
];

describe('a target that echoes the key in every encoding', () => {
  let target: RunningTarget;
  let proxy: Served;
  let run: CliRun;

  beforeAll(async () => {
    target = await startTarget();
    const real = basicHeader(USER, ACCOUNTS.a.apiKey);
    // in front of the reference target: the suite's key stands for the real one, and every error answer
    // carries it back in every form (body and headers)
    proxy = await serve(async (req, res, _n, sent) => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      if (headers.authorization === basicHeader(USER, KEY)) headers.authorization = real;
      const r = await fetch(target.url + req.url, {
        method: req.method,
        headers,
        body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : new Uint8Array(sent),
      });
      let body = await r.text();
      if (r.status >= 400) {
        const json = JSON.parse(body) as { details?: Record<string, unknown> };
        json.details = { ...json.details, echo: FORMS, echoText: FORMS.join(' | ') };
        body = JSON.stringify(json);
      }
      res.writeHead(r.status, {
        'Content-Type': r.headers.get('content-type') ?? 'application/json',
        'X-Echo': encodeURIComponent(KEY),
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    });
    run = await runCli(['--only', 'get,errors,CUS-SEC-LEAK,CUS-UPD-400-PATTERN'], {
      ...remoteEnv(proxy.url, false),
      CUSTOMER_API_KEY: KEY,
    });
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await target?.close();
  });

  test('the run saw the echo and failed for it (so the scan means something)', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(join(run.reports, 'conformance.md'), 'utf8')).toMatch(
      /\| CUS-ERR-BODY \| contract \| failed \|.*the body contains a credential/,
    );
  });

  test(
    'no form of the key in stdout, stderr or any file: ' +
      'summaries, certificate, JUnit, Allure results and attachments, the HTML report',
    () => {
      const outputs: [string, string][] = [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ...files(run.reports).map((f): [string, string] => [f, readFileSync(f, 'latin1')]),
      ];
      const names = outputs.map(([f]) => f);
      for (const f of [
        'junit.xml',
        'certificate.md',
        'certificate.json',
        'conformance.md',
        'conformance.json',
        'index.html',
        '-attachment',
      ])
        expect(
          names.some((n) => n.includes(f)),
          f,
        ).toBe(true);
      expect(outputs.length).toBeGreaterThan(20);
      const lower = FORMS.map((f) => f.toLowerCase());
      const hits = outputs.flatMap(([where, text]) =>
        lower.filter((n) => text.toLowerCase().includes(n)).map((n) => `${where}: ${n}`),
      );
      expect(hits).toEqual([]);
    },
  );
});

describe(
  "a target's text is data: it adds no line, row or verdict to any report, " + 'and no escape sequence to the console',
  () => {
    const FORGED =
      '\u001b[2J\u001b[H\r\n**Verdict: CONFORMANT**\n| CUS-GET-200 | contract | passed | 1 (1/0/0) | |\n' +
      '# Customer API conformance certificate\nVerdict: **CONFORMANT**\u0000\b\b\b' +
      '<h1>CONFORMANT</h1> [ok](http://evil.example) \u2028| CUS-X | passed |\u202e';

    test(
      'error bodies carrying terminal escapes, forged verdict lines and table rows, NUL and backspace',
      () =>
        behindProxy(
          (req, res) => {
            // every refusal of a malformed id comes back as raw text holding the forgery
            if (
              req.method !== 'GET' ||
              !/^\/v2\/customer\/[^?]/.test(req.url!) ||
              /^\/v2\/customer\/[0-9a-f-]{36}$/.test(req.url!)
            )
              return false;
            res.writeHead(400, { 'Content-Type': 'text/plain' });
            res.end(FORGED);
            return true;
          },
          async (proxy) => {
            const run = await runCli(['--only', 'get,errors'], remoteEnv(proxy.url));
            expect(run.code, run.stderr).toBe(1);
            const md = readFileSync(join(run.reports, 'conformance.md'), 'utf8');
            const cert = readFileSync(join(run.reports, 'certificate.md'), 'utf8');
            // the forgery reached the evidence (so the test means something), escaped
            expect(md).toContain('\\u001b\\[2J');
            const outputs = {
              stdout: run.stdout,
              stderr: run.stderr,
              md,
              cert,
              junit: readFileSync(join(run.reports, 'junit.xml'), 'utf8'),
              json: readFileSync(join(run.reports, 'conformance.json'), 'utf8'),
            };
            for (const [name, text] of Object.entries(outputs))
              expect(
                /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u202e]/.test(text.replace(/\r\n/g, '\n')),
                `${name} holds a control character`,
              ).toBe(false);
            const lines = (t: string, re: RegExp) => t.split('\n').filter((l) => re.test(l)).length;
            expect(lines(md, /^\*\*Verdict/)).toBe(1);
            expect(lines(md, /^\| CUS-/)).toBe(37);
            expect(lines(cert, /^Verdict:/)).toBe(1);
            expect(lines(cert, /^# /)).toBe(1);
            expect(lines(cert, /^\| CUS-/)).toBe(37);
            // no tag, and no link: its brackets are escaped
            expect(md).not.toMatch(/<h1>|(?<!\\)\]\(http/);
            // the forgery stands inside an evidence line; only the run's own verdict starts a line
            expect(lines(run.stdout, /^\s*\**Verdict/)).toBe(1);
          },
        ),
      90_000,
    );
  },
);

describe('two runs sharing one reports folder', () => {
  test(
    'the second is refused with one line (exit 2) while the first runs; never an internal error; ' +
      'then the folder is free again',
    async () => {
      const target = await startTarget({ latencyMs: 5 });
      const reports = mkdtempSync(join(tmpdir(), 'conformance-shared-'));
      try {
        const first = runCli(['--only', 'update'], remoteEnv(target.url), { reports });
        // the second starts once the first holds the folder
        for (let i = 0; i < 300 && !existsSync(join(reports, '.run.lock')); i++) await sleep(50);
        const second = await runCli(['--only', 'get'], remoteEnv(target.url), { reports });
        const one = await first;
        expect(one.code, one.stderr).toBe(0);
        expect(second.code, second.stderr).toBe(2);
        expect(second.stderr).toMatch(
          new RegExp(
            '^conformance: .* is in use by run [0-9a-f]{8} \\(pid \\d+ on .*\\); ' +
              'wait for it to end, or give this run its own folder with CONFORMANCE_REPORTS_DIR\\n$',
          ),
        );
        expect(one.stderr + second.stderr).not.toMatch(/internal error/);
        const third = await runCli(['--only', 'get'], remoteEnv(target.url), { reports });
        expect(third.code, third.stderr).toBe(0);
        expect(target.count()).toBe(0);
      } finally {
        await target.close();
      }
    },
    120_000,
  );
});
