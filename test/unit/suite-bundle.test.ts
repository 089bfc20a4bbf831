import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bundle } from '../../helpers/run/bundle-cache.mjs';
import { bundleSuite } from '../../helpers/run/suite-bundle.ts';
import { workerLoad } from '../../helpers/run/vitest-driver.ts';

describe('the suite as the workers load it', () => {
  test('each part file bundled with the suite, packages left to Node, under its digest', async () => {
    const bundle = await bundleSuite();
    if (!('dir' in bundle)) throw new Error(bundle.why);
    expect(readdirSync(bundle.dir).sort()).toEqual(['part-1.test.mjs', 'part-2.test.mjs']);
    const part = readFileSync(join(bundle.dir, 'part-2.test.mjs'), 'utf8');
    expect(part).toContain('registerPart(2, 2)');
    expect(part).toMatch(/from "zod"/);
    // undici's dispatchers required from the package at run time (helpers/client/undici-core.mjs), not copied in
    expect(part).toContain('"undici/lib/dispatcher/agent.js"');
    expect(part).not.toContain('node_modules/undici');
    // the same sources, the same bundle
    expect(await bundleSuite()).toEqual(bundle);
    const preload = ['--import', expect.stringMatching(/^file:.*helpers\/run\/preload-worker\.mjs$/)];
    expect(workerLoad(bundle)).toEqual({
      dir: bundle.dir,
      include: ['part-*.test.mjs'],
      exclude: [],
      execArgv: preload,
    });
  });

  test('sources that do not build: the reason, and the workers load the TypeScript through tsx', async () => {
    const bundle = await bundleSuite(['suites/no-such-part.test.ts']);
    expect(bundle).toEqual({ why: expect.stringMatching(/no-such-part/) });
    expect(workerLoad(bundle)).toEqual({
      include: ['suites/part-1.test.ts', 'suites/part-2.test.ts'],
      execArgv: [
        '--import',
        expect.stringMatching(/^file:.*helpers\/run\/preload-worker\.mjs$/),
        '--import',
        expect.stringMatching(/^file:.*helpers\/run\/preload-worker-tsx\.mjs$/),
      ],
    });
  });
});

describe('a bundle of the sources (bundle-cache.mjs)', () => {
  const ROOT = join(import.meta.dirname, '../..');

  test('built again once a file it came from changes, else taken as it is; modules keep their paths', async () => {
    const dir = mkdtempSync(join(ROOT, 'test', '.bundle-'));
    const rel = (f: string) => relative(ROOT, join(dir, f));
    try {
      writeFileSync(
        join(dir, 'entry.ts'),
        "import { where, n } from './dep.ts';\nexport const entry = import.meta.url;\nexport { where, n };\n",
      );
      writeFileSync(join(dir, 'dep.ts'), 'export const where = import.meta.dirname;\nexport const n = 1;\n');
      const first = await bundle([rel('entry.ts')]);
      if (!('dir' in first)) throw new Error(first.why);
      const load = async (b: { dir: string }) => import(pathToFileURL(join(b.dir, 'entry.mjs')).href);
      const m = await load(first);
      // the imported module sees its source's folder; the entry, the bundle it is
      expect(m.where).toBe(dir);
      expect(m.entry).toBe(pathToFileURL(join(first.dir, 'entry.mjs')).href);
      expect(await bundle([rel('entry.ts')])).toEqual(first);
      writeFileSync(join(dir, 'dep.ts'), 'export const where = import.meta.dirname;\nexport const n = 2;\n');
      const second = await bundle([rel('entry.ts')]);
      if (!('dir' in second)) throw new Error(second.why);
      expect(second.dir).not.toBe(first.dir);
      expect((await load(second)).n).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two checkouts sharing one node_modules (a link): each runs its own sources', async () => {
    const other = mkdtempSync(join(tmpdir(), 'checkout-'));
    const entry = join('test', `.bundle-${process.pid}`, 'entry.ts');
    const write = (root: string, n: number) => {
      mkdirSync(join(root, entry, '..'), { recursive: true });
      writeFileSync(join(root, entry), `export const n = ${n};\n`);
    };
    try {
      mkdirSync(join(other, 'helpers', 'run'), { recursive: true });
      copyFileSync(join(ROOT, 'helpers/run/bundle-cache.mjs'), join(other, 'helpers/run/bundle-cache.mjs'));
      symlinkSync(join(ROOT, 'node_modules'), join(other, 'node_modules'));
      write(ROOT, 1);
      write(other, 2);
      const theirs = (await import(pathToFileURL(join(other, 'helpers/run/bundle-cache.mjs')).href)) as {
        bundle: typeof bundle;
      };
      const n = async (b: Awaited<ReturnType<typeof bundle>>) => {
        if (!('dir' in b)) throw new Error(b.why);
        return ((await import(pathToFileURL(join(b.dir, 'entry.mjs')).href)) as { n: number }).n;
      };
      expect(await n(await bundle([entry]))).toBe(1);
      expect(await n(await theirs.bundle([entry]))).toBe(2);
      expect(await n(await bundle([entry]))).toBe(1);
    } finally {
      rmSync(join(ROOT, entry, '..'), { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
