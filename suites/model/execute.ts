// Runs one check to a result, the same way under every runner (vitest with Allure, the in-process runner):
// what broke it (the environment, the product, the suite), one retry with fresh data for the environment.
import { randomUUID } from 'node:crypto';
import type { Exchange } from '../../helpers/client/http.ts';
import { CreatesStopped } from '../../helpers/client/create.ts';
import { TransportError } from '../../helpers/client/http.ts';
import { withExchangeSink } from '../../helpers/client/recorder.ts';
import { EnvironmentAnswer, KEYS_REFUSED } from '../../helpers/run/environment.ts';
import type { RunEnv } from '../../helpers/run/run-env.ts';
import { replayOf } from '../../helpers/report/replay.ts';
import {
  checkTitle,
  silentReporter,
  type BrokenCause,
  type CheckResult,
  type CheckStatus,
  type Failure,
  type StepReporter,
} from '../../helpers/report/result.ts';
import { CheckContext, Nonconformance, NotVerified, PreconditionFailed, type Check } from './check.ts';

/**
 * Runs one check to a result. Never throws. A check broken by the environment (no answer, a gateway, a
 * redirect, refused keys) with no contract failure yet is tried once more with fresh data: passing then,
 * it is reported as passed after a retry.
 */
export async function executeCheck(
  check: Check,
  env: RunEnv,
  reporter: StepReporter = silentReporter,
): Promise<CheckResult> {
  const first = await attempt(check, env, reporter, 1);
  if (first.status !== 'broken' || first.cause !== 'environment' || first.failures.length || first.stop) return first;
  const second = await reporter.step(`attempt 2, with fresh data (attempt 1 broke: ${first.reason})`, () =>
    attempt(check, env, reporter, 2),
  );
  return {
    ...second,
    retried: first.reason,
    durationMs: first.durationMs + second.durationMs,
    requests: first.requests + second.requests,
  };
}

/** What ended a check's run: its status, and why when it is not simply passed or failed. */
interface Ending {
  status: CheckStatus;
  why?: string;
  cause?: BrokenCause;
}

/**
 * Whose problem a thrown error is: the product's (a nonconformance, a precondition), the
 * environment's, the suite's.
 */
function endingOf(err: unknown, env: RunEnv): Ending {
  const broken = (cause: BrokenCause, why: string): Ending => ({ status: 'broken', cause, why });
  if (err instanceof Nonconformance) return { status: 'failed' };
  if (err instanceof NotVerified) return { status: 'not-verified', why: err.message };
  if (err instanceof TransportError) {
    // no answer, or not a whole one: nothing the contract can judge
    env.monitor.see(err.message);
    return broken('environment', err.message);
  }
  if (err instanceof EnvironmentAnswer) return broken('environment', err.message);
  if (err instanceof CreatesStopped) return broken('environment', `not run on: ${err.message}`);
  if (err instanceof PreconditionFailed)
    return broken('product', err.message + (err.curl ? `\n  reproduce: ${err.curl}` : ''));
  return broken('suite', `suite error: ${(err as Error)?.stack ?? String(err)}`);
}

/**
 * A failure that is a 401 to the other entity's credentials may be the product's (a foreign customer
 * answered 401 instead of 403) or the environment's (the key was revoked): a get of an unknown id with the
 * same credentials tells them apart. A 401 there too is the environment's, not the product's.
 */
async function revokedKey(t: CheckContext): Promise<Ending | undefined> {
  const asOther = t.failures.some((f) => refusedKeyFailure(t, f, 'CUSTOMER_API_OTHER'));
  if (!asOther || !t.cfg.other) return undefined;
  const probe = await t.api
    .send({ method: 'GET', path: `/${randomUUID()}`, as: 'other', observe: false })
    .catch(() => undefined);
  if (probe?.status !== 401) return undefined;
  return {
    status: 'broken',
    cause: 'environment',
    why:
      `the other entity's credentials (CUSTOMER_API_OTHER_KEY) are ${KEYS_REFUSED} for any request now: ` +
      'revoked or expired during the run; the failures seen with them are not judged',
  };
}

/** A failure that is a 401 answered to configured credentials (`prefix`'s, or either entity's). */
function refusedKeyFailure(t: CheckContext, f: Failure, prefix?: string): boolean {
  const ex = f.step === undefined ? undefined : t.exchanges[f.step];
  const a = ex?.request.auth;
  return ex?.response?.status === 401 && a !== undefined && 'prefix' in a && (!prefix || a.prefix === prefix);
}

/** The check broke because the environment refused the configured credentials (revoked, expired). */
const keysRefused = (e: Ending) =>
  e.status === 'broken' && e.cause === 'environment' && (e.why ?? '').includes(KEYS_REFUSED);

/** The result of a check that did not run: not verified under this configuration, or the run was stopped. */
function notRun(check: Check, env: RunEnv): Omit<CheckResult, keyof ReturnType<typeof baseOf>> | undefined {
  const reason = check.needs?.(env.cfg);
  const none = { failures: [], verified: [], durationMs: 0, requests: 0 };
  if (reason) return { status: 'not-verified', reason, ...none };
  const stopped = env.monitor.tripped;
  if (stopped)
    return { status: 'broken', cause: 'environment', ...stopOf(env), reason: `not run: ${stopped}`, ...none };
  return undefined;
}

const baseOf = (check: Check) => ({
  name: check.name,
  title: checkTitle(check),
  ids: check.ids,
  feature: check.feature,
  tags: check.tags,
  params: check.params,
});

async function attempt(check: Check, env: RunEnv, reporter: StepReporter, n: number): Promise<CheckResult> {
  const t0 = performance.now();
  const skipped = notRun(check, env);
  if (skipped) return { ...baseOf(check), ...skipped };
  let requests = 0;
  let ending: Ending = { status: 'passed' };
  const t = new CheckContext(check, env, reporter, n);
  const sink = async (ex: Exchange) => {
    requests++;
    t.exchanges.push(ex);
    await reporter.exchange(ex, env.redactor);
  };
  await withExchangeSink(sink, async () => {
    try {
      await check.run(t);
    } catch (err) {
      ending = endingOf(err, env);
    } finally {
      await t.cleanup(reporter);
    }
  });
  if (t.failures.length && ending.status !== 'broken') ending = (await revokedKey(t)) ?? ending;
  const { why, cause } = ending;
  // a key the environment refused: the 401s answered to it are not judged, so no statement fails on them
  const judged = keysRefused(ending) ? t.failures.filter((f) => !refusedKeyFailure(t, f)) : t.failures;
  const status = judged.length && ending.status !== 'broken' ? 'failed' : ending.status;
  // whatever a target echoed, no secret leaves the check in a result (reports, console, Allure, JUnit)
  const r = env.redactor;
  const failures = judged.map((f) => ({
    ...f,
    expected: r.text(f.expected),
    actual: r.text(f.actual),
    ...(f.curl === undefined ? {} : { curl: r.text(f.curl) }),
  }));
  return {
    ...baseOf(check),
    status,
    failures,
    verified: [...t.verified],
    reason: why === undefined ? undefined : r.text(why),
    ...(cause ? { cause } : {}),
    ...stopOf(env),
    ...(status === 'failed' ? { replay: replayOf(t.exchanges, env.cfg, env.redactor) } : {}),
    durationMs: performance.now() - t0,
    requests,
  };
}

const stopOf = (env: RunEnv) =>
  env.monitor.tripped
    ? { stop: env.monitor.tripped, stopCode: env.monitor.exitCode, unusableCreates: env.monitor.unusableCreates }
    : {};
