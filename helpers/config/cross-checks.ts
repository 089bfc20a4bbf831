// Mistakes a new user makes that the schema alone does not catch: a variable the suite does not know (a typo
// that would silently change the run), and values that are each valid but wrong together.
import { KNOWN_VARIABLES, MARKER_FIELDS, type Env } from './variables.ts';

const EXAMPLE_ROOT = 'https://cst.test-gsc.vfims.com/oidc/customer-service';

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const swap = d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, swap);
    }
  }
  return d[a.length]![b.length]!;
}

/** A CUSTOMER_API_* variable the suite does not know is a typo that would silently change the run. */
export function unknownVariables(env: Env): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if (!upper.startsWith('CUSTOMER_API_') || KNOWN_VARIABLES.includes(name) || !value?.trim()) continue;
    if (KNOWN_VARIABLES.includes(upper)) {
      out.push(`${name} is not read: variable names are upper case; rename it to ${upper}`);
      continue;
    }
    const squash = (s: string) => s.replace(/_/g, '');
    const near = KNOWN_VARIABLES.map((k) => ({ k, d: squash(k) === squash(upper) ? 0 : distance(k, upper) })).sort(
      (a, b) => a.d - b.d,
    )[0];
    const guess = near && near.d <= 4 ? `; did you mean ${near.k}?` : '';
    out.push(`${name} is not a variable of the suite${guess} (the variables are listed in .env.example)`);
  }
  return out;
}

/** A base URL with a query, or with the resource path the suite appends itself. */
function baseUrlMistakes(base: string, resource: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(base);
    if (u.search || u.hash)
      out.push(
        'CUSTOMER_API_BASE_URL must not contain a query or fragment (remove everything from "?" or "#"); ' +
          `set it to the service root, e.g. ${EXAMPLE_ROOT}`,
      );
    if (resource && u.pathname.replace(/\/+$/, '').endsWith(resource))
      out.push(
        `CUSTOMER_API_BASE_URL ends with the resource path ${resource}, which the suite appends itself; ` +
          `set it to the service root, e.g. ${base.replace(/\/+$/, '').slice(0, -resource.length)}`,
      );
  } catch {
    // reported by the URL check
  }
  return out;
}

/** Credentials given without a base URL would silently test the embedded target. */
function keysWithoutBaseUrl(creds: string[]): string {
  return (
    `CUSTOMER_API_BASE_URL is not set, but ${creds.join(', ')} ${creds.length > 1 ? 'are' : 'is'}: ` +
    `set CUSTOMER_API_BASE_URL to the deployment's service root (e.g. ${EXAMPLE_ROOT}), ` +
    'or CUSTOMER_API_TARGET=embedded to test the embedded reference target'
  );
}

/** The marker field, the error body shape and the languages: values the schema takes as free text. */
function shapeMistakes(v: (name: string) => string | undefined): string[] {
  const out: string[] = [];
  const marker = v('CUSTOMER_API_MARKER_FIELD');
  if (marker && !MARKER_FIELDS.includes(marker))
    out.push(
      `CUSTOMER_API_MARKER_FIELD=${JSON.stringify(marker)} cannot carry the run marker; ` +
        `set it to a free-text field: ${MARKER_FIELDS.slice(0, 5).join(', ')}, … (default company_name)`,
    );
  const errorFields = v('CUSTOMER_API_ERROR_FIELDS');
  const fieldRe = /^\s*[A-Za-z_][\w.-]*\??:(integer|string|object|number|boolean)\s*$/;
  const badPart = errorFields?.split(',').find((p) => !fieldRe.test(p));
  if (badPart !== undefined)
    out.push(
      `CUSTOMER_API_ERROR_FIELDS part ${JSON.stringify(badPart.trim())} is not name[?]:type ` +
        '(type integer, string, object, number or boolean); ' +
        'e.g. CUSTOMER_API_ERROR_FIELDS=code:integer,message:string,details?:object,timestamp:integer',
    );
  const languages = v('CUSTOMER_API_LANGUAGES')
    ?.split(',')
    .map((l) => l.trim());
  const badLang = languages?.find((l) => l && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(l));
  if (badLang !== undefined)
    out.push(
      `CUSTOMER_API_LANGUAGES has ${JSON.stringify(badLang)}, which is not a language code; ` +
        'set comma-separated codes, e.g. CUSTOMER_API_LANGUAGES=en,nl,de',
    );
  return out;
}

/** Mistakes a new user makes that the schema alone does not catch. */
export function crossChecks(env: Env, isEmbedded: boolean): string[] {
  const out: string[] = [];
  const v = (name: string) => env[name]?.trim() || undefined;
  const base = v('CUSTOMER_API_BASE_URL');
  const resource = (v('CUSTOMER_API_RESOURCE_PATH') ?? '/v2/customer').replace(/\/+$/, '');
  if (base && !isEmbedded) out.push(...baseUrlMistakes(base, resource));
  const target = v('CUSTOMER_API_TARGET')?.toLowerCase();
  const creds = ['CUSTOMER_API_KEY', 'CUSTOMER_API_USER_ID', 'CUSTOMER_API_ENTITY_ID'].filter((n) => v(n));
  if (isEmbedded && target !== 'embedded' && !base && creds.length) out.push(keysWithoutBaseUrl(creds));
  if (v('CUSTOMER_API_OTHER_KEY') && v('CUSTOMER_API_OTHER_KEY') === v('CUSTOMER_API_KEY'))
    out.push(
      'CUSTOMER_API_OTHER_KEY is the same as CUSTOMER_API_KEY; set it to the key of a second entity, ' +
        'or unset the CUSTOMER_API_OTHER_* variables to skip the other-entity checks',
    );
  out.push(...shapeMistakes(v));
  return out;
}
