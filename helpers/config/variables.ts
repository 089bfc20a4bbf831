// The variables the suite reads, as one zod schema: each with its default, its range or its words, and the
// line that names it and the fix when its value is bad.
import { CHOICES } from '../../fixtures/contract/choices.ts';
import { z } from 'zod';
import { narrowTo, READING_POINTS, settingWords } from '../../fixtures/contract/readings.ts';

export type Env = Record<string, string | undefined>;

export const DOC = 'see .env.example';

function intVar(name: string, def: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        const message =
          `${name}=${JSON.stringify(v)} is not a whole number from ${min} to ${max}; ` + `set e.g. ${name}=${def}`;
        ctx.addIssue({ code: 'custom', message });
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
        const message = `${name}=${JSON.stringify(v)} is not one of ${values.join(', ')}; set e.g. ${name}=${def}`;
        ctx.addIssue({ code: 'custom', message });
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
        const words = settingWords(p).join(', ');
        const message =
          `${p.setting}=${JSON.stringify(v)} is not one of ${words}; ` +
          'unset it (or set any) to accept every reading';
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return readings;
    });
}

const opt = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const EnvSchema = z.object({
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
  ...Object.fromEntries(CHOICES.map((c) => [c.setting, oneOf<string>(c.setting, c.values, c.contractDefault)])),
  ...Object.fromEntries(READING_POINTS.map((p) => [p.setting, readingVar(p)])),
  CUSTOMER_API_TIMEOUT_MS: intVar('CUSTOMER_API_TIMEOUT_MS', 10_000, 100, 600_000),
  CUSTOMER_API_RUN_TIMEOUT_MS: intVar('CUSTOMER_API_RUN_TIMEOUT_MS', 900_000, 1_000, 86_400_000),
  CUSTOMER_API_RETRIES: intVar('CUSTOMER_API_RETRIES', 2, 0, 10),
  CUSTOMER_API_CONNECTIONS: oneOf('CUSTOMER_API_CONNECTIONS', ['auto', 'reuse', 'new'] as const, 'auto'),
  CUSTOMER_API_CONCURRENCY: intVar('CUSTOMER_API_CONCURRENCY', 8, 1, 256),
  CUSTOMER_API_CONCURRENCY_BURST: intVar('CUSTOMER_API_CONCURRENCY_BURST', 6, 0, 64),
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

export type ParsedEnv = z.infer<typeof EnvSchema>;

/** Every variable the suite reads. */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Fields the run marker may go into: free text, long enough to hold `conformance-<run id>`. */
export const MARKER_FIELDS: readonly string[] = [
  'company_name',
  'company_registration_number',
  ...['billing', 'shipping'].flatMap((g) =>
    ['first_name', 'middle_name', 'last_name', 'address_1', 'address_2', 'address_3', 'city', 'state'].map(
      (f) => `${g}.${f}`,
    ),
  ),
];

/**
 * The fields the run marker goes into: the marker field, and a second one in the other address group for a
 * request whose row removes or replaces the marker field's value (so every customer the suite creates
 * carries the marker, and the end-of-run sweep and npm run cleanup search both).
 */
export function markerFields(cfg: { markerField: string }): [string, string] {
  const group = cfg.markerField.split('.')[0];
  const fallback = ['shipping.address_3', 'billing.address_3'].find(
    (f) => f !== cfg.markerField && f.split('.')[0] !== group,
  )!;
  return [cfg.markerField, fallback];
}
