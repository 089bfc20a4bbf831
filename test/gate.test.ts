// The CI gate as a user meets it: exit codes, the refusal to pass on the embedded target in CI, JUnit XML,
// subsets, the certificate's verdicts and the Allure history across runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Certificate } from '../helpers/report/certificate.ts';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { externalReferences } from '../helpers/report/offline.ts';
import { startTarget, type RunningTarget } from '../fixtures/target/server.ts';
import { remoteEnv, ROOT, runCli, type CliRun } from './support/cli.ts';
import { allAttachments, allureResults, json, SIGNER, STRANGER } from './support/reports.ts';
import type { Timing } from '../helpers/report/phase-clock.ts';

describe('exit codes and outputs', () => {
  let good: RunningTarget;
  let broken: RunningTarget;
  let pass: CliRun;
  let fail: CliRun;

  beforeAll(async () => {
    [good, broken] = await Promise.all([startTarget(), startTarget({ defect: 'updated-at-not-moved' })]);
    [pass, fail] = await Promise.all([
      // no other-entity keys: the run passes, and the certificate must say what it could not verify
      runCli(['--only', 'workflow,auth'], {
        ...remoteEnv(good.url, false),
        CONFORMANCE_SIGNING_KEY: SIGNER.privateKey,
      }),
      runCli(['--only', 'workflow,timestamps'], remoteEnv(broken.url)),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([good?.close(), broken?.close()]);
  });

  test('0 when every check passed; the outputs name the target', () => {
    expect(pass.stderr).toBe('');
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain(good.url);
    const cert = json(join(pass.reports, 'certificate.json')) as {
      target: string;
      verdict: string;
      statements: { id: string; verdict: string; note: string }[];
    };
    expect(cert.target).toBe(good.url);
    // a subset without the other entity's keys cannot certify the whole contract
    expect(cert.verdict).toBe('INCOMPLETE');
    const get403 = cert.statements.find((st) => st.id === 'CUS-GET-403')!;
    expect([get403.verdict, get403.note]).toEqual(['not verified', expect.stringContaining('CUSTOMER_API_OTHER')]);
    // suite-defined statements are marked and counted apart from the contract's, in every output
    const counts = (cert as unknown as { counts: Record<'contract' | 'suite', { total: number }> }).counts;
    expect([counts.contract.total, counts.suite.total]).toEqual([30, 7]);
    expect(cert.statements.find((st) => st.id === 'CUS-SEC-LEAK')).toMatchObject({ origin: 'suite-defined' });
    expect(readFileSync(join(pass.reports, 'certificate.md'), 'utf8')).toMatch(
      /Statements: contract: \d+\/30 passed.*; suite-defined: \d\/7 passed/,
    );
    expect(readFileSync(join(pass.reports, 'conformance.md'), 'utf8')).toMatch(/\| CUS-SEC-LEAK \| suite-defined \|/);
    expect(pass.stdout).toMatch(/Statements: contract: \d+\/30 passed.*; suite-defined: \d\/7 passed/);
    expect(pass.stdout).toMatch(/CUS-SEC-LEAK \(suite\)/);
    expect(existsSync(join(pass.reports, 'allure-report', 'index.html'))).toBe(true);
    // an auditor's report calls out to no host: Allure's analytics are stripped
    const html = readFileSync(join(pass.reports, 'allure-report', 'index.html'), 'utf8');
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/gtag|googletagmanager|G-LNDJ3J7WT0/);
    expect(html).toContain('allureReportData');
    expect(readFileSync(join(pass.reports, 'allure-results', 'environment.properties'), 'utf8')).toContain(
      `target=${good.url}`,
    );
    // each check's Allure identity (and so its history) is its feature and title, not the part file that ran it
    const fullNames = allureResults(join(pass.reports, 'allure-results')).map((r) => r.fullName);
    expect(fullNames.length).toBeGreaterThan(0);
    for (const n of fullNames) expect(n).toMatch(/^customer-api-conformance:[A-Z][a-z]+ \[CUS-/);
    // where the run's time went, every phase in order; the workers loaded the suite bundled, not its TypeScript
    const timing = json(join(pass.reports, 'timing.json')) as unknown as Timing;
    expect(Object.keys(timing.phases)).toEqual(['start', 'checks', 'cleanup', 'summaries', 'report']);
    expect(timing.suiteLoad).toBe('bundled');
    const sum = Object.values(timing.phases).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - timing.totalMs)).toBeLessThanOrEqual(5);
  });

  test('the certificate records what an auditor asks for, and npm run verify finds any edit of the evidence', () => {
    const cert = json(join(pass.reports, 'certificate.json')) as unknown as Certificate;
    expect(cert.kind).toBe('certification run against a deployment');
    expect(cert.suite.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof cert.suite.treeClean).toBe('boolean');
    expect(cert.run.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(cert.run.ranBy).toMatch(/@/);
    expect(cert.choices).toMatchObject({
      'update method': 'POST',
      'malformed id status': '400',
      "another entity's customer status": '403',
    });
    expect(cert.readings.CUSTOMER_API_NAME_RULE).toBe('any');
    expect(cert.statements.find((st) => st.id === 'CUS-GET-404')!.text).toContain('404');
    expect(Object.keys(cert.contract.digests)).toEqual([
      'fixtures/customer-api.md',
      'fixtures/customer-api.openapi.json',
    ]);
    expect(Object.keys(cert.evidence)).toEqual(expect.arrayContaining(['conformance.json', 'junit.xml']));
    expect(Object.keys(cert.evidence).some((f) => f.startsWith('allure-results/'))).toBe(true);
    expect(cert.signature?.algorithm).toBe('ed25519');

    const pub = join(pass.reports, 'signer.pub');
    writeFileSync(pub, SIGNER.publicKey);
    const stranger = join(pass.reports, 'stranger.pub');
    writeFileSync(stranger, STRANGER.publicKey);
    const verify = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/launch.mjs', 'verify', pass.reports, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(verify('--public-key', pub).status).toBe(0);
    expect(verify('--public-key', stranger).stderr).toMatch(/the signature does not match/);
    // one character of the evidence changed
    const file = join(pass.reports, 'conformance.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"passed"', '"passeD"'));
    const broken = verify('--public-key', pub);
    writeFileSync(file, text);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^verify: conformance\.json: changed/m);
    // the Markdown certificate edited
    const md = join(pass.reports, 'certificate.md');
    const mdText = readFileSync(md, 'utf8');
    writeFileSync(md, mdText.replace('Verdict: **', 'Verdict: **CONFORMANT** was '));
    const edited = verify();
    writeFileSync(md, mdText);
    expect(edited.status).toBe(1);
    expect(edited.stderr).toMatch(/certificate\.md: changed/);
    expect(verify('--public-key', pub).status).toBe(0);
  });

  test(
    'the Allure results hold the workflow: labels, its steps, ' + 'and request/response attachments without the key',
    () => {
      const dir = join(pass.reports, 'allure-results');
      const wf = allureResults(dir).find((r) => r.name.includes('create → get → update → get → delete'))!;
      expect(wf).toBeDefined();
      const labels = wf.labels.map((l) => `${l.name}=${l.value}`);
      // filed once, under its first statement; every statement as a label
      expect(labels).toEqual(
        expect.arrayContaining([
          'epic=Customer API',
          'feature=Workflow',
          'story=CUS-GET-200',
          'statement=CUS-TS-UPDATED',
          'statement=CUS-DEL-GONE',
          'severity=blocker',
        ]),
      );
      expect(labels.filter((l) => l.startsWith('story='))).toEqual(['story=CUS-GET-200']);
      expect(wf.descriptionHtml).toMatch(/^<p>CUS-GET-200 \(contract\): An existing customer [^<]*<\/p>\n<p>CUS-/);
      const steps = wf.steps.map((st) => st.name);
      expect(steps).toEqual(
        expect.arrayContaining([
          'create a customer',
          'update the customer with new values',
          'delete the customer',
          'get the deleted customer',
        ]),
      );
      // a check that held: its exchanges in one attachment after its steps, each under the step that sent it
      expect(wf.steps.flatMap(allAttachments).map((a) => a.name)).toEqual(['Exchanges (6)']);
      const exchanges = readFileSync(join(dir, wf.steps.flatMap(allAttachments)[0]!.source), 'utf8');
      expect(exchanges.match(/^## .*$/gm)).toEqual([
        '## create a customer: POST /v2/customer → 200',
        expect.stringMatching(/^## get the new customer: GET \/v2\/customer\/[\w-]+ → 200$/),
        expect.stringMatching(/^## update the customer with new values: POST \/v2\/customer\/[\w-]+ → 200$/),
        expect.stringMatching(/^## .*: GET \/v2\/customer\/[\w-]+ → 200$/),
        expect.stringMatching(/^## delete the customer: DELETE \/v2\/customer\/[\w-]+ → 204$/),
        expect.stringMatching(/^## get the deleted customer: GET \/v2\/customer\/[\w-]+ → 404$/),
      ]);
      expect(exchanges).toMatch(/\nauthorization: Basic \*\*\*\n\n\{"billing":\{"first_name":/); // masked; as sent
      expect(exchanges).not.toContain('# reproduce'); // compact: a failed check's exchanges have a command each
      expect(exchanges).toMatch(/\n# response:\nHTTP 200 \(/);
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(ACCOUNTS.a.apiKey);
    },
  );

  test('1 on nonconformance, naming the contract id that failed', () => {
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/CUS-TS-UPDATED\s+failed/);
    expect(fail.stdout).toContain('Verdict: NOT CONFORMANT');
    expect(json(join(fail.reports, 'certificate.json')).verdict).toBe('NOT CONFORMANT');
    const md = readFileSync(join(fail.reports, 'conformance.md'), 'utf8');
    expect(md).toMatch(/\| CUS-TS-UPDATED \| contract \| failed \|.*updated_at later than before the update/);
    // a script to reproduce it, and the request that got the wrong answer
    expect(md).toMatch(/reproduce: \S*reproduce\/\d{3}-[\w-]+\.sh/);
    expect(md).toContain('request: curl');
  });

  // where Chromium is installed (apt-get install chromium): the report rendered with every host out of reach
  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);
  test.skipIf(!chromium)(
    'the report renders in Chromium with the network off and states the verdict',
    () => {
      const dom = execFileSync(
        chromium!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--proxy-server=http://127.0.0.1:9',
          '--proxy-bypass-list=<-loopback>',
          '--virtual-time-budget=15000',
          '--dump-dom',
          `file://${join(fail.reports, 'allure-report', 'index.html')}`,
        ],
        { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'], timeout: 90_000 },
      ).toString();
      const text = dom.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain('Customer API conformance — NOT CONFORMANT');
      expect(text).toMatch(/verdict NOT CONFORMANT statements contract: \d+\/30 passed/);
      expect(text).toContain('Global Attachments 4');
    },
    120_000,
  );

  test('the report carries the certificate and the contract it was judged against, byte for byte', () => {
    const html = readFileSync(join(fail.reports, 'allure-report', 'index.html'), 'utf8');
    const data = (name: string) =>
      Buffer.from(new RegExp(`d\\("${name}","([^"]*)"\\)`).exec(html)?.[1] ?? '', 'base64');
    const globals = JSON.parse(data('widgets/globals.json').toString()) as {
      attachments: { id: string; name: string; ext: string }[];
    };
    const byName = Object.fromEntries(
      globals.attachments.map((a) => [a.name, data(`data/attachments/${a.id}${a.ext}`)]),
    );
    expect(Object.keys(byName)).toEqual([
      'Certificate (Markdown)',
      'Certificate (JSON, verified by npm run verify)',
      'Contract: customer-api.md',
      'Contract: customer-api.openapi.json',
    ]);
    expect(byName['Certificate (JSON, verified by npm run verify)']).toEqual(
      readFileSync(join(fail.reports, 'certificate.json')),
    );
    expect(byName['Contract: customer-api.md']).toEqual(readFileSync(join(ROOT, 'fixtures/customer-api.md')));
  });

  test(
    'the Allure report states the verdict; ' + 'the step that got the wrong answer is the failed one; no runner trace',
    () => {
      expect(json(join(fail.reports, 'allure-report', 'summary.json')).name).toBe(
        'Customer API conformance — NOT CONFORMANT',
      );
      const dir = join(fail.reports, 'allure-results');
      const failed = allureResults(dir).filter((r) => r.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const r of failed) {
        const bad = r.steps.filter((st) => st.status === 'failed').map((st) => st.name);
        expect(
          bad.some((n) =>
            /^CUS-TS-UPDATED: expected updated_at later than before the update .*; got updated_at /.test(n),
          ),
          bad.join('\n'),
        ).toBe(true);
        expect(r.statusDetails?.trace ?? '').not.toMatch(/harness\.ts|node:internal|\bat .*\(.*:\d+:\d+\)/);
      }
      // a failed check keeps each exchange on its step, in full: request, command to reproduce it, response
      const own = allAttachments(failed.flatMap((r) => r.steps).find((st) => st.name === 'create a customer')!);
      expect(own.map((a) => a.name)).toEqual([expect.stringMatching(/^POST \/v2\/customer → 200$/)]);
      expect(readFileSync(join(dir, own[0]!.source), 'utf8')).toMatch(
        /\n# reproduce:\ncurl .* -u "\$CUSTOMER_API_USER_ID:\$CUSTOMER_API_KEY".*\n\n# response:\nHTTP 200 \(/s,
      );
    },
  );

  test('JUnit XML parses, one test case per selected check, failures marked', () => {
    const xml = readFileSync(join(fail.reports, 'junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: unknown };
    };
    expect(Number(doc.testsuites['@_tests'])).toBeGreaterThan(0);
    expect(Number(doc.testsuites['@_failures'])).toBeGreaterThan(0);
    expect(xml).toContain('[CUS-TS-UPDATED');
  });

  test('--only selects by feature and tag, nothing else', () => {
    const results = json(join(pass.reports, 'conformance.json')) as {
      checks: { total: number };
      ids: { id: string; checks: number }[];
    };
    const byId = Object.fromEntries(results.ids.map((i) => [i.id, i.checks]));
    expect(byId['CUS-GET-401']).toBeGreaterThan(0);
    expect(byId['CUS-UPD-400-LENGTH']).toBe(0);
  });

  test('a second run into the same reports folder gives the Allure report a history', async () => {
    const second = await runCli(['--only', 'smoke'], remoteEnv(good.url), { reports: pass.reports });
    expect(second.code).toBe(0);
    const history = readFileSync(join(pass.reports, 'allure-history.jsonl'), 'utf8').trim().split('\n');
    expect(history.length).toBe(2);
    // kept compact: what the trend and each check's history tab show, without labels or traces
    for (const line of history) {
      const entries = Object.values((JSON.parse(line) as { testResults: object }).testResults);
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(Object.keys(e)).not.toContain('labels');
    }
  }, 90_000);
});
