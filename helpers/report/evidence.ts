// The certificate's evidence: sha256 digests of the contract and of every evidence file a run wrote. Signing
// the certificate is signature.ts; checking a reports folder against its certificate is verify-reports.ts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const sha256File = (path: string): string => sha256(readFileSync(path));

/** The contract the run was judged against, by digest. */
export function contractDigests(): Record<string, string> {
  return Object.fromEntries(
    ['fixtures/customer-api.md', 'fixtures/customer-api.openapi.json'].map((f) => [f, sha256File(join(ROOT, f))]),
  );
}

/** The evidence files of a reports folder, relative to it: the summary, the JUnit XML and the Allure results. */
export function evidenceFiles(dir: string): string[] {
  // each entry's type from the directory listing (a stat a file took 25 ms of a run's 1,000 Allure files); a
  // link is followed, as a stat follows it
  const isDir = (d: string, e: Dirent) =>
    e.isDirectory() || (e.isSymbolicLink() && statSync(join(d, e.name)).isDirectory());
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
          isDir(d, e) ? walk(join(d, e.name)) : [join(d, e.name)],
        )
      : [];
  const files = [join(dir, 'conformance.json'), join(dir, 'junit.xml'), ...walk(join(dir, 'allure-results'))].filter(
    (f) => existsSync(f),
  );
  return files.map((f) => relative(dir, f)).sort();
}

export function evidenceDigests(dir: string): Record<string, string> {
  return Object.fromEntries(evidenceFiles(dir).map((f) => [f, sha256File(join(dir, f))]));
}
