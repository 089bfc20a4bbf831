import { ALL_READINGS } from '../../fixtures/contract/readings.ts';
import { CHOICES, choiceValue, type ChoiceRow } from '../../fixtures/contract/choices.ts';
import { describe, expect, test } from 'vitest';
import {
  ConfigError,
  judgingSettings,
  KNOWN_VARIABLES,
  loadConfig,
  wantsEmbedded,
  type Config,
} from '../../helpers/config/config.ts';

const remote = {
  CUSTOMER_API_BASE_URL: 'https://cst.test-gsc.vfims.com/oidc/customer-service',
  CUSTOMER_API_USER_ID: 'u',
  CUSTOMER_API_KEY: 'k-123456',
  CUSTOMER_API_ENTITY_ID: 'org-1',
};

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
};

describe('deployment choices: one row each (fixtures/contract/choices.ts)', () => {
  const rows: readonly ChoiceRow[] = CHOICES;
  test.each(rows.map((r) => [r.setting, r]))('%s: the contract default unless set, every value settable', (_s, r) => {
    expect(KNOWN_VARIABLES).toContain(r.setting);
    const key = r.key as keyof Config;
    expect(loadConfig(remote)[key]).toBe(choiceValue(r, r.contractDefault));
    for (const v of r.values)
      expect(loadConfig({ ...remote, [r.setting]: v.toLowerCase() })[key]).toBe(choiceValue(r, v));
    expect(() => loadConfig({ ...remote, [r.setting]: 'neither' })).toThrow(
      new RegExp(`${r.setting}="neither" is not one of`),
    );
  });
});

describe('config', () => {
  test('defaults follow the contract', () => {
    const c = loadConfig({ ...remote, CONFORMANCE_SEED: '42' });
    expect(c).toMatchObject({
      target: 'remote',
      resourcePath: '/v2/customer',
      auth: 'basic',
      updateMethod: 'POST',
      updateSemantics: 'replace',
      createStatus: 200,
      malformedIdStatus: 400,
      otherEntityStatus: 403,
      readings: ALL_READINGS,
      seed: 42,
      markerField: 'company_name',
      faultInjection: false,
    });
    expect(c.other).toBeUndefined();
    expect(c.baseUrl).toBe(remote.CUSTOMER_API_BASE_URL);
  });

  test("a reproduction judges under the run's settings and seed, never its connection or secrets", () => {
    const env = {
      ...remote,
      CUSTOMER_API_UPDATE_METHOD: 'PUT',
      CUSTOMER_API_NAME_RULE: 'both',
      CUSTOMER_API_OTHER_KEY: 'secret-2',
    };
    const cfg = loadConfig({
      ...env,
      CUSTOMER_API_OTHER_USER_ID: 'v',
      CUSTOMER_API_OTHER_ENTITY_ID: 'org-2',
      CONFORMANCE_SEED: '7',
    });
    expect(judgingSettings(env, cfg)).toEqual({
      CUSTOMER_API_UPDATE_METHOD: 'PUT',
      CUSTOMER_API_NAME_RULE: 'both',
      CONFORMANCE_SEED: '7',
    });
  });

  test('a reading setting narrows its point to one reading; any (or unset) accepts every reading', () => {
    expect(loadConfig({ ...remote, CUSTOMER_API_NAME_RULE: 'both' }).readings['name-rule']).toEqual(['both']);
    const utf8 = loadConfig({ ...remote, CUSTOMER_API_INVALID_UTF8: 'Replace ' });
    expect(utf8.readings['invalid-utf8']).toEqual(['replace']);
    expect(loadConfig({ ...remote, CUSTOMER_API_NAME_RULE: 'any' }).readings['name-rule']).toEqual(['both', 'either']);
    // the older word for "every reading" of this point still works
    const readOnly = loadConfig({ ...remote, CUSTOMER_API_READONLY_FIELDS: 'either' });
    expect(readOnly.readings['read-only-fields']).toEqual(['ignore', 'reject']);
    expect(error({ ...remote, CUSTOMER_API_NAME_RULE: 'one' })).toBe(
      'CUSTOMER_API_NAME_RULE="one" is not one of any, both, either; unset it (or set any) to accept every reading',
    );
  });

  test('no base URL means the embedded target, unless CUSTOMER_API_TARGET says remote', () => {
    expect(wantsEmbedded({})).toBe(true);
    expect(wantsEmbedded({ CUSTOMER_API_BASE_URL: 'https://x' })).toBe(false);
    expect(wantsEmbedded({ CUSTOMER_API_BASE_URL: 'https://x', CUSTOMER_API_TARGET: 'embedded' })).toBe(true);
    expect(wantsEmbedded({ CUSTOMER_API_TARGET: 'remote' })).toBe(false);
  });

  test.each([
    [{ CUSTOMER_API_BASE_URL: 'cst.test-gsc.vfims.com' }, /CUSTOMER_API_BASE_URL.*not a URL.*https:\/\//],
    [{ CUSTOMER_API_BASE_URL: 'ftp://x.example' }, /CUSTOMER_API_BASE_URL must start with https:\/\//],
    [{ CUSTOMER_API_BASE_URL: 'https://user:pw@x.example' }, /must not contain credentials/],
    [
      { CUSTOMER_API_TIMEOUT_MS: '10s' },
      /CUSTOMER_API_TIMEOUT_MS="10s" is not a whole number.*set e\.g\. CUSTOMER_API_TIMEOUT_MS=10000/,
    ],
    [{ CUSTOMER_API_CONCURRENCY: '0' }, /CUSTOMER_API_CONCURRENCY/],
    [{ CUSTOMER_API_UPDATE_METHOD: 'GET' }, /CUSTOMER_API_UPDATE_METHOD="GET" is not one of POST, PUT, PATCH/],
    [{ CUSTOMER_API_AUTH: 'oauth' }, /CUSTOMER_API_AUTH.*basic, bearer/],
    [{ CUSTOMER_API_KEY: '' }, /CUSTOMER_API_KEY is not set; set it to the API key/],
    [{ CUSTOMER_API_ENTITY_ID: '' }, /CUSTOMER_API_ENTITY_ID is not set/],
    [
      { CUSTOMER_API_OTHER_KEY: 'x-123456', CUSTOMER_API_OTHER_ENTITY_ID: 'org-2' },
      /CUSTOMER_API_OTHER_USER_ID is not set/,
    ],
    [{ CUSTOMER_API_FIELD_MAP: '{email:1}' }, /CUSTOMER_API_FIELD_MAP is not JSON/],
    [{ CUSTOMER_API_RESOURCE_PATH: 'v2/customer' }, /CUSTOMER_API_RESOURCE_PATH must start with "\/"/],
  ])('%o is refused in one line naming the variable and the fix', (bad, message) => {
    const m = error({ ...remote, ...bad });
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });

  test('values are case-insensitive where the contract names are fixed', () => {
    const c = loadConfig({ ...remote, CUSTOMER_API_UPDATE_METHOD: 'put', CUSTOMER_API_UPDATE_SEMANTICS: 'Merge' });
    expect(c).toMatchObject({ updateMethod: 'PUT', updateSemantics: 'merge' });
  });

  test('bearer needs no user id; the other entity must differ', () => {
    expect(loadConfig({ ...remote, CUSTOMER_API_AUTH: 'bearer', CUSTOMER_API_USER_ID: '' }).main.userId).toBe('');
    const sameEntity = {
      ...remote,
      CUSTOMER_API_OTHER_USER_ID: 'v',
      CUSTOMER_API_OTHER_KEY: 'x-123456',
      CUSTOMER_API_OTHER_ENTITY_ID: 'org-1',
    };
    expect(error(sameEntity)).toMatch(/must act for a different entity/);
  });
});
