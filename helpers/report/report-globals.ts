// The certificate and the contract, attached to the Allure report as a whole (its global attachments), so
// a report sent on its own still carries the verdict's evidence and the text it was judged against. They
// sit in a results folder of their own: the certificate digests allure-results, so it cannot be inside it.
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** What the report carries: a name, a file and its media type. */
const ATTACHED = (reports: string) => [
  { name: 'Certificate (Markdown)', file: join(reports, 'certificate.md'), type: 'text/markdown' },
  {
    name: 'Certificate (JSON, verified by npm run verify)',
    file: join(reports, 'certificate.json'),
    type: 'application/json',
  },
  { name: 'Contract: customer-api.md', file: join(ROOT, 'fixtures/customer-api.md'), type: 'text/markdown' },
  {
    name: 'Contract: customer-api.openapi.json',
    file: join(ROOT, 'fixtures/customer-api.openapi.json'),
    type: 'application/json',
  },
];

/** Writes reports/allure-globals (an Allure results folder holding only global attachments); returns its path. */
export function writeReportGlobals(reports: string): string {
  const dir = join(reports, 'allure-globals');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const attachments = ATTACHED(reports)
    .filter((a) => existsSync(a.file))
    .map((a) => {
      const source = `${randomUUID()}-attachment.${basename(a.file).split('.').pop()}`;
      copyFileSync(a.file, join(dir, source));
      return { name: a.name, source, type: a.type, timestamp: now };
    });
  writeFileSync(join(dir, `${randomUUID()}-globals.json`), JSON.stringify({ attachments, errors: [] }));
  return dir;
}
