// Configuration: environment variables (and .env) validated by one zod schema (variables.ts). A bad value
// produces one ConfigError line naming the variable and the fix; callers turn it into exit code 2.
import { CHOICES, choiceValue, type ChoiceRow, type Choices } from '../../fixtures/contract/choices.ts';
import { z } from 'zod';
import { READING_POINTS, type Readings } from '../../fixtures/contract/readings.ts';
import { ConfigError } from './config-error.ts';
import { crossChecks, unknownVariables } from './cross-checks.ts';
import { DOC, EnvSchema, KNOWN_VARIABLES, type Env, type ParsedEnv } from './variables.ts';
import { embeddedConnection, remoteConnection, type Credentials, type Embedded } from './connection.ts';

export { ConfigError } from './config-error.ts';
export { KNOWN_VARIABLES, MARKER_FIELDS, markerFields, type Env } from './variables.ts';
export type { Credentials, Embedded, EmbeddedAccount } from './connection.ts';

/** The deployment choices in force (fixtures/contract/choices.ts), as the contract defaults or as set. */
export interface Config extends Choices {
  target: 'embedded' | 'remote';
  baseUrl: string;
  resourcePath: string;
  auth: 'basic' | 'bearer';
  main: Credentials;
  other?: Credentials;
  /** the readings accepted at each point where the contract allows more than one (fixtures/readings.ts) */
  readings: Readings;
  timeoutMs: number;
  runTimeoutMs: number;
  retries: number;
  /**
   * keep-alive connections reused (`reuse`), a new connection for each request (`new`), or whichever the run
   * finds quicker on the target (`auto`, helpers/run/connection-probe.ts); the checks get `reuse` or `new`
   */
  connections: 'auto' | 'reuse' | 'new';
  concurrency: number;
  /** requests one concurrency check overlaps at most; below 2 the concurrency checks are off */
  burst: number;
  clockSkewMs: number;
  seed: number;
  fieldMap: Record<string, string>;
  languages?: string[];
  markerField: string;
  versionHeader?: string;
  /** a pre-existing customer for read-only runs (never changed) */
  readOnlyCustomerId?: string;
  /** the error body shape, `name[?]:type,…` */
  errorFields?: string;
  /** the target honours X-Conformance-Fault (only the embedded target does) */
  faultInjection: boolean;
}

function parseFieldMap(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      `CUSTOMER_API_FIELD_MAP is not JSON; set it to an object such as {"email_address":"email"} (${DOC})`,
    );
  }
  const r = z.record(z.string().min(1), z.string().regex(/^[^.]+$/)).safeParse(v);
  if (!r.success)
    throw new ConfigError(
      "CUSTOMER_API_FIELD_MAP must map contract field paths to the deployment's field names, " +
        `e.g. {"billing.phone":"telephone"} (${DOC})`,
    );
  return r.data;
}

/** Is the resolved target the embedded reference server? (no base URL, or CUSTOMER_API_TARGET=embedded) */
export function wantsEmbedded(env: Env): boolean {
  const t = env.CUSTOMER_API_TARGET?.trim().toLowerCase();
  if (t === 'embedded') return true;
  if (t === 'remote') return false;
  return !env.CUSTOMER_API_BASE_URL?.trim();
}

/** Where and as whom: the connection, the credentials and the entities, given by whoever runs the suite. */
const CONNECTION = /^CUSTOMER_API_(TARGET|BASE_URL|USER_ID|KEY|ENTITY_ID|OTHER_USER_ID|OTHER_KEY|OTHER_ENTITY_ID)$/;

/**
 * The settings in force that decide what is expected (choices, readings, field map, seed, …): no connection,
 * no secret.
 */
export function judgingSettings(env: Env, cfg: Config): Record<string, string> {
  const set = KNOWN_VARIABLES.filter((k) => !CONNECTION.test(k) && k !== 'CONFORMANCE_SEED' && env[k]?.trim());
  return { ...Object.fromEntries(set.map((k) => [k, env[k]!.trim()])), CONFORMANCE_SEED: String(cfg.seed) };
}

/** What stands in for a variable already reported, so the others are checked too. */
const STAND_IN: Record<string, string> = {
  CUSTOMER_API_BASE_URL: 'https://stand-in.invalid',
  CUSTOMER_API_USER_ID: 'stand-in',
  CUSTOMER_API_KEY: 'stand-in',
  CUSTOMER_API_ENTITY_ID: 'stand-in',
  CUSTOMER_API_OTHER_USER_ID: 'stand-in',
  CUSTOMER_API_OTHER_KEY: 'stand-in',
  CUSTOMER_API_OTHER_ENTITY_ID: 'stand-in-other',
};

/**
 * Validates the environment and reports every bad variable, one line each (naming it and the fix), not
 * just the first. For the embedded target the caller supplies the base URL and the accounts (they are the
 * embedded server's own) through `embedded`.
 */
export function loadConfig(env: Env, embedded?: Embedded): Config {
  const problems = [...unknownVariables(env), ...crossChecks(env, embedded !== undefined)];
  let probe: Env = { ...env };
  for (let round = 0; round < 40; round++) {
    let cfg: Config;
    try {
      cfg = firstProblem(probe, embedded);
    } catch (e) {
      if (!(e instanceof ConfigError) || problems.includes(e.message))
        throw e instanceof ConfigError ? refusal(env, problems) : e;
      problems.push(e.message);
      // check the rest with the reported variable at its default (or a stand-in, when it is required)
      const name = /^(CUSTOMER_API_[A-Z_]+)/.exec(e.message)?.[1];
      if (!name || !KNOWN_VARIABLES.includes(name)) break;
      probe = { ...probe, [name]: STAND_IN[name] };
      continue;
    }
    if (problems.length) break;
    return cfg;
  }
  throw refusal(env, problems);
}

/** The problems as one ConfigError; a key pasted into another variable is not repeated back. */
function refusal(env: Env, problems: string[]): ConfigError {
  let text = problems.join('\n');
  for (const k of [env.CUSTOMER_API_KEY, env.CUSTOMER_API_OTHER_KEY])
    if (k && k.trim().length >= 4) text = text.split(k.trim()).join('***');
  return new ConfigError(text);
}

/** The readings accepted at each reading point, as the settings narrow them. */
const readingsOf = (e: ParsedEnv): Readings =>
  Object.fromEntries(READING_POINTS.map((p) => [p.id, (e as Record<string, unknown>)[p.setting]])) as Readings;

/** The configuration, or a ConfigError for the first bad variable. */
function firstProblem(env: Env, embedded?: Embedded): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]?.message ?? 'invalid configuration');
  const e = parsed.data;
  const connection = embedded ? embeddedConnection(e, embedded) : remoteConnection(e);
  const resourcePath = e.CUSTOMER_API_RESOURCE_PATH ?? '/v2/customer';
  if (!resourcePath.startsWith('/'))
    throw new ConfigError(
      `CUSTOMER_API_RESOURCE_PATH must start with "/" (got ${JSON.stringify(resourcePath)}); ` +
        'the default is /v2/customer',
    );
  const languages = e.CUSTOMER_API_LANGUAGES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    target: embedded ? 'embedded' : 'remote',
    baseUrl: connection.baseUrl,
    resourcePath: resourcePath.replace(/\/+$/, ''),
    auth: e.CUSTOMER_API_AUTH,
    main: connection.main,
    other: connection.other,
    ...choicesIn(e),
    readings: readingsOf(e),
    timeoutMs: e.CUSTOMER_API_TIMEOUT_MS,
    runTimeoutMs: e.CUSTOMER_API_RUN_TIMEOUT_MS,
    retries: e.CUSTOMER_API_RETRIES,
    connections: e.CUSTOMER_API_CONNECTIONS,
    concurrency: e.CUSTOMER_API_CONCURRENCY,
    burst: e.CUSTOMER_API_CONCURRENCY_BURST,
    clockSkewMs: e.CUSTOMER_API_CLOCK_SKEW_MS,
    seed: e.CONFORMANCE_SEED >= 0 ? e.CONFORMANCE_SEED : Math.floor(Math.random() * 2 ** 31),
    fieldMap: parseFieldMap(e.CUSTOMER_API_FIELD_MAP),
    languages: languages && languages.length ? languages : undefined,
    markerField: e.CUSTOMER_API_MARKER_FIELD ?? 'company_name',
    versionHeader: e.CUSTOMER_API_VERSION_HEADER,
    errorFields: e.CUSTOMER_API_ERROR_FIELDS,
    readOnlyCustomerId: e.CUSTOMER_API_READONLY_CUSTOMER_ID,
    faultInjection: !!embedded || e.CUSTOMER_API_FAULT_INJECTION === 'true',
  };
}

function choicesIn(e: ParsedEnv): Choices {
  const rows: readonly ChoiceRow[] = CHOICES;
  return Object.fromEntries(
    rows.map((r) => [r.key, choiceValue(r, String((e as Record<string, unknown>)[r.setting]))]),
  ) as Choices;
}

/** Every secret in the config, for masking. */
export function secretsOf(cfg: Config): string[] {
  return [cfg.main.key, cfg.other?.key].filter((s): s is string => !!s && s.length > 0);
}
