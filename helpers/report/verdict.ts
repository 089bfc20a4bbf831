// Per-id verdicts from check results: failed if any check found it broken, passed if some assertion on it
// held and none failed, otherwise not verified, with the reason. Never shows "not verified" as passed.
import {
  ORIGIN_LABEL,
  STATEMENTS,
  originOf,
  type ContractId,
  type Origin,
} from '../../fixtures/contract/statements.ts';
import type { CheckResult, Failure } from './result.ts';

/** The reason of a statement no check of the run names (a subset left it out). */
export const NOT_SELECTED = 'no check in this run names it';

export type Verdict = 'passed' | 'failed' | 'not verified';

export interface IdVerdict {
  id: ContractId;
  feature: string;
  text: string;
  /** a statement of the contract, or one the suite defines */
  origin: Origin;
  verdict: Verdict;
  /** checks that name this id */
  checks: number;
  passedChecks: number;
  failedChecks: number;
  notVerifiedChecks: number;
  /**
   * checks naming it that held without reaching it: the target's answers, as the contract allows them, made it
   * not arise (a refused update changes nothing, where the target accepted a value it may accept or refuse)
   */
  notArisenChecks: number;
  /** the first failing evidence, and the reproduction script of its check when one was written */
  evidence?: Failure & { check: string; reproduction?: string };
  /** why not verified, or which parts were not verified */
  reasons: string[];
}

export type Overall = 'CONFORMANT' | 'NOT CONFORMANT' | 'INCOMPLETE';

export function verdicts(results: readonly CheckResult[]): IdVerdict[] {
  return STATEMENTS.map((s) => {
    // checks that name the id, and those that verified it on the side (every response is checked for 500 and
    // the error body)
    const named = results.filter((r) => r.ids.includes(s.id) || r.verified.includes(s.id));
    const failures = results.flatMap((r) =>
      r.failures
        .filter((f) => f.id === s.id)
        .map((f) => ({ ...f, check: r.title, ...(r.reproduction ? { reproduction: r.reproduction } : {}) })),
    );
    const credited = results.some((r) => r.verified.includes(s.id));
    const reasons = [
      ...new Set(
        named
          .filter((r) => r.status === 'not-verified' || r.status === 'broken')
          .map((r) => `${r.title}: ${(r.reason ?? '').split('\n')[0]}`),
      ),
    ];
    const verdict: Verdict = failures.length ? 'failed' : credited ? 'passed' : 'not verified';
    if (verdict === 'not verified' && reasons.length === 0)
      reasons.push(
        !named.length
          ? NOT_SELECTED
          : named.some((r) => r.status === 'failed')
            ? 'the checks naming it stopped at an earlier failure'
            : 'no assertion on it completed',
      );
    return {
      id: s.id,
      feature: s.feature,
      text: s.text,
      origin: originOf(s.id),
      verdict,
      checks: named.length,
      // checks in which this id's assertions ran and held (the check may have failed on another id)
      passedChecks: named.filter((r) => r.verified.includes(s.id) && !r.failures.some((f) => f.id === s.id)).length,
      failedChecks: named.filter((r) => r.status === 'failed' && r.failures.some((f) => f.id === s.id)).length,
      notVerifiedChecks: named.filter((r) => r.status === 'not-verified').length,
      notArisenChecks: named.filter((r) => r.status === 'passed' && !r.verified.includes(s.id)).length,
      evidence: failures[0],
      reasons,
    };
  });
}

/**
 * NOT CONFORMANT only on the product's answers: a failed statement, or a check the product broke (it gave
 * no customer to test with). A check the environment or the suite broke leaves the run INCOMPLETE.
 */
export function overall(v: readonly IdVerdict[], results: readonly CheckResult[]): Overall {
  if (
    v.some((x) => x.verdict === 'failed') ||
    results.some((r) => r.status === 'failed' || (r.status === 'broken' && r.cause === 'product'))
  )
    return 'NOT CONFORMANT';
  if (v.some((x) => x.verdict === 'not verified') || results.some((r) => r.status === 'broken')) return 'INCOMPLETE';
  return 'CONFORMANT';
}

export interface OriginCount {
  total: number;
  passed: number;
  failed: number;
  notVerified: number;
}

/** Verdicts counted apart for the contract's statements and the suite-defined ones. */
export function countByOrigin(v: readonly IdVerdict[]): Record<Origin, OriginCount> {
  const count = (o: Origin): OriginCount => {
    const mine = v.filter((x) => x.origin === o);
    return {
      total: mine.length,
      passed: mine.filter((x) => x.verdict === 'passed').length,
      failed: mine.filter((x) => x.verdict === 'failed').length,
      notVerified: mine.filter((x) => x.verdict === 'not verified').length,
    };
  };
  return { contract: count('contract'), suite: count('suite') };
}

/** "contract: 30/30 passed; suite-defined: 3/3 passed" (with failed and not verified where there are any). */
export function originCounts(c: Record<Origin, OriginCount>): string {
  return (Object.keys(c) as Origin[])
    .filter((o) => c[o].total > 0)
    .map((o) => {
      const x = c[o];
      const more = [x.failed ? `${x.failed} failed` : '', x.notVerified ? `${x.notVerified} not verified` : '']
        .filter(Boolean)
        .join(', ');
      return `${ORIGIN_LABEL[o]}: ${x.passed}/${x.total} passed${more ? `, ${more}` : ''}`;
    })
    .join('; ');
}
