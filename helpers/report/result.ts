// What a run of a check comes to, as every reporter reads it (console, conformance.md/json, certificate,
// JUnit, Allure, reproductions), and how a runner is told of steps and exchanges while a check runs.
import type { ContractId } from '../../fixtures/contract/statements.ts';
import { statement } from '../../fixtures/contract/statements.ts';
import type { Exchange } from '../client/http.ts';
import type { Redactor } from '../client/redact.ts';

export type Tag =
  | 'smoke'
  | 'workflow'
  | 'auth'
  | 'validation'
  | 'destructive'
  | 'timestamps'
  | 'errors'
  | 'security'
  | 'concurrency'
  | 'read-only';

/** What reports and selections know of a check: its name, the ids it verifies, where it is filed. */
export interface CheckInfo {
  name: string;
  ids: readonly ContractId[];
  feature: string;
  tags: readonly Tag[];
  /** table-row parameters, shown in reports */
  params?: Record<string, string>;
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

export function formatFailure(f: Failure): string {
  const lines = [`${f.id} (${statement(f.id).text})`, `  expected: ${f.expected}`, `  actual:   ${f.actual}`];
  if (f.curl) lines.push(`  reproduce: ${f.curl}`);
  return lines.join('\n');
}

export function checkTitle(c: { ids: readonly ContractId[]; name: string }): string {
  return `[${c.ids.join(', ')}] ${c.name}`;
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
