// Configuration: environment variables (and .env) validated by one zod schema. A bad value produces one
// ConfigError line naming the variable and the fix; callers turn it into exit code 2.
import { z } from 'zod';
import { narrowTo, READING_POINTS, settingWords, type Readings } from '../../fixtures/contract/readings.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type UpdateMethod = 'POST' | 'PUT' | 'PATCH';
export type UpdateSemantics = 'replace' | 'merge';

export interface Credentials {
  userId: string;
  key: string;
  entityId: string;
  /** which environment variables hold them, for curl reproductions that never print the key */
  envPrefix: 'CUSTOMER_API' | 'CUSTOMER_API_OTHER';
}

export interface Config {
  target: 'embedded' | 'remote';
  baseUrl: string;
  resourcePath: string;
  auth: 'basic' | 'bearer';
  main: Credentials;
  other?: Credentials;
  updateMethod: UpdateMethod;
  updateSemantics: UpdateSemantics;
  createStatus: 200 | 201;
  malformedIdStatus: 400 | 404;
  otherEntityStatus: 403 | 404;
  /** the readings accepted at each point where the contract allows more than one (fixtures/readings.ts) */
  readings: Readings;
  timeoutMs: number;
  runTimeoutMs: number;
  retries: number;
  concurrency: number;
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

const DOC = 'see .env.example';

function intVar(name: string, def: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(v)} is not a whole number from ${min} to ${max}; set e.g. ${name}=${def}` });
        return z.NEVER;
      }
      return n;
    });
}

function oneOf<T extends string>(name: string, values: readonly T[], def: T) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const hit = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
      if (!hit) {
        ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(v)} is not one of ${values.join(', ')}; set e.g. ${name}=${def}` });
        return z.NEVER;
      }
      return hit;
    });
}

/** A reading point's setting: `any` (the default) or one of its readings. */
function readingVar(p: (typeof READING_POINTS)[number]) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const readings = narrowTo(p, v);
      if (!readings) {
        ctx.addIssue({ code: 'custom', message: `${p.setting}=${JSON.stringify(v)} is not one of ${settingWords(p).join(', ')}; unset it (or set any) to accept every reading` });
        return z.NEVER;
      }
      return readings;
    });
}

const opt = z.string().optional().transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  CUSTOMER_API_TARGET: oneOf('CUSTOMER_API_TARGET', ['embedded', 'remote'] as const, 'remote').optional(),
  CUSTOMER_API_BASE_URL: opt,
  CUSTOMER_API_RESOURCE_PATH: opt,
  CUSTOMER_API_AUTH: oneOf('CUSTOMER_API_AUTH', ['basic', 'bearer'] as const, 'basic'),
  CUSTOMER_API_USER_ID: opt,
  CUSTOMER_API_KEY: opt,
  CUSTOMER_API_ENTITY_ID: opt,
  CUSTOMER_API_OTHER_USER_ID: opt,
  CUSTOMER_API_OTHER_KEY: opt,
  CUSTOMER_API_OTHER_ENTITY_ID: opt,
  CUSTOMER_API_UPDATE_METHOD: oneOf('CUSTOMER_API_UPDATE_METHOD', ['POST', 'PUT', 'PATCH'] as const, 'POST'),
  CUSTOMER_API_UPDATE_SEMANTICS: oneOf('CUSTOMER_API_UPDATE_SEMANTICS', ['replace', 'merge'] as const, 'replace'),
  CUSTOMER_API_CREATE_STATUS: oneOf('CUSTOMER_API_CREATE_STATUS', ['200', '201'] as const, '200'),
  CUSTOMER_API_MALFORMED_ID_STATUS: oneOf('CUSTOMER_API_MALFORMED_ID_STATUS', ['400', '404'] as const, '400'),
  CUSTOMER_API_OTHER_ENTITY_STATUS: oneOf('CUSTOMER_API_OTHER_ENTITY_STATUS', ['403', '404'] as const, '403'),
  ...Object.fromEntries(READING_POINTS.map((p) => [p.setting, readingVar(p)])),
  CUSTOMER_API_TIMEOUT_MS: intVar('CUSTOMER_API_TIMEOUT_MS', 10_000, 100, 600_000),
  CUSTOMER_API_RUN_TIMEOUT_MS: intVar('CUSTOMER_API_RUN_TIMEOUT_MS', 900_000, 1_000, 86_400_000),
  CUSTOMER_API_RETRIES: intVar('CUSTOMER_API_RETRIES', 2, 0, 10),
  CUSTOMER_API_CONCURRENCY: intVar('CUSTOMER_API_CONCURRENCY', 8, 1, 256),
  CUSTOMER_API_CLOCK_SKEW_MS: intVar('CUSTOMER_API_CLOCK_SKEW_MS', 300_000, 0, 86_400_000),
  CONFORMANCE_SEED: intVar('CONFORMANCE_SEED', -1, 0, 2 ** 31 - 1),
  CUSTOMER_API_FIELD_MAP: opt,
  CUSTOMER_API_LANGUAGES: opt,
  CUSTOMER_API_MARKER_FIELD: opt,
  CUSTOMER_API_VERSION_HEADER: opt,
  CUSTOMER_API_ERROR_FIELDS: opt,
  CUSTOMER_API_READONLY_CUSTOMER_ID: opt,
  CUSTOMER_API_FAULT_INJECTION: oneOf('CUSTOMER_API_FAULT_INJECTION', ['true', 'false'] as const, 'false'),
});

export type Env = Record<string, string | undefined>;

function parseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`CUSTOMER_API_BASE_URL=${JSON.stringify(raw)} is not a URL; set it to the service root, e.g. https://cst.test-gsc.vfims.com/oidc/customer-service`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`CUSTOMER_API_BASE_URL must start with https:// or http:// (got ${u.protocol}); set it to the service root, e.g. https://cst.test-gsc.vfims.com/oidc/customer-service`);
  }
  if (u.username || u.password) {
    throw new ConfigError('CUSTOMER_API_BASE_URL must not contain credentials; put them in CUSTOMER_API_USER_ID and CUSTOMER_API_KEY');
  }
  return u.toString().replace(/\/+$/, '');
}

function parseFieldMap(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConfigError(`CUSTOMER_API_FIELD_MAP is not JSON; set it to an object such as {"email_address":"email"} (${DOC})`);
  }
  const r = z.record(z.string().min(1), z.string().regex(/^[^.]+$/)).safeParse(v);
  if (!r.success) throw new ConfigError(`CUSTOMER_API_FIELD_MAP must map contract field paths to the deployment's field names, e.g. {"billing.phone":"telephone"} (${DOC})`);
  return r.data;
}

/** Is the resolved target the embedded reference server? (no base URL, or CUSTOMER_API_TARGET=embedded) */
export function wantsEmbedded(env: Env): boolean {
  const t = env.CUSTOMER_API_TARGET?.trim().toLowerCase();
  if (t === 'embedded') return true;
  if (t === 'remote') return false;
  return !env.CUSTOMER_API_BASE_URL?.trim();
}

type Embedded = { baseUrl: string; main: Omit<Credentials, 'envPrefix'>; other: Omit<Credentials, 'envPrefix'> };

/** Every variable the suite reads. */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Where and as whom: the connection, the credentials and the entities, given by whoever runs the suite. */
const CONNECTION = /^CUSTOMER_API_(TARGET|BASE_URL|USER_ID|KEY|ENTITY_ID|OTHER_USER_ID|OTHER_KEY|OTHER_ENTITY_ID)$/;

/** The settings in force that decide what is expected (choices, readings, field map, seed, …): no connection, no secret. */
export function judgingSettings(env: Env, cfg: Config): Record<string, string> {
  const set = KNOWN_VARIABLES.filter((k) => !CONNECTION.test(k) && k !== 'CONFORMANCE_SEED' && env[k]?.trim());
  return { ...Object.fromEntries(set.map((k) => [k, env[k]!.trim()])), CONFORMANCE_SEED: String(cfg.seed) };
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** A CUSTOMER_API_* variable the suite does not know is a typo that would silently change the run. */
function unknownVariables(env: Env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (!upper.startsWith('CUSTOMER_API_') || KNOWN_VARIABLES.includes(name) || !value?.trim()) continue;
    if (KNOWN_VARIABLES.includes(upper)) {
      out.push(`${name} is not read: variable names are upper case; rename it to ${upper}`);
      continue;
    }
    const squash = (s: string) => s.replace(/_/g, '');
    const near = KNOWN_VARIABLES.map((k) => ({ k, d: squash(k) === squash(upper) ? 0 : distance(k, upper) })).sort((a, b) => a.d - b.d)[0];
    out.push(`${name} is not a variable of the suite${near && near.d <= 4 ? `; did you mean ${near.k}?` : ''} (the variables are listed in .env.example)`);
  }
  return out;
}

/** Fields the run marker may go into: free text, long enough to hold `conformance-<run id>`. */
export const MARKER_FIELDS: readonly string[] = [
  'company_name',
  'company_registration_number',
  ...['billing', 'shipping'].flatMap((g) => ['first_name', 'middle_name', 'last_name', 'address_1', 'address_2', 'address_3', 'city', 'state'].map((f) => `${g}.${f}`)),
];

/**
 * The fields the run marker goes into: the marker field, and a second one in the other address group for a
 * request whose row removes or replaces the marker field's value (so every customer the suite creates
 * carries the marker, and the end-of-run sweep and npm run cleanup search both).
 */
export function markerFields(cfg: Pick<Config, 'markerField'>): [string, string] {
  const group = cfg.markerField.split('.')[0];
  const fallback = ['shipping.address_3', 'billing.address_3'].find((f) => f !== cfg.markerField && f.split('.')[0] !== group)!;
  return [cfg.markerField, fallback];
}

/** Mistakes a new user makes that the schema alone does not catch. */
function crossChecks(env: Env, isEmbedded: boolean): string[] {
  const out: string[] = [];
  const v = (name: string) => env[name]?.trim() || undefined;
  const base = v('CUSTOMER_API_BASE_URL');
  const resource = (v('CUSTOMER_API_RESOURCE_PATH') ?? '/v2/customer').replace(/\/+$/, '');
  if (base && !isEmbedded) {
    try {
      const u = new URL(base);
      if (u.search || u.hash) out.push('CUSTOMER_API_BASE_URL must not contain a query or fragment (remove everything from "?" or "#"); set it to the service root, e.g. https://cst.test-gsc.vfims.com/oidc/customer-service');
      if (resource && u.pathname.replace(/\/+$/, '').endsWith(resource)) out.push(`CUSTOMER_API_BASE_URL ends with the resource path ${resource}, which the suite appends itself; set it to the service root, e.g. ${base.replace(/\/+$/, '').slice(0, -resource.length)}`);
    } catch {
      // reported by the URL check
    }
  }
  const target = v('CUSTOMER_API_TARGET')?.toLowerCase();
  const creds = ['CUSTOMER_API_KEY', 'CUSTOMER_API_USER_ID', 'CUSTOMER_API_ENTITY_ID'].filter((n) => v(n));
  if (isEmbedded && target !== 'embedded' && !base && creds.length)
    out.push(`CUSTOMER_API_BASE_URL is not set, but ${creds.join(', ')} ${creds.length > 1 ? 'are' : 'is'}: set CUSTOMER_API_BASE_URL to the deployment's service root (e.g. https://cst.test-gsc.vfims.com/oidc/customer-service), or CUSTOMER_API_TARGET=embedded to test the embedded reference target`);
  if (v('CUSTOMER_API_OTHER_KEY') && v('CUSTOMER_API_OTHER_KEY') === v('CUSTOMER_API_KEY'))
    out.push('CUSTOMER_API_OTHER_KEY is the same as CUSTOMER_API_KEY; set it to the key of a second entity, or unset the CUSTOMER_API_OTHER_* variables to skip the other-entity checks');
  const marker = v('CUSTOMER_API_MARKER_FIELD');
  if (marker && !MARKER_FIELDS.includes(marker)) out.push(`CUSTOMER_API_MARKER_FIELD=${JSON.stringify(marker)} cannot carry the run marker; set it to a free-text field: ${MARKER_FIELDS.slice(0, 5).join(', ')}, … (default company_name)`);
  const errorFields = v('CUSTOMER_API_ERROR_FIELDS');
  const badPart = errorFields?.split(',').find((p) => !/^\s*[A-Za-z_][\w.-]*\??:(integer|string|object|number|boolean)\s*$/.test(p));
  if (badPart !== undefined) out.push(`CUSTOMER_API_ERROR_FIELDS part ${JSON.stringify(badPart.trim())} is not name[?]:type (type integer, string, object, number or boolean); e.g. CUSTOMER_API_ERROR_FIELDS=code:integer,message:string,details?:object,timestamp:integer`);
  const badLang = v('CUSTOMER_API_LANGUAGES')?.split(',').map((l) => l.trim()).find((l) => l && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(l));
  if (badLang !== undefined) out.push(`CUSTOMER_API_LANGUAGES has ${JSON.stringify(badLang)}, which is not a language code; set comma-separated codes, e.g. CUSTOMER_API_LANGUAGES=en,nl,de`);
  return out;
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
 * just the first. For the embedded target the caller supplies the base URL and credentials (they are the
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
      if (!(e instanceof ConfigError) || problems.includes(e.message)) throw e instanceof ConfigError ? refusal(env, problems) : e;
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
  for (const k of [env.CUSTOMER_API_KEY, env.CUSTOMER_API_OTHER_KEY]) if (k && k.trim().length >= 4) text = text.split(k.trim()).join('***');
  return new ConfigError(text);
}

/** The configuration, or a ConfigError for the first bad variable. */
function firstProblem(env: Env, embedded?: Embedded): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(first?.message ?? 'invalid configuration');
  }
  const e = parsed.data;
  const isEmbedded = embedded !== undefined;
  let baseUrl: string;
  let main: Credentials;
  let other: Credentials | undefined;
  if (isEmbedded) {
    baseUrl = embedded.baseUrl;
    main = { ...embedded.main, envPrefix: 'CUSTOMER_API' };
    other = { ...embedded.other, envPrefix: 'CUSTOMER_API_OTHER' };
  } else {
    if (!e.CUSTOMER_API_BASE_URL) {
      throw new ConfigError('CUSTOMER_API_BASE_URL is not set; set it to the service root (e.g. https://cst.test-gsc.vfims.com/oidc/customer-service), or CUSTOMER_API_TARGET=embedded for the built-in reference server');
    }
    baseUrl = parseUrl(e.CUSTOMER_API_BASE_URL);
    const need = (name: string, v: string | undefined, hint: string): string => {
      if (!v) throw new ConfigError(`${name} is not set; ${hint} (${DOC})`);
      return v;
    };
    const keyHint = e.CUSTOMER_API_AUTH === 'bearer' ? 'set it to the bearer token (JWT)' : 'set it to the API key from Verifone Central';
    main = {
      userId: e.CUSTOMER_API_AUTH === 'bearer' ? (e.CUSTOMER_API_USER_ID ?? '') : need('CUSTOMER_API_USER_ID', e.CUSTOMER_API_USER_ID, 'set it to the user uid the API key belongs to'),
      key: need('CUSTOMER_API_KEY', e.CUSTOMER_API_KEY, keyHint),
      entityId: need('CUSTOMER_API_ENTITY_ID', e.CUSTOMER_API_ENTITY_ID, 'set it to the Organisation ID the customers are created on'),
      envPrefix: 'CUSTOMER_API',
    };
    const o = [e.CUSTOMER_API_OTHER_KEY, e.CUSTOMER_API_OTHER_ENTITY_ID, e.CUSTOMER_API_OTHER_USER_ID];
    if (o.some(Boolean)) {
      other = {
        userId: e.CUSTOMER_API_AUTH === 'bearer' ? (e.CUSTOMER_API_OTHER_USER_ID ?? '') : need('CUSTOMER_API_OTHER_USER_ID', e.CUSTOMER_API_OTHER_USER_ID, 'set it with CUSTOMER_API_OTHER_KEY, or unset both to skip the other-entity checks'),
        key: need('CUSTOMER_API_OTHER_KEY', e.CUSTOMER_API_OTHER_KEY, 'set it to a key of a second entity, or unset the CUSTOMER_API_OTHER_* variables to skip the other-entity checks'),
        entityId: need('CUSTOMER_API_OTHER_ENTITY_ID', e.CUSTOMER_API_OTHER_ENTITY_ID, "set it to the second entity's Organisation ID"),
        envPrefix: 'CUSTOMER_API_OTHER',
      };
      if (other.entityId === main.entityId) throw new ConfigError('CUSTOMER_API_OTHER_ENTITY_ID equals CUSTOMER_API_ENTITY_ID; the other credentials must act for a different entity');
    }
  }
  const resourcePath = e.CUSTOMER_API_RESOURCE_PATH ?? '/v2/customer';
  if (!resourcePath.startsWith('/')) throw new ConfigError(`CUSTOMER_API_RESOURCE_PATH must start with "/" (got ${JSON.stringify(resourcePath)}); the default is /v2/customer`);
  const languages = e.CUSTOMER_API_LANGUAGES?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    target: isEmbedded ? 'embedded' : 'remote',
    baseUrl,
    resourcePath: resourcePath.replace(/\/+$/, ''),
    auth: e.CUSTOMER_API_AUTH,
    main,
    other,
    updateMethod: e.CUSTOMER_API_UPDATE_METHOD,
    updateSemantics: e.CUSTOMER_API_UPDATE_SEMANTICS,
    createStatus: Number(e.CUSTOMER_API_CREATE_STATUS) as 200 | 201,
    malformedIdStatus: Number(e.CUSTOMER_API_MALFORMED_ID_STATUS) as 400 | 404,
    otherEntityStatus: Number(e.CUSTOMER_API_OTHER_ENTITY_STATUS) as 403 | 404,
    readings: Object.fromEntries(READING_POINTS.map((p) => [p.id, (e as Record<string, unknown>)[p.setting]])) as unknown as Readings,
    timeoutMs: e.CUSTOMER_API_TIMEOUT_MS,
    runTimeoutMs: e.CUSTOMER_API_RUN_TIMEOUT_MS,
    retries: e.CUSTOMER_API_RETRIES,
    concurrency: e.CUSTOMER_API_CONCURRENCY,
    clockSkewMs: e.CUSTOMER_API_CLOCK_SKEW_MS,
    seed: e.CONFORMANCE_SEED >= 0 ? e.CONFORMANCE_SEED : Math.floor(Math.random() * 2 ** 31),
    fieldMap: parseFieldMap(e.CUSTOMER_API_FIELD_MAP),
    languages: languages && languages.length ? languages : undefined,
    markerField: e.CUSTOMER_API_MARKER_FIELD ?? 'company_name',
    versionHeader: e.CUSTOMER_API_VERSION_HEADER,
    errorFields: e.CUSTOMER_API_ERROR_FIELDS,
    readOnlyCustomerId: e.CUSTOMER_API_READONLY_CUSTOMER_ID,
    faultInjection: isEmbedded || e.CUSTOMER_API_FAULT_INJECTION === 'true',
  };
}

/** Every secret in the config, for masking. */
export function secretsOf(cfg: Config): string[] {
  return [cfg.main.key, cfg.other?.key].filter((s): s is string => !!s && s.length > 0);
}
