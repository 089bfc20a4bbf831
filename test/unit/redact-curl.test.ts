import { describe, expect, test } from 'vitest';
import { basicCredential, basicHeader } from '../../helpers/client/caller.ts';
import { toCurl } from '../../helpers/client/curl.ts';
import { Redactor } from '../../helpers/client/redact.ts';

const KEY = 'sk_live_4f9a1c2b3d4e5f60';
const r = new Redactor([KEY], ['user-1']);

describe('redaction', () => {
  test('masks the key, its base64 and the Basic credential, keeping the scheme', () => {
    const basic = basicCredential('user-1', KEY);
    expect(r.text(`key ${KEY} b64 ${Buffer.from(KEY).toString('base64')} basic ${basic}`)).not.toMatch(
      /sk_live|c2tfbGl2|dXNlci0xOnNr/,
    );
    expect(r.header('Authorization', basicHeader('user-1', KEY))).toBe('Basic ***');
    expect(r.header('authorization', `Bearer ${KEY}`)).toBe('Bearer ***');
    expect(r.header('content-type', 'application/json')).toBe('application/json');
  });
});

describe('curl reproduction', () => {
  test('refers to credentials through the environment and quotes the body for a POSIX shell', () => {
    const c = toCurl(
      {
        method: 'POST',
        url: 'https://x.example/v2/customer/%2F..%2F',
        headers: { authorization: `Basic abc`, 'content-type': 'application/json' },
        body: `{"company_name":"O'Brien ${KEY}"}`,
        auth: { kind: 'basic-env', prefix: 'CUSTOMER_API' },
      },
      r,
    );
    expect(c).toContain('-u "$CUSTOMER_API_USER_ID:$CUSTOMER_API_KEY"');
    expect(c).toContain("--path-as-is -X POST 'https://x.example/v2/customer/%2F..%2F'");
    expect(c).toContain(`'{"company_name":"O'\\''Brien ***"}'`);
    expect(c).not.toContain(KEY);
    expect(c).not.toContain('Basic abc');
  });

  test('bearer and literal credentials', () => {
    expect(
      toCurl(
        { method: 'GET', url: 'https://x/', headers: {}, auth: { kind: 'bearer-env', prefix: 'CUSTOMER_API_OTHER' } },
        r,
      ),
    ).toContain('"Authorization: Bearer $CUSTOMER_API_OTHER_KEY"');
    expect(
      toCurl({ method: 'GET', url: 'https://x/', headers: {}, auth: { kind: 'literal', value: 'Token nope' } }, r),
    ).toContain("'Authorization: Token nope'");
  });

  test('large bodies are referenced, not inlined', () => {
    expect(toCurl({ method: 'POST', url: 'https://x/', headers: {}, body: 'a'.repeat(10_000) }, r)).toContain(
      '--data-binary @request-body.json',
    );
  });
});
