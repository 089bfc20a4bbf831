// Configuration mistakes a new user makes: every one reported, one line each, naming the variable and the
// fix, and never repeating a key back.
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, type Embedded } from '../../helpers/config/config.ts';

const remote = {
  CUSTOMER_API_BASE_URL: 'https://cst.test-gsc.vfims.com/oidc/customer-service',
  CUSTOMER_API_USER_ID: 'u',
  CUSTOMER_API_KEY: 'k-secret-123456',
  CUSTOMER_API_ENTITY_ID: 'org-1',
};

const EMBEDDED: Embedded = {
  baseUrl: 'http://127.0.0.1:1',
  main: { userId: 'a', apiKey: 'k', bearer: 'k.k.k', entityId: 'x' },
  other: { userId: 'b', apiKey: 'l', bearer: 'l.l.l', entityId: 'y' },
};

function lines(env: Record<string, string>, embedded = false): string[] {
  try {
    loadConfig(env, embedded ? EMBEDDED : undefined);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message.split('\n');
  }
  return [];
}

describe('configuration mistakes', () => {
  test('several at once: one line for each, in a stable order', () => {
    const l = lines({
      ...remote,
      CUSTOMER_API_KEY: '',
      CUSTOMER_API_TIMEOUT_MS: '10s',
      CUSTOMER_API_UPDATE_METHOD: 'GET',
      CUSTOMER_API_RETRYS: '3',
    });
    expect(l.map((x) => /^CUSTOMER_API_[A-Z_]+/.exec(x)?.[0])).toEqual([
      'CUSTOMER_API_RETRYS',
      'CUSTOMER_API_UPDATE_METHOD',
      'CUSTOMER_API_TIMEOUT_MS',
      'CUSTOMER_API_KEY',
    ]);
    expect(l[0]).toContain('did you mean CUSTOMER_API_RETRIES?');
  });

  test.each([
    [
      { customer_api_key: 'x' },
      /^customer_api_key is not read: variable names are upper case; rename it to CUSTOMER_API_KEY$/,
    ],
    [{ CUSTOMER_API_BASEURL: 'https://x' }, /did you mean CUSTOMER_API_BASE_URL\?/],
    [
      { CUSTOMER_API_BASE_URL: `${remote.CUSTOMER_API_BASE_URL}/v2/customer/` },
      /ends with the resource path \/v2\/customer.*e\.g\. https:\/\/cst\.test-gsc\.vfims\.com\/oidc\/customer-service$/,
    ],
    [
      { CUSTOMER_API_BASE_URL: `${remote.CUSTOMER_API_BASE_URL}?apikey=k-secret-123456` },
      /^CUSTOMER_API_BASE_URL must not contain a query or fragment/,
    ],
    [
      { CUSTOMER_API_MARKER_FIELD: 'email_address' },
      /CUSTOMER_API_MARKER_FIELD="email_address" cannot carry the run marker/,
    ],
    [
      { CUSTOMER_API_ERROR_FIELDS: 'code:int,message:string' },
      /CUSTOMER_API_ERROR_FIELDS part "code:int" is not name\[\?\]:type/,
    ],
    [{ CUSTOMER_API_LANGUAGES: 'en, english' }, /CUSTOMER_API_LANGUAGES has "english"/],
    [{ CUSTOMER_API_TIMEOUT_MS: '10' }, /CUSTOMER_API_TIMEOUT_MS="10" is not a whole number from 100 to 600000/],
    [
      {
        CUSTOMER_API_OTHER_USER_ID: 'v',
        CUSTOMER_API_OTHER_KEY: 'k-secret-123456',
        CUSTOMER_API_OTHER_ENTITY_ID: 'org-2',
      },
      /CUSTOMER_API_OTHER_KEY is the same as CUSTOMER_API_KEY/,
    ],
  ])('%o', (bad, re) => {
    const l = lines({ ...remote, ...bad });
    expect(l).toHaveLength(1);
    expect(l[0]).toMatch(re);
    expect(l[0]).not.toContain('k-secret-123456');
  });

  test('keys set without a base URL would silently test the embedded target: refused, unless asked for', () => {
    expect(lines({ CUSTOMER_API_KEY: 'k-secret-123456', CUSTOMER_API_USER_ID: 'u' }, true)).toEqual([
      expect.stringMatching(
        new RegExp(
          '^CUSTOMER_API_BASE_URL is not set, but CUSTOMER_API_KEY, CUSTOMER_API_USER_ID are: ' +
            'set CUSTOMER_API_BASE_URL .* or CUSTOMER_API_TARGET=embedded',
        ),
      ),
    ]);
    expect(lines({ CUSTOMER_API_KEY: 'k-secret-123456', CUSTOMER_API_TARGET: 'embedded' }, true)).toEqual([]);
  });

  test('a key pasted into another variable is not repeated back', () => {
    expect(lines({ ...remote, CUSTOMER_API_BASE_URL: 'k-secret-123456' }).join('\n')).not.toContain('k-secret-123456');
  });

  test("the embedded target's accounts stand in for the credentials: the API key, or the token under bearer", () => {
    const basic = loadConfig({}, EMBEDDED);
    expect(basic).toMatchObject({ target: 'embedded', baseUrl: EMBEDDED.baseUrl, main: { key: 'k' } });
    const bearer = loadConfig({ CUSTOMER_API_AUTH: 'Bearer' }, EMBEDDED);
    expect([bearer.main.key, bearer.other?.key]).toEqual(['k.k.k', 'l.l.l']);
  });
});
