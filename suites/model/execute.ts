// Runs one check to a result, the same way under every runner (vitest with Allure, the in-process runner):
// what broke it (the environment, the product, the suite), one retry with fresh data for the environment.
import { CreatesStopped } from '../../helpers/client/api.ts';
import { TransportError } from '../../helpers/client/http.ts';
import { withExchangeSink } from '../../helpers/client/recorder.ts';
import { EnvironmentAnswer } from '../../helpers/run/environment.ts';
import type { RunEnv } from '../../helpers/run/run-env.ts';
import { replayOf } from '../../helpers/report/replay.ts';
import {
  checkTitle,
  silentReporter,
  type BrokenCause,
  type CheckResult,
  type CheckStatus,
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

async function attempt(check: Check, env: RunEnv, reporter: StepReporter, n: number): Promise<CheckResult> {
  const t0 = performance.now();
  let requests = 0;
  const base = {
    name: check.name,
    title: checkTitle(check),
    ids: check.ids,
    feature: check.feature,
    tags: check.tags,
    params: check.params,
  };
  const reason = check.needs?.(env.cfg);
  if (reason)
    return { ...base, status: 'not-verified', failures: [], verified: [], reason, durationMs: 0, requests: 0 };
  const stopped = env.monitor.tripped;
  if (stopped)
    return {
      ...base,
      status: 'broken',
      cause: 'environment',
      ...stopOf(env),
      failures: [],
      verified: [],
      reason: `not run: ${stopped}`,
      durationMs: 0,
      requests: 0,
    };
  const t = new CheckContext(check, env, reporter, n);
  let status = 'passed' as CheckStatus;
  let why: string | undefined;
  let cause: BrokenCause | undefined;
  const broken = (c: BrokenCause, message: string) => {
    status = 'broken';
    cause = c;
    why = message;
  };
  await withExchangeSink(
    async (ex) => {
      requests++;
      t.exchanges.push(ex);
      await reporter.exchange(ex, env.redactor);
    },
    async () => {
      try {
        await check.run(t);
      } catch (err) {
        if (err instanceof Nonconformance) status = 'failed';
        else if (err instanceof NotVerified) {
          status = 'not-verified';
          why = err.message;
        } else if (err instanceof TransportError) {
          // no answer, or not a whole one: nothing the contract can judge
          env.monitor.see(err.message);
          broken('environment', err.message);
        } else if (err instanceof EnvironmentAnswer) broken('environment', err.message);
        else if (err instanceof CreatesStopped) broken('environment', `not run on: ${err.message}`);
        else if (err instanceof PreconditionFailed)
          broken('product', err.message + (err.curl ? `\n  reproduce: ${err.curl}` : ''));
        else broken('suite', `suite error: ${(err as Error)?.stack ?? String(err)}`);
      } finally {
        await t.cleanup(reporter);
      }
    },
  );
  if (t.failures.length && status !== 'broken') status = 'failed';
  // whatever a target echoed, no secret leaves the check in a result (reports, console, Allure, JUnit)
  const r = env.redactor;
  const failures = t.failures.map((f) => ({
    ...f,
    expected: r.text(f.expected),
    actual: r.text(f.actual),
    ...(f.curl === undefined ? {} : { curl: r.text(f.curl) }),
  }));
  const replay = status === 'failed' ? replayOf(t.exchanges, env) : undefined;
  return {
    ...base,
    status,
    failures,
    verified: [...t.verified],
    reason: why === undefined ? undefined : r.text(why),
    ...(cause ? { cause } : {}),
    ...stopOf(env),
    ...(replay ? { replay } : {}),
    durationMs: performance.now() - t0,
    requests,
  };
}

const stopOf = (env: RunEnv) =>
  env.monitor.tripped
    ? { stop: env.monitor.tripped, stopCode: env.monitor.exitCode, unusableCreates: env.monitor.unusableCreates }
    : {};
