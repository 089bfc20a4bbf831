// The process that renders a run's Allure HTML report. The run starts it first (helpers/run/preload-run.mjs,
// through generator-process.mjs), so that loading Allure (a third of a second) happens while the run starts
// rather than after its checks. Plain JavaScript: no TypeScript loader to start. Over IPC it says
// { kind: 'ready' } once Allure is loaded. Given { kind: 'ingest', reports, resultsDir } it starts a report and
// reads the results into it while the run writes its summaries; given { kind: 'render', reports, name,
// resultsDirs } it renders them with allurerc.mjs, as `allure generate` does (the results read already, and
// what the run wrote after them), says { kind: 'done' } or { kind: 'failed', why }, and exits.
// The parent going away ends it; stop signals are the run's to handle (it runs in a process group of its own).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

process.on('disconnect', () => process.exit(0));

/** Says `message` to the parent, then exits with `code`. */
const answer = (message, code) => process.send(message, () => process.exit(code));

/**
 * @allurereport/core, the allure command's own engine, and its reader API (for results held in memory):
 * resolved from where the allure package is.
 */
async function loadAllure() {
  const fromAllure = createRequire(createRequire(import.meta.url).resolve('allure'));
  const core = fromAllure.resolve('@allurereport/core');
  const [engine, { BufferResultFile }] = await Promise.all([
    import(pathToFileURL(core).href),
    import(pathToFileURL(createRequire(core).resolve('@allurereport/reader-api')).href),
    // the report's plugin (allurerc.mjs), which Allure would load only once asked to render
    import(pathToFileURL(join(ROOT, 'helpers/report/awesome-plugin.mjs')).href),
  ]);
  return { ...engine, BufferResultFile };
}

/**
 * Every file of `dir` into the report, in the order of their names, as Allure's readDirectory reads them.
 * Read into memory first, all at once: Allure reads a file at a time through a stream, and then reads each
 * attachment again to put it into the page (a run's page rendered in 0.9 s instead of 0.7 s).
 */
async function readResults(allure, report, dir, wanted = () => true) {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp') && wanted(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
  // a file that cannot be read is left out, as Allure leaves it out. Read one after another, synchronously:
  // nothing else runs here meanwhile, and fs/promises opens a file handle and awaits each step of each file
  const read = (n) => {
    try {
      return readFileSync(join(dir, n));
    } catch {
      return undefined;
    }
  };
  const files = names.map(read);
  for (const [i, content] of files.entries())
    if (content) await report.readResult(new allure.BufferResultFile(content, names[i]));
}

/** what the run writes into the results after its checks (the executor, the verdict's environment entries) */
const LATE = new Set(['environment.properties', 'executor.json']);

/** A report of `job.reports` started, with the results of `job.resultsDir` read but the late ones. */
async function ingest(allure, job) {
  // allurerc.mjs reads the reports folder from the environment, and the report's name (Allure's default until
  // the run says its verdict: `named`)
  process.env.CONFORMANCE_REPORTS_DIR = job.reports;
  delete process.env.CONFORMANCE_REPORT_NAME;
  const config = await allure.readConfig(ROOT, 'allurerc.mjs');
  const report = new allure.AllureReport(config);
  await report.start();
  await readResults(allure, report, job.resultsDir, (n) => !LATE.has(n));
  return { resultsDir: job.resultsDir, config, report };
}

/** The report named `name`: its own name (with a CI job's suffix, if any) and its plugins'. */
function named({ config, report }, name) {
  report.reportName = name + report.reportName.slice(config.name.length);
  for (const p of config.plugins ?? []) if (p.options?.reportName === config.name) p.options.reportName = name;
}

async function render(allure, job, early) {
  const [resultsDir, ...others] = job.resultsDirs;
  const begun = await early;
  const started = begun?.resultsDir === resultsDir ? begun : await ingest(allure, { reports: job.reports, resultsDir });
  named(started, job.name);
  await readResults(allure, started.report, resultsDir, (n) => LATE.has(n));
  for (const dir of others) await readResults(allure, started.report, dir);
  await started.report.done();
}

try {
  const allure = await loadAllure();
  /** the report started on an `ingest`, if the run sent one */
  let early;
  process.on('message', (job) => {
    if (job.kind === 'ingest') {
      early = ingest(allure, job);
      // a failure is said when asked to render
      early.catch(() => undefined);
      return;
    }
    render(allure, job, early).then(
      () => answer({ kind: 'done' }, 0),
      (e) => answer({ kind: 'failed', why: String(e?.message ?? e) }, 1),
    );
  });
  process.send({ kind: 'ready' });
} catch (e) {
  answer({ kind: 'failed', why: `Allure could not be loaded: ${String(e?.message ?? e)}` }, 1);
}
