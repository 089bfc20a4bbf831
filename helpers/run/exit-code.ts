// How a run ends: the exit code (0 every verified check passed; 1 nonconformance; 2 configuration or
// environment error, an unstable target, a timeout or a stop; 130 interrupted) and the lines that say why.
// With a baseline only a regression exits 1; with --fail-on-incomplete an INCOMPLETE verdict exits 1 too.
import type { CheckResult } from '../report/result.ts';
import type { Overall } from '../report/verdict.ts';
import { cut } from '../client/text.ts';

/** More checks than this broken by the environment (even when tried again) make the run exit 2: "target unstable". */
export const MAX_BROKEN = 3;

export interface RunEnd {
  /** the signal that interrupted the run */
  interrupted?: string;
  /** why the run was stopped early, and the exit code the stop asked for */
  stopped?: string;
  stopCode: 1 | 2;
  /** creates answered without a usable customer */
  unusableCreates: number;
  timedOut: boolean;
  runTimeoutMs: number;
  results: readonly CheckResult[];
  /** how many checks were selected */
  selected: number;
  /** what the test runner reported failing outside any check, secrets masked */
  runnerErrors?: readonly string[];
  /** customers the end-of-run search by marker deleted */
  sweptDeleted: number;
  overall: Overall;
  /** with --baseline: the statements failing now that did not fail in the baseline (only these gate) */
  regressions?: readonly string[];
  /** --fail-on-incomplete, and the statements left not verified */
  failOnIncomplete?: boolean;
  notVerified?: readonly string[];
}

/** The verdict's exit code once the run itself went through: a baseline and --fail-on-incomplete weigh here. */
function verdictCode(e: RunEnd): [number, string[]] {
  if (e.overall === 'NOT CONFORMANT' && e.regressions) {
    if (e.regressions.length)
      return [1, [`${e.regressions.length} regression(s) against the baseline: ${e.regressions.join(', ')}`]];
    // a baseline records statements, not checks: a check the product left without a customer still gates
    const refused = e.results.filter((r) => r.status === 'broken' && r.cause === 'product');
    if (refused.length)
      return [1, [`${refused.length} check(s) got no customer to test with (the product refused a valid create)`]];
    if (!(e.failOnIncomplete && e.notVerified?.length)) return [0, []];
  }
  if ((e.overall === 'INCOMPLETE' || e.regressions) && e.failOnIncomplete) {
    const ids = e.notVerified ?? [];
    const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, …` : ids.join(', ');
    return [
      1,
      [
        `INCOMPLETE and --fail-on-incomplete: ${ids.length} statement(s) not verified` +
          `${ids.length ? ` (${shown})` : ''}; see the reasons above (a missing variable, a broken check)`,
      ],
    ];
  }
  return [e.overall === 'NOT CONFORMANT' ? 1 : 0, []];
}

const firstLine = (r: CheckResult | undefined) => r?.reason?.split('\n')[0];

/** A stop while creates went unanswered: the customers they may have stored are not all known. */
function stoppedWithUnknownCreates(e: RunEnd): string[] {
  return [
    `stopped: ${e.stopped}`,
    `${e.unusableCreates} create(s) answered without a usable customer may each have stored one this run cannot ` +
      `delete by id (the end-of-run search by marker deleted ${e.sweptDeleted} customer(s)); ` +
      'run npm run cleanup to search for them again',
  ];
}

/** The exit code, and the lines (each for stderr) that say why it is not the verdict's. */
export function exitCode(e: RunEnd): [number, string[]] {
  if (e.interrupted) return [130, []];
  if (e.stopped && e.unusableCreates) return [e.stopCode, stoppedWithUnknownCreates(e)];
  if (e.stopped)
    return [
      2,
      [
        `stopped: the target does not answer as the Customer API does (${e.stopped})`,
        'check CUSTOMER_API_BASE_URL, the credentials and the network (npm run doctor); ' +
          'nothing was judged from these answers',
      ],
    ];
  const unstable = e.results.filter((r) => r.status === 'broken' && r.cause !== 'product');
  if (unstable.length > MAX_BROKEN)
    return [
      2,
      [
        `the target is unstable: ${unstable.length} checks got no usable answer even when tried again ` +
          `(the first: ${firstLine(unstable[0])}); their statements are not verified`,
      ],
    ];
  if (e.timedOut)
    return [
      2,
      [
        `the run exceeded CUSTOMER_API_RUN_TIMEOUT_MS=${e.runTimeoutMs} and was stopped; ` +
          "raise it or check the target's latency",
      ],
    ];
  if (e.results.length < e.selected) {
    const why = e.runnerErrors?.length ? `: ${cut(e.runnerErrors.join('; '), 300)}` : '; see reports/allure-report';
    return [2, [`only ${e.results.length} of ${e.selected} checks reported a result${why}`]];
  }
  return verdictCode(e);
}
