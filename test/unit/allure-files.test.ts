// The run's Allure files: results written in the background and waited for, and the report rendered by a
// renderer loaded ahead, its results read as they are written or after the checks.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BackgroundWriter } from '../../helpers/report/allure-writer.ts';
import { withoutTestFile } from '../../helpers/report/allure-streaming.ts';
import { clearAway } from '../../helpers/run/clear-away.ts';
import { externalReferences } from '../../helpers/report/offline.ts';
import { AllureRenderer, appendEnvironment, renderAllure } from '../../helpers/report/render-allure.ts';
import { nextSaid, startAhead } from '../../helpers/report/generator-process.mjs';
import { NODE_FLAGS } from '../../helpers/config/node-flags.mjs';
import { fork, spawnSync } from 'node:child_process';

const fresh = () => mkdtempSync(join(tmpdir(), 'allure-files-'));
/** The data files a single-file page carries, decoded: name to text. */
const pageData = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/d\("([^"]+)","([^"]*)"\)/g)].map((m) => [m[1]!, Buffer.from(m[2]!, 'base64').toString('utf8')]),
  );

describe('BackgroundWriter', () => {
  test('says each file once it is whole, and only those written', async () => {
    const dir = join(fresh(), 'allure-results');
    const whole: string[] = [];
    const w = new BackgroundWriter(dir, (name) => {
      expect(readFileSync(join(dir, name), 'utf8')).toBe(`exchange ${name}`);
      whole.push(name);
    });
    mkdirSync(join(dir, 'taken-attachment.txt'));
    for (const name of ['1-attachment.txt', '2-attachment.txt', 'taken-attachment.txt'])
      w.writeAttachment(name, Buffer.from(`exchange ${name}`));
    await expect(w.flush()).rejects.toThrow(/taken-attachment/);
    expect(whole.sort()).toEqual(['1-attachment.txt', '2-attachment.txt']);
  });

  test('every result and attachment is on disk once flush resolves', async () => {
    const dir = join(fresh(), 'allure-results');
    const w = new BackgroundWriter(dir);
    for (let i = 0; i < 200; i++) w.writeAttachment(`${i}-attachment.txt`, Buffer.from(`exchange ${i}`));
    w.writeResult({ uuid: 'r1', name: 'a check' } as never);
    w.writeCategoriesDefinitions([{ name: 'Nonconformance' }]);
    w.writeEnvironmentInfo({ seed: '7' });
    await w.flush();
    expect(readdirSync(dir)).toHaveLength(203);
    expect(readFileSync(join(dir, '199-attachment.txt'), 'utf8')).toBe('exchange 199');
    expect(JSON.parse(readFileSync(join(dir, 'r1-result.json'), 'utf8')).name).toBe('a check');
    expect(readFileSync(join(dir, 'environment.properties'), 'utf8')).toContain('seed=7');
  });

  test('a file that cannot be written fails the flush, naming it', async () => {
    const dir = join(fresh(), 'allure-results');
    const w = new BackgroundWriter(dir);
    mkdirSync(join(dir, 'taken-attachment.txt'));
    w.writeAttachment('taken-attachment.txt', Buffer.from('x'));
    await expect(w.flush()).rejects.toThrow(/could not write the Allure results in .*taken-attachment\.txt/);
  });
});

describe('AllureRenderer', () => {
  const resultsOf = (reports: string) => {
    const dir = join(reports, 'allure-results');
    mkdirSync(dir, { recursive: true });
    const result = { uuid: 'r1', name: '[CUS-GET-200] a check', status: 'passed', start: 1, stop: 2 };
    writeFileSync(join(dir, 'r1-result.json'), JSON.stringify({ ...result, historyId: 'h1', labels: [] }));
    return reports;
  };

  test('renders a run loaded ahead into one offline page; the history keeps the last 5 runs', async () => {
    const reports = resultsOf(fresh());
    const point = (i: number) => ({
      uuid: `u${i}`,
      name: 'a run',
      timestamp: i,
      testResults: {},
      metrics: {},
      url: '',
    });
    const history = join(reports, 'allure-history.jsonl');
    writeFileSync(history, [1, 2, 3, 4, 5, 6, 7].map((i) => JSON.stringify(point(i)) + '\n').join(''));
    const renderer = new AllureRenderer();
    // a process group of its own: a Ctrl-C to the run's group leaves the report to the run
    const group = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2];
    if (existsSync('/proc/self/stat')) {
      expect(group(renderer.pid!)).not.toBe(group(process.pid));
      // started with the suite's own Node options (node-flags.mjs)
      const argv = readFileSync(`/proc/${renderer.pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 1 + NODE_FLAGS.length)).toEqual(NODE_FLAGS);
    }
    expect(await renderAllure(reports, 'Customer API conformance — CONFORMANT', renderer)).toBe(true);
    const html = readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8');
    expect(html).toContain('allureReportData');
    expect(externalReferences(html)).toEqual([]);
    const kept = readFileSync(history, 'utf8').trim().split('\n');
    expect(kept.map((l) => (JSON.parse(l) as { uuid: string }).uuid).slice(0, 4)).toEqual(['u4', 'u5', 'u6', 'u7']);
    expect(kept).toHaveLength(5);
    expect(kept.join('\n')).not.toContain('"labels"');
  }, 60_000);

  test("the report's plugin writes the page without Allure's analytics (nothing read back and stripped)", async () => {
    const reports = resultsOf(fresh());
    expect(await new AllureRenderer().render(reports, 'Customer API conformance')).toBe(true);
    const html = readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8');
    expect(html).toContain('allureReportData');
    expect(html).not.toMatch(/googletagmanager|gtag/);
    expect(externalReferences(html)).toEqual([]);
  }, 60_000);

  test("the page describes no local git checkout: not the suite's folder, branch or origin's credentials", async () => {
    const checkout = fresh();
    const git = (...args: string[]) => spawnSync('git', ['-C', checkout, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('remote', 'add', 'origin', 'https://user:s3cr3t-origin-token@github.com/org/suite.git');
    const reports = resultsOf(fresh());
    const resultsDirs = [join(reports, 'allure-results')];
    // the generator as the run starts it, in a git checkout and outside any CI service
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CI|GITHUB_|GITLAB)/.test(k)));
    const child = fork(join(import.meta.dirname, '../../helpers/report/allure-generate.mjs'), [], {
      cwd: checkout,
      env,
    });
    expect(await nextSaid(child)).toEqual({ kind: 'ready' });
    child.send({ kind: 'render', reports, name: 'x', resultsDirs });
    expect(await nextSaid(child)).toEqual({ kind: 'done' });
    const html = readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8');
    expect(html).toContain('allureReportData');
    expect(html).not.toMatch(/s3cr3t-origin-token|org\/suite|"type":"local"/);
  }, 60_000);

  /** a second result, with an attachment, written after the first */
  const more = (reports: string) => {
    const dir = join(reports, 'allure-results');
    writeFileSync(join(dir, 'a2-attachment.txt'), 'POST /v2/customer → 200');
    const attachments = [{ name: 'Exchanges (1)', source: 'a2-attachment.txt', type: 'text/plain' }];
    const result = { uuid: 'r2', name: '[CUS-DEL-204] another check', status: 'failed', start: 2, stop: 3 };
    writeFileSync(join(dir, 'r2-result.json'), JSON.stringify({ ...result, historyId: 'h2', labels: [], attachments }));
    return ['a2-attachment.txt', 'r2-result.json'];
  };
  // how the run hands the generator its results: all at once after the checks (while it writes its summaries),
  // or each as it is written once a worker's part has ended (the first ones in a batch)
  const feeds = {
    'after the checks': (renderer: AllureRenderer, reports: string) => {
      more(reports);
      renderer.ingest(reports);
    },
    'as they are written': (renderer: AllureRenderer, reports: string) => {
      renderer.written('r1-result.json');
      renderer.begin(reports);
      for (const n of more(reports)) renderer.written(n);
      renderer.ingest(reports);
    },
  };

  test.each(Object.entries(feeds))(
    'results read %s: the page a render alone makes, with the verdict',
    async (_, feed) => {
      const name = 'Customer API conformance — NOT CONFORMANT';
      const late = (reports: string) => {
        appendEnvironment(join(reports, 'allure-results'), { verdict: 'NOT CONFORMANT' });
        const executor = JSON.stringify({ name: 'CI', type: 'jenkins' });
        writeFileSync(join(reports, 'allure-results', 'executor.json'), executor);
      };
      const early = resultsOf(fresh());
      const renderer = new AllureRenderer();
      // read before the run writes the executor and the verdict's environment entries, as a run does
      feed(renderer, early);
      late(early);
      expect(await renderAllure(early, name, renderer)).toBe(true);
      const alone = resultsOf(fresh());
      more(alone);
      late(alone);
      expect(await renderAllure(alone, name, new AllureRenderer())).toBe(true);
      const [a, b] = [early, alone].map((r) => pageData(readFileSync(join(r, 'allure-report', 'index.html'), 'utf8')));
      // global attachments are named afresh by every render
      const files = (d: Record<string, string>) =>
        Object.keys(d)
          .map((k) => k.replace(/[0-9a-f]{32}/, 'id'))
          .sort();
      expect(files(a!)).toEqual(files(b!));
      for (const k of ['widgets/allure_environment.json', 'widgets/statistic.json', 'widgets/tree.json'])
        expect(a![k], k).toEqual(b![k]);
      expect(a!['widgets/allure_environment.json']).toContain('NOT CONFORMANT');
      expect(a!['widgets/statistic.json']).toContain('"failed":1');
      // the attachment of the result read as it was written is in the page
      expect(Object.values(a!)).toContain('POST /v2/customer → 200');
      expect(readFileSync(join(early, 'allure-report', 'index.html'), 'utf8')).toContain(`"reportName":"${name}"`);
      expect(readFileSync(join(early, 'allure-history.jsonl'), 'utf8')).toContain(`"name":"${name}"`);
    },
    60_000,
  );

  test('the generator started ahead is the one the renderer takes over, once', async () => {
    startAhead();
    const ahead = new AllureRenderer();
    const own = new AllureRenderer();
    expect(ahead.pid).not.toBe(own.pid);
    own.close();
    expect(await ahead.render(resultsOf(fresh()), 'Customer API conformance')).toBe(true);
  }, 60_000);

  test('a generator started ahead and never taken keeps no process alive', () => {
    const module = join(import.meta.dirname, '../../helpers/report/generator-process.mjs');
    const script =
      `import(${JSON.stringify(module)}).then((m) => { m.startAhead(); console.log(globalThis[Symbol.for(` +
      `'customer-api-conformance.allure-generator')].child.pid); })`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    const pid = Number(run.stdout.trim());
    // its parent gone, the generator ends too
    const alive = () => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    for (let i = 0; i < 100 && alive(); i++) spawnSync('sleep', ['0.05']);
    expect(alive()).toBe(false);
  }, 30_000);

  test('a report it cannot write is a false and a reason, not a hang', async () => {
    const reports = resultsOf(fresh());
    // the report's folder is taken by a file
    writeFileSync(join(reports, 'allure-report'), 'not a folder');
    const renderer = new AllureRenderer();
    expect(await renderAllure(reports, 'x', renderer)).toBe(false);
    expect(renderer.why).toMatch(/\S/);
  }, 60_000);
});

describe('clearAway', () => {
  test("the previous run's folders are empty at once, deleted with any set aside before", async () => {
    const reports = fresh();
    for (const d of ['allure-results', 'allure-report', '.cleared-allure-results-1-2'])
      mkdirSync(join(reports, d, 'sub'), { recursive: true });
    writeFileSync(join(reports, 'allure-results', 'r1-result.json'), '{}');
    writeFileSync(join(reports, 'junit.xml'), '<x/>');
    const done = clearAway(reports, ['allure-results', 'allure-report', 'not-there']);
    expect(existsSync(join(reports, 'allure-results'))).toBe(false);
    await done;
    expect(readdirSync(reports)).toEqual(['junit.xml']);
  });
});

describe('withoutTestFile', () => {
  test("a check's Allure identity names its feature and title, not the part file that ran it", () => {
    const r = {
      fullName: 'customer-api-conformance:suites/part-2.test.ts#Get [CUS-GET-200] GET answers 200',
      titlePath: ['customer-api-conformance', 'suites', 'part-2.test.ts', 'Get'],
      labels: [
        { name: 'package', value: 'suites.part-2.test.ts' },
        { name: 'feature', value: 'Get' },
      ],
    };
    withoutTestFile(r as never);
    expect(r).toEqual({
      fullName: 'customer-api-conformance:Get [CUS-GET-200] GET answers 200',
      titlePath: ['customer-api-conformance', 'Get'],
      labels: [{ name: 'feature', value: 'Get' }],
    });
  });

  test('the same for a bundled part file, wherever it lies, whatever folder the run was started from', () => {
    const path = 'node_modules/.cache/conformance-suite/1a4d426de0246e90/part-1.test.mjs';
    const identity = (project: string | undefined, from: string) => {
      const r = {
        fullName: `${project ? `${project}:` : ''}${from}${path}#Update [CUS-UPD-200] a: b#c`,
        titlePath: [...(project ? [project] : []), ...`${from}${path}`.split('/'), 'Update'],
        labels: [],
      };
      withoutTestFile(r as never);
      return [r.fullName, r.titlePath];
    };
    const expected = ['customer-api-conformance:Update [CUS-UPD-200] a: b#c', ['customer-api-conformance', 'Update']];
    // started in the project, in a folder without a package.json, in another project's folder
    expect(identity('customer-api-conformance', '')).toEqual(expected);
    expect(identity(undefined, '../../work/main/')).toEqual(expected);
    expect(identity('their-app', '../conformance/')).toEqual(expected);
  });
});
