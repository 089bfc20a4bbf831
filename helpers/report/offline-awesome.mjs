// The report's plugin (allurerc.mjs): Allure's awesome plugin, with every HTML page written without the
// analytics it adds (analytics.mjs). Stripped as the page is written: reading the 20 MB page back and
// writing it again cost the run a fifth of a second.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { stripAnalytics } from './analytics.mjs';

// the plugin the allure package itself depends on, resolved from there
const fromAllure = createRequire(createRequire(import.meta.url).resolve('allure'));
const { default: AwesomePlugin } = await import(pathToFileURL(fromAllure.resolve('@allurereport/plugin-awesome')).href);

// the page's data begins here; Allure puts its analytics in the head, before it. Only what comes before is
// decoded and stripped (the whole 20 MB page took a tenth of a second more); the run checks the whole page
const DATA = 'window.allureReportData';

/** `page` without analytics */
function offlinePage(page) {
  const bytes = Buffer.isBuffer(page) ? page : Buffer.from(String(page), 'utf8');
  const at = bytes.indexOf(DATA);
  const cut = at < 0 ? bytes.length : at;
  return Buffer.concat([
    Buffer.from(stripAnalytics(bytes.subarray(0, cut).toString('utf8')), 'utf8'),
    bytes.subarray(cut),
  ]);
}

/** `context` with its report files writing every .html page without analytics */
function offline(context) {
  const files = context.reportFiles;
  const addFile = (path, data) => files.addFile(path, path.endsWith('.html') ? offlinePage(data) : data);
  return Object.create(context, { reportFiles: { value: Object.create(files, { addFile: { value: addFile } }) } });
}

export default class OfflineAwesomePlugin extends AwesomePlugin {
  constructor(...args) {
    super(...args);
    // the awesome plugin's hooks are instance properties, not methods
    for (const hook of ['update', 'done']) {
      const original = this[hook];
      this[hook] = (context, store) => original(offline(context), store);
    }
  }
}
