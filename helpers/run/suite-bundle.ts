// The suite as vitest's workers load it: each part file (suites/part-N.test.ts) bundled by esbuild with the
// suite's own modules into one JavaScript file, the packages left to Node. A worker then imports one file with
// Node's own loader instead of some 60 TypeScript modules through tsx's hooks (the suite loads in 0.17 s
// instead of 0.4 s in a process of its own). Built on every run from the sources as they are (a few tens of
// milliseconds) and kept under the bundle's own digest: runs side by side share it, and no stale copy is ever
// loaded. It lives under the project's node_modules so that the packages it imports resolve as they do for
// the sources. When it cannot be built, the workers load the TypeScript through tsx: slower, the same checks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'conformance-suite');
/** the test files, one a worker (suites/harness.ts balances the checks between them) */
export const PART_FILES = readdirSync(join(ROOT, 'suites'))
  .filter((f) => /^part-\d+\.test\.ts$/.test(f))
  .sort()
  .map((f) => `suites/${f}`);
/** a bundle no run has used for a day is deleted (those of sources since changed) */
const KEEP_MS = 24 * 3600_000;

export interface SuiteBundle {
  /** the folder holding the bundled part files (part-N.test.mjs) */
  dir: string;
}

/** The bundled part files (`entries`, from the project's root), or why there are none. */
export async function bundleSuite(entries = PART_FILES): Promise<SuiteBundle | { why: string }> {
  try {
    const { build } = await import('esbuild');
    const built = await build({
      entryPoints: entries.map((f) => join(ROOT, f)),
      outdir: CACHE,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const digest = createHash('sha256');
    for (const f of built.outputFiles) digest.update(basename(f.path)).update(f.contents);
    const dir = join(CACHE, digest.digest('hex').slice(0, 16));
    if (existsSync(dir)) utimesSync(dir, new Date(), new Date());
    else publish(dir, built.outputFiles);
    prune(dir);
    return { dir };
  } catch (e) {
    // esbuild's message says how many errors on its first line, and what they are on the next
    return {
      why: String(e instanceof Error ? e.message : e)
        .replace(/\s+/g, ' ')
        .slice(0, 300),
    };
  }
}

/** Writes the files into a folder of their own, then renames it into place: a run beside this one sees all or none. */
function publish(dir: string, files: { path: string; contents: Uint8Array }[]): void {
  const staging = `${dir}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  for (const f of files) writeFileSync(join(staging, basename(f.path)), f.contents);
  try {
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // another run published the same bundle first
    if (!existsSync(dir)) throw e;
  }
}

/** Deletes the bundles no run has used for a day. */
function prune(current: string): void {
  const now = Date.now();
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    // a run beside this one may have deleted it first
    const used = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (path !== current && now - used > KEEP_MS) rmSync(path, { recursive: true, force: true });
  }
}
