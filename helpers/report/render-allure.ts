// The Allure HTML report of a run: reports/allure-results rendered into one self-contained
// reports/allure-report/index.html that calls no host, with the certificate and the contract attached to the
// report as a whole; and the entries the run adds to the results' environment.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { compactHistory } from './allure-history.ts';
import { makeOffline } from './offline.ts';
import { writeReportGlobals } from './report-globals.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The allure command line's script: the package's exports hide package.json, so found beside its entry point. */
function allureBin(): string {
  const require = createRequire(import.meta.url);
  const modules = join(require.resolve('allure').split('/node_modules/allure/')[0]!, 'node_modules');
  const pkg = join(modules, 'allure', 'package.json');
  const b = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: string | Record<string, string> }).bin;
  return join(pkg, '..', typeof b === 'string' ? b : b.allure!);
}

/** Renders `reports`/allure-results into `reports`/allure-report; false when allure generate failed. */
export function renderAllure(reports: string, name = 'Customer API conformance'): boolean {
  const bin = allureBin();
  const args = ['generate', join(reports, 'allure-results'), writeReportGlobals(reports), '--config', 'allurerc.mjs'];
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: ROOT,
    env: { ...process.env, CONFORMANCE_REPORTS_DIR: reports, CONFORMANCE_REPORT_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  if (r.status !== 0) return false;
  compactHistory(join(reports, 'allure-history.jsonl'));
  makeOffline(join(reports, 'allure-report'));
  return true;
}

/** Adds entries to the results' environment.properties (Java properties: spaces, = and : in keys escaped). */
export function appendEnvironment(resultsDir: string, entries: Record<string, string>): void {
  const key = (k: string) => k.replace(/([ =:\\])/g, '\\$1');
  const lines = Object.entries(entries).map(([k, v]) => `${key(k)}=${v.replace(/\n/g, ' ')}`);
  const file = join(resultsDir, 'environment.properties');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, `${lines.join('\n')}\n${before}`);
}
