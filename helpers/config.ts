// Configuration: environment variables (and .env) validated by one zod schema. A bad value produces one
// ConfigError line naming the variable and the fix; callers turn it into exit code 2.
import { z } from 'zod';

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
  readOnlyFields: 'either' | 'reject' | 'ignore';
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
  CUSTOMER_API_READONLY_FIELDS: oneOf('CUSTOMER_API_READONLY_FIELDS', ['either', 'reject', 'ignore'] as const, 'either'),
  CUSTOMER_API_TIMEOUT_MS: intVar('CUSTOMER_API_TIMEOUT_MS', 10_000, 1, 600_000),
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

/**
 * Validates the environment. For the embedded target the caller supplies the base URL and credentials
 * (they are the embedded server's own) through `embedded`.
 */
export function loadConfig(env: Env, embedded?: { baseUrl: string; main: Omit<Credentials, 'envPrefix'>; other: Omit<Credentials, 'envPrefix'> }): Config {
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
    readOnlyFields: e.CUSTOMER_API_READONLY_FIELDS,
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
