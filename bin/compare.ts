// npm run compare -- OLD.json NEW.json: two runs' conformance.json compared statement by statement. One line
// per regression (failing now, not failing before), per fix (failed before, passed now) and per statement
// whose not-verified state changed; a last line counts them. Exit 1 when there is a regression, 0 otherwise,
// 2 for bad input (one line, no stack trace). The comparison is helpers/report/baseline.ts, as --baseline's.
import {
  changeLines,
  compareVerdicts,
  contractMismatch,
  readBaseline,
  type Baseline,
} from '../helpers/report/baseline.ts';
import { ConfigError } from '../helpers/config/config-error.ts';
import { inert } from '../helpers/client/text.ts';
import { isEntry } from '../helpers/run/entry.ts';
import { readArgs } from '../helpers/run/cli-args.ts';

export const USAGE = `usage: npm run compare -- OLD.json NEW.json
  compares two runs' conformance.json (e.g. an accepted run's and today's), one line per change:
    regression    a statement failing in NEW that passed, was not verified or was absent in OLD
    fixed         a statement failing in OLD that passed in NEW
    not verified  a statement verified in one run and not in the other
  exit 1 when there is a regression, 0 otherwise, 2 when a file is missing or not a conformance.json
  --version   the suite's version
  --help      this text`;

interface Out {
  say(line: string): void;
  fail(line: string): void;
}

/** The comparison of OLD and NEW; its exit code. */
export function compare(argv: readonly string[], out: Out): number {
  let files: string[];
  let old: Baseline;
  let now: Baseline;
  try {
    const a = readArgs({ name: 'compare', usage: USAGE, options: {}, positionals: true }, argv);
    if ('print' in a) {
      out.say(a.print);
      return 0;
    }
    files = a.positionals;
    if (files.length !== 2)
      throw new ConfigError(
        `name two conformance.json files, the older first, e.g. npm run compare -- accepted.json ` +
          `reports/conformance.json (got ${files.length})`,
      );
    old = readBaseline(files[0]!, files[0]!);
    now = readBaseline(files[1]!, files[1]!);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    out.fail(e.message);
    return 2;
  }
  const other = now.contract && contractMismatch(old, now.contract);
  if (other) out.fail(`warning: ${other}`);
  const c = compareVerdicts(old.ids, now.ids);
  for (const l of changeLines(c)) out.say(l);
  out.say(
    `${c.regressions.length} regression(s), ${c.fixed.length} fixed, ${c.notVerified.length} not-verified ` +
      `change(s); ${c.known.length} failing in both (known)`,
  );
  return c.regressions.length ? 1 : 0;
}

if (isEntry(import.meta.url)) {
  try {
    process.exitCode = compare(process.argv.slice(2), {
      say: (l) => void process.stdout.write(`${l}\n`),
      fail: (l) => void process.stderr.write(`compare: ${inert(l)}\n`),
    });
  } catch (e) {
    process.stderr.write(`compare: internal error: ${inert((e as Error)?.message ?? String(e))}\n`);
    process.exitCode = 2;
  }
}
