// The check model: each check is one small named function that names the contract ids it verifies.
// A registry composes them; runners (vitest with Allure, or the in-process self-test runner) execute them
// through executeCheck, so every runner judges a target the same way.
import type { ContractId, Feature, Severity } from '../../fixtures/contract/statements.ts';
import { statement } from '../../fixtures/contract/statements.ts';
import { CustomerFactory, hashSeed, type CustomerRequest } from '../../fixtures/data/factories.ts';
import { CreatesStopped, CustomerApi, type ApiResponse } from '../../helpers/client/api.ts';
import type { Config } from '../../helpers/run/config.ts';
import type { Exchange, HttpClient } from '../../helpers/client/http.ts';
import { TransportError } from '../../helpers/client/http.ts';
import type { Ledger } from '../../helpers/run/ledger.ts';
import { withExchangeSink } from '../../helpers/client/recorder.ts';
import type { Redactor } from '../../helpers/client/redact.ts';
import { errorBodyProblems } from '../../helpers/client/error-body.ts';
import { cut, oneLine } from '../../helpers/client/text.ts';
import { EnvironmentAnswer, environmentCause, GATEWAY_STATUSES, streakCause, type EnvironmentMonitor } from '../../helpers/run/environment.ts';

export type Tag = 'smoke' | 'workflow' | 'auth' | 'validation' | 'destructive' | 'timestamps' | 'errors' | 'security' | 'read-only';

export interface Check {
  name: string;
  ids: readonly ContractId[];
  feature: Feature | 'Workflow';
  tags: readonly Tag[];
  /** table-row parameters, shown in reports */
  params?: Record<string, string>;
  /** why this check cannot run under this configuration (it is then "not verified") */
  needs?(cfg: Config): string | undefined;
  run(t: CheckContext): Promise<void>;
}

export interface Failure {
  id: ContractId;
  expected: string;
  actual: string;
  curl?: string;
  /** the check's exchange (0-based) that got the wrong answer, for the reproduction */
  step?: number;
}

/** One exchange of a failed check, as a reproduction replays it (no secret in it: credentials by reference). */
export interface ReplayStep {
  method: string;
  /** after the collection URL: '' or '/<id>' or '?search=…' */
  path: string;
  headers: Record<string, string>;
  /** 'main' / 'other': the configured credentials; none; a literal Authorization value; masked: not replayable */
  auth: 'main' | 'other' | 'none' | 'masked' | { literal: string };
  /** the body's bytes, base64 */
  body?: string;
  status?: number;
  /** the customer a create answered */
  created?: string;
}

export type CheckStatus = 'passed' | 'failed' | 'not-verified' | 'broken';

/**
 * Why a check is broken: the environment (no answer, a gateway, a redirect, the configured credentials
 * refused), the product (a precondition it did not meet, e.g. no customer to test with), or the suite.
 */
export type BrokenCause = 'environment' | 'product' | 'suite';

export interface CheckResult {
  name: string;
  title: string;
  ids: readonly ContractId[];
  feature: string;
  tags: readonly Tag[];
  params?: Record<string, string>;
  status: CheckStatus;
  failures: Failure[];
  /** ids whose assertions ran and held */
  verified: ContractId[];
  /** not verified, or broken: why */
  reason?: string;
  /** broken: whose problem it is (only 'product' counts against the target) */
  cause?: BrokenCause;
  /** the check was run a second time, with fresh data, after its first attempt broke on this */
  retried?: string;
  /** the environment monitor stopped the run: why, and the exit code it asks for (the main process ends the run) */
  stop?: string;
  stopCode?: 1 | 2;
  /** creates answered 2xx without a usable customer, as this check's worker has counted them so far */
  unusableCreates?: number;
  /** a failed check's exchanges, for its reproduction script */
  replay?: ReplayStep[];
  /** the reproduction script written for it (reports/reproduce/…) */
  reproduction?: string;
  durationMs: number;
  requests: number;
}

/** Thrown by a failed assertion; its name makes reporters file it as a product defect, not a suite error. */
export class Nonconformance extends Error {
  override name = 'AssertionError';
  constructor(readonly failures: Failure[]) {
    super(failures.map(formatFailure).join('\n\n'));
  }
}

export class NotVerified extends Error {
  override name = 'NotVerified';
}

/** A precondition the check needs (e.g. creating its customer) did not hold. */
export class PreconditionFailed extends Error {
  override name = 'PreconditionFailed';
  constructor(
    message: string,
    readonly curl?: string,
  ) {
    super(message);
  }
}

export function formatFailure(f: Failure): string {
  const lines = [`${f.id} (${statement(f.id).text})`, `  expected: ${f.expected}`, `  actual:   ${f.actual}`];
  if (f.curl) lines.push(`  reproduce: ${f.curl}`);
  return lines.join('\n');
}

export function checkTitle(c: Pick<Check, 'ids' | 'name'>): string {
  return `[${c.ids.join(', ')}] ${c.name}`;
}

export function severityOf(c: Check): Severity {
  const order: Severity[] = ['blocker', 'critical', 'normal', 'minor'];
  return c.ids.map((id) => statement(id).severity).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'normal';
}

/** How a runner shows steps and attachments (Allure under vitest, nothing in the self-test). */
export interface StepReporter {
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  exchange(ex: Exchange, redactor: Redactor): Promise<void>;
  /** a failure, where it was found (masked already): the report shows it as the failed step */
  failure?(f: Failure): void;
}

export const silentReporter: StepReporter = {
  step: (_name, fn) => fn(),
  exchange: async () => undefined,
};

/** What one run shares between checks. */
export interface RunEnv {
  cfg: Config;
  http: HttpClient;
  redactor: Redactor;
  ledger: Ledger;
  /** stamped into every created customer, e.g. `conformance-1a2b3c4d` */
  marker: string;
  /** answers in a row that only the environment gives: tripped, it stops the run */
  monitor: EnvironmentMonitor;
}

/** Describes a response for a failure message: the target's text as inert data, on one line, cut. */
export function describe(res: ApiResponse): string {
  const ct = res.headers['content-type'];
  // masked before it is cut, so no part of a secret the target echoed reaches a report
  return `status ${res.status}${ct ? ` (${oneLine(cut(ct, 100))})` : ''}${res.text ? `, body ${oneLine(cut(res.safeText ?? res.text))}` : ', empty body'}`;
}

export class CheckContext {
  readonly verified = new Set<ContractId>();
  readonly failures: Failure[] = [];
  /** the check's exchanges, in order (a failed check's reproduction replays them) */
  readonly exchanges: Exchange[] = [];
  readonly api: CustomerApi;
  readonly data: CustomerFactory;
  /** customers this check created and has not deleted */
  private readonly owned = new Set<string>();

  constructor(
    readonly check: Check,
    readonly env: RunEnv,
    private readonly reporter: StepReporter,
    /** 1, or 2 when the check is tried again (with fresh data) after its first attempt broke */
    attempt = 1,
  ) {
    this.api = new CustomerApi(env.http, env.cfg, env.redactor, env.ledger, (res) => this.everyResponse(res), {
      marker: env.marker,
      createsStopped: () => env.monitor.tripped,
      onUnusableCreate: (res) => env.monitor.unusableCreate(res),
    });
    this.data = new CustomerFactory({
      seed: hashSeed(env.cfg.seed, checkTitle(check) + JSON.stringify(check.params ?? {}) + (attempt > 1 ? `#${attempt}` : '')),
      entityId: env.cfg.main.entityId,
      markerField: env.cfg.markerField,
      marker: env.marker,
      languages: env.cfg.languages,
    });
  }

  get cfg(): Config {
    return this.env.cfg;
  }

  step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.reporter.step(name, fn);
  }

  pass(id: ContractId): void {
    this.verified.add(id);
  }

  /** Records a failure and stops the check. */
  fail(id: ContractId, expected: string, actual: string, res?: ApiResponse): never {
    this.softFail(id, expected, actual, res);
    throw new Nonconformance(this.failures);
  }

  /** Records a failure; the check goes on, and fails at its end. */
  softFail(id: ContractId, expected: string, actual: string, res?: ApiResponse): void {
    if (this.failures.some((f) => f.id === id && f.expected === expected)) return;
    const step = res ? this.exchanges.indexOf(res.exchange) : -1;
    const f: Failure = { id, expected, actual, curl: res?.curl, ...(step >= 0 ? { step } : {}) };
    this.failures.push(f);
    const r = this.env.redactor;
    this.reporter.failure?.({ id, expected: r.text(expected), actual: r.text(actual), ...(f.curl === undefined ? {} : { curl: r.text(f.curl) }) });
  }

  notVerified(reason: string): never {
    throw new NotVerified(reason);
  }

  /**
   * Checks that apply to every response: no 500 for anything the suite sends, and the error body shape.
   * An answer only the environment gives (a gateway, a redirect, the configured keys refused) breaks the
   * check instead: the contract cannot judge it.
   */
  private everyResponse(res: ApiResponse): void {
    this.env.monitor.see(streakCause(res));
    const foreign = environmentCause(res);
    if (foreign) throw new EnvironmentAnswer(foreign);
    const injected = res.exchange.request.headers['x-conformance-fault'] !== undefined;
    if (res.status >= 500 && !GATEWAY_STATUSES.has(res.status) && !injected) {
      this.softFail('CUS-ERR-500', `no 500 for ${res.exchange.request.method} ${res.exchange.request.url.slice(this.api.collectionUrl.length) || '/'}`, describe(res), res);
    } else if (!injected) this.pass('CUS-ERR-500');
    if (res.status >= 400) {
      const problems = errorBodyProblems(res, this.env.redactor, this.env.cfg);
      if (problems.length) this.softFail('CUS-ERR-BODY', `a JSON error body {code, message, details?, timestamp} without stack traces, SQL, file paths or credentials`, `${problems.join('; ')}; ${describe(res)}`, res);
      else this.pass('CUS-ERR-BODY');
    }
  }

  /** Creates a customer this check owns (deleted when the check ends), or fails the precondition. */
  async createCustomer(body: CustomerRequest = this.data.valid()): Promise<{ id: string; body: CustomerRequest; res: ApiResponse }> {
    const res = await this.step('create a customer', () => this.api.create(body));
    const id = (res.json as { id?: unknown } | undefined)?.id;
    if (res.status !== this.cfg.createStatus || typeof id !== 'string') {
      throw new PreconditionFailed(`could not create a customer to test with: expected status ${this.cfg.createStatus} (CUSTOMER_API_CREATE_STATUS) and an id, got ${describe(res)}`, res.curl);
    }
    this.owned.add(id);
    return { id, body, res };
  }

  /** Takes ownership of a customer the target created unasked (e.g. an update that created one). */
  adopt(id: string): void {
    this.owned.add(id);
    this.env.ledger.created(id);
  }

  /** Marks an owned customer as deleted by the check itself. */
  released(id: string): void {
    this.owned.delete(id);
  }

  /**
   * Deletes what the check created and did not delete itself. A customer the main credentials can no
   * longer delete (a defective target moved it to the other entity) is deleted with the other credentials.
   */
  async cleanup(reporter: StepReporter = silentReporter): Promise<void> {
    const ids = new Set([...this.owned, ...this.api.outstanding]);
    this.owned.clear();
    if (ids.size === 0) return;
    await reporter.step(`clean up: delete the ${ids.size === 1 ? 'customer' : `${ids.size} customers`} this check created`, async () => {
      for (const id of ids) {
        try {
          const res = await this.api.delete(id);
          if ((res.status === 403 || res.status === 404) && this.cfg.other) await this.api.delete(id, 'other');
        } catch {
          // left in the ledger; the run's final cleanup tries again
        }
      }
    });
  }
}

/**
 * Runs one check to a result. Never throws. A check broken by the environment (no answer, a gateway, a
 * redirect, refused keys) with no contract failure yet is tried once more with fresh data: passing then,
 * it is reported as passed after a retry.
 */
export async function executeCheck(check: Check, env: RunEnv, reporter: StepReporter = silentReporter): Promise<CheckResult> {
  const first = await attempt(check, env, reporter, 1);
  if (first.status !== 'broken' || first.cause !== 'environment' || first.failures.length || first.stop) return first;
  const second = await reporter.step(`attempt 2, with fresh data (attempt 1 broke: ${first.reason})`, () => attempt(check, env, reporter, 2));
  return { ...second, retried: first.reason, durationMs: first.durationMs + second.durationMs, requests: first.requests + second.requests };
}

async function attempt(check: Check, env: RunEnv, reporter: StepReporter, n: number): Promise<CheckResult> {
  const t0 = performance.now();
  let requests = 0;
  const base = { name: check.name, title: checkTitle(check), ids: check.ids, feature: check.feature, tags: check.tags, params: check.params };
  const reason = check.needs?.(env.cfg);
  if (reason) return { ...base, status: 'not-verified', failures: [], verified: [], reason, durationMs: 0, requests: 0 };
  const stopped = env.monitor.tripped;
  if (stopped) return { ...base, status: 'broken', cause: 'environment', ...stopOf(env), failures: [], verified: [], reason: `not run: ${stopped}`, durationMs: 0, requests: 0 };
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
        else if (err instanceof PreconditionFailed) broken('product', err.message + (err.curl ? `\n  reproduce: ${err.curl}` : ''));
        else broken('suite', `suite error: ${(err as Error)?.stack ?? String(err)}`);
      } finally {
        await t.cleanup(reporter);
      }
    },
  );
  if (t.failures.length && status !== 'broken') status = 'failed';
  // whatever a target echoed, no secret leaves the check in a result (reports, console, Allure, JUnit)
  const r = env.redactor;
  const failures = t.failures.map((f) => ({ ...f, expected: r.text(f.expected), actual: r.text(f.actual), ...(f.curl === undefined ? {} : { curl: r.text(f.curl) }) }));
  const replay = status === 'failed' ? replayOf(t.exchanges, env) : undefined;
  return { ...base, status, failures, verified: [...t.verified], reason: why === undefined ? undefined : r.text(why), ...(cause ? { cause } : {}), ...stopOf(env), ...(replay ? { replay } : {}), durationMs: performance.now() - t0, requests };
}

const stopOf = (env: RunEnv) =>
  env.monitor.tripped ? { stop: env.monitor.tripped, stopCode: env.monitor.exitCode, unusableCreates: env.monitor.unusableCreates } : {};

/** A failed check's exchanges as its reproduction replays them; credentials by reference, never by value. */
function replayOf(exchanges: readonly Exchange[], env: RunEnv): ReplayStep[] {
  const base = env.cfg.baseUrl + env.cfg.resourcePath;
  return exchanges.map((ex): ReplayStep => {
    const q = ex.request;
    const a = q.auth;
    const literal = a?.kind === 'literal' ? a.value : undefined;
    const auth: ReplayStep['auth'] =
      a?.kind === 'basic-env' || a?.kind === 'bearer-env' ? (a.prefix === 'CUSTOMER_API' ? 'main' : 'other') : literal === undefined ? 'none' : env.redactor.text(literal) === literal ? { literal } : 'masked';
    const bytes = q.bodyBytes ? Buffer.from(q.bodyBytes) : q.body !== undefined ? Buffer.from(q.body) : undefined;
    const headers = Object.fromEntries(Object.entries(q.headers).filter(([k]) => !/^(authorization|content-length|connection|host)$/i.test(k)));
    const created = q.method === 'POST' && q.url === base ? idIn(ex.response?.body) : undefined;
    const masked = bytes !== undefined && env.redactor.text(bytes.toString('latin1')) !== bytes.toString('latin1');
    return {
      method: q.method,
      path: q.url.startsWith(base) ? q.url.slice(base.length) : q.url,
      headers,
      auth: masked ? 'masked' : auth,
      ...(bytes ? { body: bytes.toString('base64') } : {}),
      ...(ex.response ? { status: ex.response.status } : {}),
      ...(typeof created === 'string' ? { created } : {}),
    };
  });
}

function idIn(body: string | undefined): unknown {
  try {
    return (JSON.parse(body ?? '') as { id?: unknown } | null)?.id;
  } catch {
    return undefined;
  }
}
