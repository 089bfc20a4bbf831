// The process that renders a run's Allure HTML report. The run starts it first (helpers/run/preload-run.mjs,
// through generator-process.mjs), so that loading Allure (a third of a second) happens while the run starts
// rather than after its checks. Plain JavaScript: no TypeScript loader to start. Over IPC it says
// { kind: 'ready' } once Allure is loaded. Given { kind: 'begin', reports, resultsDir } it starts a report
// (reading the history of earlier runs) once a worker's part of the checks has ended; { kind: 'results',
// names } reads those files of the results folder into it as the run writes them; { kind: 'ingest', reports,
// resultsDir } reads what is left, while the run writes its summaries; given { kind: 'render', reports, name,
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

/** The files of `dir` that `wanted` keeps, in the order of their names, as Allure's readDirectory reads them. */
async function filesOf(dir, wanted = () => true) {
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp') && wanted(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * The files `names` of `dir` into the report, in that order. Read into memory, synchronously: Allure reads a
 * file at a time through a stream, and then reads each attachment again to put it into the page (a run's page
 * rendered in 0.9 s instead of 0.7 s); nothing else runs here meanwhile, and fs/promises opens a file handle
 * and awaits each step of each file. A file that cannot be read is left out, as Allure leaves it out.
 */
async function readResults(allure, report, dir, names) {
  for (const n of names) {
    let content;
    try {
      content = readFileSync(join(dir, n));
    } catch {
      continue;
    }
    await report.readResult(new allure.BufferResultFile(content, n));
  }
}

/** what the run writes into the results after its checks (the executor, the verdict's environment entries) */
const LATE = new Set(['environment.properties', 'executor.json']);

/**
 * A report of `job.reports` started (the history of earlier runs read), its results to come from
 * `job.resultsDir`: `read` holds the names of those read so far.
 */
async function begin(allure, job) {
  // allurerc.mjs reads the reports folder from the environment, and the report's name (Allure's default until
  // the run says its verdict: `named`)
  process.env.CONFORMANCE_REPORTS_DIR = job.reports;
  delete process.env.CONFORMANCE_REPORT_NAME;
  const config = await allure.readConfig(ROOT, 'allurerc.mjs');
  const report = new allure.AllureReport(config);
  await report.start();
  return { resultsDir: job.resultsDir, config, report, read: new Set() };
}

/** The results `names` into the started report, each once; the late ones wait for the render. */
async function readNew(allure, started, names) {
  const fresh = names.filter((n) => !started.read.has(n) && !LATE.has(n));
  for (const n of fresh) started.read.add(n);
  await readResults(allure, started.report, started.resultsDir, fresh);
}

/** The report named `name`: its own name (with a CI job's suffix, if any) and its plugins'. */
function named({ config, report }, name) {
  report.reportName = name + report.reportName.slice(config.name.length);
  for (const p of config.plugins ?? []) if (p.options?.reportName === config.name) p.options.reportName = name;
}

async function render(allure, job, early) {
  const [resultsDir, ...others] = job.resultsDirs;
  const begun = await early;
  const started = begun?.resultsDir === resultsDir ? begun : await begin(allure, { reports: job.reports, resultsDir });
  named(started, job.name);
  // what was not read as it was written, the late ones among it
  await readResults(allure, started.report, resultsDir, await filesOf(resultsDir, (n) => !started.read.has(n)));
  for (const dir of others) await readResults(allure, started.report, dir, await filesOf(dir));
  await started.report.done();
}

try {
  const allure = await loadAllure();
  /** the report started on a `begin` (or an `ingest`), once the results said so far are read into it */
  let early;
  // each step after the one before it; a failure is said when asked to render
  const then = (step) => {
    early = (early ?? Promise.resolve(undefined)).then(step);
    early.catch(() => undefined);
  };
  // the report started for `job`'s results: the one begun already, or a new one
  const startedFor = (job) => async (started) =>
    started?.resultsDir === job.resultsDir ? started : begin(allure, job);
  process.on('message', (job) => {
    if (job.kind === 'begin') then(startedFor(job));
    else if (job.kind === 'results')
      then(async (started) => {
        if (started) await readNew(allure, started, job.names);
        return started;
      });
    else if (job.kind === 'ingest')
      then(async (previous) => {
        const started = await startedFor(job)(previous);
        await readNew(allure, started, await filesOf(job.resultsDir));
        return started;
      });
    else
      render(allure, job, early).then(
        () => answer({ kind: 'done' }, 0),
        (e) => answer({ kind: 'failed', why: String(e?.message ?? e) }, 1),
      );
  });
  process.send({ kind: 'ready' });
} catch (e) {
  answer({ kind: 'failed', why: `Allure could not be loaded: ${String(e?.message ?? e)}` }, 1);
}
