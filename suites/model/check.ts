// The check model: each check is one small named function that names the contract ids it verifies, and
// the context it runs in (its client, its data, its failures). A registry composes them; every runner
// executes them through executeCheck (execute.ts), so every runner judges a target the same way.
import type { ContractId, Feature, Severity } from '../../fixtures/contract/statements.ts';
import { statement } from '../../fixtures/contract/statements.ts';
import { CustomerFactory, hashSeed, type CustomerRequest } from '../../fixtures/data/factories.ts';
import { CustomerApi } from '../../helpers/client/api.ts';
import { describeResponse, type ApiResponse } from '../../helpers/client/api-response.ts';
import type { Config } from '../../helpers/config/config.ts';
import { HttpClient, type Exchange } from '../../helpers/client/http.ts';
import { record } from '../../helpers/client/recorder.ts';
import { errorBodyProblems } from '../../helpers/client/error-body.ts';
import { EnvironmentAnswer, environmentCause, GATEWAY_STATUSES, streakCause } from '../../helpers/run/environment.ts';
import type { RunEnv } from '../../helpers/run/run-env.ts';
import type { Spare } from '../../helpers/run/spare-customers.ts';
import {
  checkTitle,
  formatFailure,
  silentReporter,
  type CheckInfo,
  type Failure,
  type StepReporter,
} from '../../helpers/report/result.ts';

export interface Check extends CheckInfo {
  feature: Feature | 'Workflow';
  /** why this check cannot run under this configuration (it is then "not verified") */
  needs?(cfg: Config): string | undefined;
  run(t: CheckContext): Promise<void>;
}

/**
 * Thrown by a failed assertion. Its first failure's expected and actual make reporters (Allure's status
 * rules look for them) file it as a product defect, not as a suite error.
 */
export class Nonconformance extends Error {
  override name = 'Nonconformance';
  readonly expected: string;
  readonly actual: string;
  constructor(readonly failures: Failure[]) {
    super(failures.map(formatFailure).join('\n\n'));
    this.expected = failures[0]?.expected ?? '';
    this.actual = failures[0]?.actual ?? '';
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

export function severityOf(c: Check): Severity {
  const order: Severity[] = ['blocker', 'critical', 'normal', 'minor'];
  return c.ids.map((id) => statement(id).severity).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'normal';
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
  /** the customer customerToRefuse gave this check, until it is given back */
  private spare?: Spare;

  constructor(
    readonly check: Check,
    readonly env: RunEnv,
    private readonly reporter: StepReporter,
    /** 1, or 2 when the check is tried again (with fresh data) after its first attempt broke */
    attempt = 1,
  ) {
    this.api = this.apiOver(env.http);
    this.data = new CustomerFactory({
      seed: hashSeed(
        env.cfg.seed,
        checkTitle(check) + JSON.stringify(check.params ?? {}) + (attempt > 1 ? `#${attempt}` : ''),
      ),
      entityId: env.cfg.main.entityId,
      markerField: env.cfg.markerField,
      marker: env.marker,
      languages: env.cfg.languages,
    });
  }

  /** A client of the service on `http`, every answer judged as the check's own. */
  private apiOver(http: HttpClient): CustomerApi {
    const env = this.env;
    return new CustomerApi(http, env.cfg, env.redactor, env.ledger, (res) => this.everyResponse(res), {
      marker: env.marker,
      createsStopped: () => env.monitor.tripped,
      onUnusableCreate: (res) => env.monitor.unusableCreate(res),
    });
  }

  /**
   * `fn` with a client on a connection of its own, closed after its answer (what a new client of the
   * service meets, wherever its load balancer sends it); its requests say `connection: close`.
   */
  async onNewConnection<T>(fn: (api: CustomerApi, headers: Record<string, string>) => Promise<T>): Promise<T> {
    const cfg = this.cfg;
    const http = new HttpClient({ timeoutMs: cfg.timeoutMs, retries: cfg.retries, connections: 1, observe: record });
    try {
      return await fn(this.apiOver(http), { connection: 'close' });
    } finally {
      await http.destroy();
    }
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
    this.reporter.failure?.({
      id,
      expected: r.text(expected),
      actual: r.text(actual),
      ...(f.curl === undefined ? {} : { curl: r.text(f.curl) }),
    });
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
      this.softFail(
        'CUS-ERR-500',
        `no 500 for ${res.exchange.request.method} ` +
          `${res.exchange.request.url.slice(this.api.collectionUrl.length) || '/'}`,
        describeResponse(res),
        res,
      );
    } else if (!injected) this.pass('CUS-ERR-500');
    if (res.status >= 400) {
      const problems = errorBodyProblems(res, this.env.redactor, this.env.cfg);
      if (problems.length)
        this.softFail(
          'CUS-ERR-BODY',
          `a JSON error body {code, message, details?, timestamp} without stack traces, SQL, file paths or credentials`,
          `${problems.join('; ')}; ${describeResponse(res)}`,
          res,
        );
      else this.pass('CUS-ERR-BODY');
    }
  }

  /** Creates a customer this check owns (deleted when the check ends), or fails the precondition. */
  async createCustomer(
    body: CustomerRequest = this.data.valid(),
  ): Promise<{ id: string; body: CustomerRequest; res: ApiResponse }> {
    const res = await this.step('create a customer', () => this.api.create(body));
    return { id: this.ownCreated(res), body, res };
  }

  /**
   * A customer to send a request a conforming target refuses: a spare one an earlier check left as it was
   * created (its create shown among this check's exchanges, for the evidence and the reproduction), else a
   * new one. The check owns it, and deletes it, unless it gives it back (giveBackSpare).
   */
  async customerToRefuse(): Promise<{ id: string; body: CustomerRequest }> {
    const spare = this.env.spares.take();
    if (!spare) {
      const c = await this.createCustomer();
      this.spare = { id: c.id, body: c.body, created: c.res.exchange };
      return c;
    }
    this.owned.add(spare.id);
    this.spare = spare;
    await this.step('take a customer an earlier check created and left as it was', async () => {
      this.exchanges.push(spare.created);
      await this.reporter.exchange(spare.created, this.env.redactor);
    });
    return spare;
  }

  /** Hands the spare on to the next check: only once this check has seen it unchanged, with no failure. */
  giveBackSpare(): void {
    const s = this.spare;
    if (!s || this.failures.length) return;
    this.spare = undefined;
    this.owned.delete(s.id);
    this.api.forget(s.id);
    this.env.spares.give(s);
  }

  /** The id a create answered, owned by the check from now on; a create that made none fails the precondition. */
  ownCreated(res: ApiResponse): string {
    const id = (res.json as { id?: unknown } | undefined)?.id;
    if (res.status !== this.cfg.createStatus || typeof id !== 'string') {
      throw new PreconditionFailed(
        `could not create a customer to test with: expected status ${this.cfg.createStatus} ` +
          `(CUSTOMER_API_CREATE_STATUS) and an id, got ${describeResponse(res)}`,
        res.curl,
      );
    }
    this.owned.add(id);
    return id;
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
    await reporter.step(
      `clean up: delete the ${ids.size === 1 ? 'customer' : `${ids.size} customers`} this check created`,
      async () => {
        for (const id of ids) {
          try {
            const res = await this.api.delete(id);
            if ((res.status === 403 || res.status === 404) && this.cfg.other) await this.api.delete(id, 'other');
          } catch {
            // left in the ledger; the run's final cleanup tries again
          }
        }
      },
    );
  }
}
