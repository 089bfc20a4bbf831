// Keys are masked in every form a target or a report could carry them: raw, URL- and JSON-escaped, and
// base64/base64url at any byte alignment inside a longer encoded value (an echoed Authorization header).
import { describe, expect, test } from 'vitest';
import { Redactor } from '../../helpers/redact.ts';

const KEY = 'conformance-target-key-a-5b0e7c41d9f2';
const r = new Redactor([KEY], ['user-a']);

describe('redaction of echoed keys', () => {
  test.each(['', 'x', 'xy', 'user-a:', 'Bearer ', '{"credential":"user-a:'])('base64 and base64url of %j + key + anything', (prefix) => {
    for (const suffix of ['', 'q', 'qq', '"}']) {
      for (const enc of ['base64', 'base64url'] as const) {
        const text = `before ${Buffer.from(prefix + KEY + suffix).toString(enc)} after`;
        expect(r.text(text)).toContain('***');
        // what is left of the encoding decodes to no more than a few characters of the key
        expect(Buffer.from(r.text(text).split(' ')[1]!.replace(/\*\*\*/g, ''), enc).toString('latin1')).not.toContain(KEY.slice(0, 8));
      }
    }
  });

  test('raw, URL-encoded and JSON-escaped', () => {
    expect(r.text(`k=${KEY}&e=${encodeURIComponent(KEY)} ${JSON.stringify({ k: KEY })}`)).not.toContain(KEY);
  });

  test('short values are not treated as secrets (they would shred ordinary text)', () => {
    expect(new Redactor(['abc']).text('abcdef')).toBe('abcdef');
  });
});
