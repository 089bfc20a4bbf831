import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { bundleSuite } from '../../helpers/run/suite-bundle.ts';
import { workerLoad } from '../../helpers/run/vitest-driver.ts';

describe('the suite as the workers load it', () => {
  test('each part file bundled with the suite, packages left to Node, under its digest', async () => {
    const bundle = await bundleSuite();
    if (!('dir' in bundle)) throw new Error(bundle.why);
    expect(readdirSync(bundle.dir).sort()).toEqual(['part-1.test.mjs', 'part-2.test.mjs']);
    const part = readFileSync(join(bundle.dir, 'part-2.test.mjs'), 'utf8');
    expect(part).toContain('registerPart(2, 2)');
    expect(part).toMatch(/from "undici"/);
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
