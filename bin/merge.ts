// npm run merge -- [--out DIR] DIR…: the reports folders of the shards of one run (npm run conformance --
// --shard I/N) joined into one, with the verdict and counts of one unsharded run of the same selection.
// Exit 0: CONFORMANT or INCOMPLETE (1 with --fail-on-incomplete); 1: NOT CONFORMANT; 2: shards that are not
// of one run (different selection, configuration or contract, an index missing or twice) or bad arguments.
import { ConfigError } from '../helpers/config/config-error.ts';
import { cut, inert, oneLine } from '../helpers/client/text.ts';
import type { Env } from '../helpers/config/config.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { reportsDir } from '../helpers/config/env-file.ts';
import { readArgs } from '../helpers/run/cli-args.ts';

export const USAGE = `usage: npm run merge -- [--out DIR] DIR…
  joins the reports folders of the shards of one run (npm run conformance -- --shard I/N) into one:
  conformance.json/md, certificate, junit.xml and the Allure report, as one unsharded run writes them
  --out DIR             where the merged reports go (default: reports)
  --fail-on-incomplete  an INCOMPLETE verdict exits 1
  --version             the suite's version
  --help                this text`;

export async function main(
  argv: readonly string[],
  env: Env,
  out = process.stdout,
  err = process.stderr,
): Promise<number> {
  const fail = (s: string) => void err.write(`merge: ${inert(s)}\n`);
  let read;
  try {
    read = readArgs(
      {
        name: 'merge',
        usage: USAGE,
        options: { out: { type: 'string' }, 'fail-on-incomplete': { type: 'boolean' } },
        positionals: true,
      },
      argv,
    );
  } catch (e) {
    fail((e as Error).message);
    return 2;
  }
  if ('print' in read) {
    out.write(`${read.print}\n`);
    return 0;
  }
  const { values, positionals } = read;
  const { mergeReports } = await import('../helpers/report/merge.ts');
  try {
    const dir = values.out ?? reportsDir(env);
    const m = await mergeReports(positionals, dir, env);
    const s = m.summary;
    out.write(`merged ${m.shards.length} shards: ${s.checks.total} checks · verdict ${s.overall}\n`);
    const why = cut(oneLine(m.notRendered ?? 'Allure could not render it'), 200);
    const html = m.rendered ? `${dir}/allure-report/index.html` : `Allure HTML not rendered (${why})`;
    out.write(`reports: ${dir}/certificate.md · ${dir}/conformance.md · ${dir}/junit.xml · ${html}\n`);
    if (s.overall === 'NOT CONFORMANT') return 1;
    return s.overall === 'INCOMPLETE' && values['fail-on-incomplete'] ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    fail(e.message);
    return 2;
  }
}

if (isEntry(import.meta.url)) process.exitCode = await main(process.argv.slice(2), process.env);
