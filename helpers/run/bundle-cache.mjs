// Bundles of the suite's TypeScript: each entry built by esbuild with the suite's own modules into one JavaScript
// file, the packages left to Node. Kept under the bundle's own digest in node_modules/.cache/conformance-suite
// (runs side by side share it), with a digest of every file it was built from: a run whose files all match
// takes it as it is (a few milliseconds to read them), and any change to one of them, or to esbuild or to this
// file, builds it again (50 to 130 ms), so no stale copy is ever loaded, whatever the files' times say.
// It lives under the project's node_modules so that the packages it imports resolve as they do for the
// sources. Plain JavaScript: the launcher (bin/launch.mjs) bundles the run itself before any TypeScript loader
// exists; the run bundles its workers' part files (suite-bundle.ts).
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'conformance-suite');
/** a bundle no run has used for a day is deleted (those of sources since changed) */
const KEEP_MS = 24 * 3600_000;
const SOURCE = /\.(ts|mjs|js|json)$/;
const LOADERS = { '.ts': 'ts', '.mjs': 'js', '.js': 'js', '.json': 'json' };

/**
 * Each bundled module keeps its own import.meta (its file, its folder), not the bundle's: the suite finds its
 * files from where its sources are. An entry keeps the bundle's, as a command's entry must (it compares its
 * own with the file node was started with). The replacement is textual: `import.meta.url` spelt inside a
 * string becomes the path there too, and a file that no longer parses fails the build (the run then loads the
 * TypeScript through tsx, and timing.json says why). `read` gets a digest of each of the project's files as it
 * was read into the bundle.
 */
function ownImportMeta(entries, read) {
  // compared as real paths: a project reached through a symbolic link is still the same files
  const entry = new Set(entries.map((p) => realpathSync(p)));
  return {
    name: 'own-import-meta',
    setup(build) {
      build.onLoad({ filter: SOURCE }, async ({ path }) => {
        if (relative(ROOT, path).split(/[\\/]/)[0] === 'node_modules') return undefined;
        const bytes = await readFile(path);
        read.set(path, digestOf(bytes));
        const source = bytes.toString('utf8');
        const contents =
          entry.has(realpathSync(path)) || path.endsWith('.json')
            ? source
            : source
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
                .replaceAll('import.meta.filename', JSON.stringify(path))
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href));
        return { contents, loader: LOADERS[extname(path)] };
      });
    },
  };
}

const digestOf = (bytes) => createHash('sha256').update(bytes).digest('base64');

/** What a file holds now (a digest of it), or '' once it is gone. */
function stampOf(path) {
  try {
    return digestOf(readFileSync(path));
  } catch {
    return '';
  }
}

/**
 * What the bundle was made from: each of the project's files as it was read into it (one changed while the
 * build ran is built again next time), and esbuild, this builder and tsconfig.json as they are.
 */
function stamps(read) {
  const esbuild = createRequire(import.meta.url).resolve('esbuild/package.json');
  const tools = [esbuild, import.meta.filename, join(ROOT, 'tsconfig.json')];
  return { ...Object.fromEntries(read), ...Object.fromEntries(tools.map((f) => [f, stampOf(f)])) };
}

/** The bundle of `entries` built before, if every file it was built from is still as it was. */
function unchanged(index) {
  try {
    const { dir, stamp } = JSON.parse(readFileSync(index, 'utf8'));
    if (!existsSync(dir) || !Object.entries(stamp).every(([f, was]) => stampOf(f) === was)) return undefined;
    for (const used of [dir, index]) utimesSync(used, new Date(), new Date());
    return { dir };
  } catch {
    return undefined;
  }
}

/**
 * `entries` (paths from the project's root) bundled into one folder, as `<name>.mjs` each: the folder, or why
 * there is none.
 */
export async function bundle(entries) {
  // the project's folder too: checkouts that share one node_modules (a link) each have their own bundle
  const key = createHash('sha256')
    .update([ROOT, ...entries].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const index = join(CACHE, `${key}.json`);
  const ready = unchanged(index);
  if (ready) return ready;
  try {
    const { build } = await import('esbuild');
    const paths = entries.map((f) => join(ROOT, f));
    const read = new Map();
    const built = await build({
      entryPoints: paths,
      outdir: CACHE,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [ownImportMeta(paths, read)],
    });
    const digest = createHash('sha256');
    for (const f of built.outputFiles) digest.update(basename(f.path)).update(f.contents);
    const dir = join(CACHE, digest.digest('hex').slice(0, 16));
    if (existsSync(dir)) utimesSync(dir, new Date(), new Date());
    else publish(dir, built.outputFiles);
    writeAtomically(index, JSON.stringify({ dir, stamp: stamps(read) }));
    prune(dir, index);
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

/** How a process loads what `bundle` gave, in timing.json's words: 'bundled', or the TypeScript and why. */
export const loadOf = (built) => ('dir' in built ? 'bundled' : `TypeScript through tsx (no bundle: ${built.why})`);

/** Writes the files into a folder of their own, then renames it into place: a run beside this one sees all or none. */
function publish(dir, files) {
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

/** `path` written whole or not at all, whatever a run beside this one does. */
function writeAtomically(path, text) {
  const staging = `${path}.${process.pid}`;
  writeFileSync(staging, text);
  renameSync(staging, path);
}

/** Deletes the bundles (and their stamps) no run has used for a day. */
function prune(...current) {
  const now = Date.now();
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    // a run beside this one may have deleted it first
    const used = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now;
    if (!current.includes(path) && now - used > KEEP_MS) rmSync(path, { recursive: true, force: true });
  }
}
