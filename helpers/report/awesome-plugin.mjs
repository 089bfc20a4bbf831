// The report's plugin (allurerc.mjs): Allure's awesome plugin, with every HTML page written without the
// analytics it adds (analytics.mjs). Stripped as the page is written: reading the 20 MB page back and
// writing it again cost the run about a tenth of a second on a quiet machine.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ANALYTICS_HOST, stripAnalytics } from './analytics.mjs';

// the plugin the allure package itself depends on, resolved from there
const fromAllure = createRequire(createRequire(import.meta.url).resolve('allure'));
const { default: AwesomePlugin } = await import(pathToFileURL(fromAllure.resolve('@allurereport/plugin-awesome')).href);

// Allure puts its analytics between its application's script (3.6 MB) and the page's data (15 MB): only the
// scripts from the first mention of them to the data are decoded and stripped (the whole page took a tenth of
// a second more). A page without the mention is written as it is; the run checks the whole page it wrote.
const DATA = 'window.allureReportData';

/**
 * `page` without analytics, in the pieces it is written in (the file is written a piece after another: joining
 * them first copied the 20 MB page once more, 50 ms)
 */
function offlinePage(page) {
  const bytes = Buffer.isBuffer(page) ? page : Buffer.from(String(page), 'utf8');
  const mention = bytes.indexOf(ANALYTICS_HOST);
  if (mention < 0) return bytes;
  const from = Math.max(0, bytes.lastIndexOf('<script', mention));
  const data = bytes.indexOf(DATA, mention);
  const to = data < 0 ? bytes.length : data;
  const middle = Buffer.from(stripAnalytics(bytes.subarray(from, to).toString('utf8')), 'utf8');
  return [bytes.subarray(0, from), middle, bytes.subarray(to)];
}

/**
 * `context` with its report files writing every .html page without analytics (Allure's writeFile takes the
 * pieces as it takes a buffer). Outside a CI service, Allure describes the git checkout it runs in: the
 * suite's own, not the target's (its folder, its branch, and its origin's address, with any credentials
 * written into it). That description is left out; a CI service's own (its job, pipeline and branch, from its
 * environment) is kept.
 */
function reportContext(context) {
  const files = context.reportFiles;
  const addFile = (path, data) => files.addFile(path, path.endsWith('.html') ? offlinePage(data) : data);
  return Object.create(context, {
    reportFiles: { value: Object.create(files, { addFile: { value: addFile } }) },
    ...(context.ci?.type === 'local' && { ci: { value: undefined } }),
  });
}

export default class ReportAwesomePlugin extends AwesomePlugin {
  constructor(...args) {
    super(...args);
    // the awesome plugin's hooks are instance properties; `info` is a method
    for (const hook of ['update', 'done', 'info']) {
      const original = this[hook].bind(this);
      this[hook] = (context, store) => original(reportContext(context), store);
    }
  }
}
