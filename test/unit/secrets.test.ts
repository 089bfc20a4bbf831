// Keys are masked in every form a target or a report could carry them: raw, URL- and JSON-escaped, and
// base64/base64url at any byte alignment inside a longer encoded value (an echoed Authorization header).
import { describe, expect, test } from 'vitest';
import { Redactor } from '../../helpers/client/redact.ts';

const KEY = 'conformance-target-key-a-5b0e7c41d9f2';
const r = new Redactor([KEY], ['user-a']);

describe('redaction of echoed keys', () => {
  test.each(['', 'x', 'xy', 'user-a:', 'Bearer ', '{"credential":"user-a:'])(
    'base64 and base64url of %j + key + anything',
    (prefix) => {
      for (const suffix of ['', 'q', 'qq', '"}']) {
        for (const enc of ['base64', 'base64url'] as const) {
          const text = `before ${Buffer.from(prefix + KEY + suffix).toString(enc)} after`;
          expect(r.text(text)).toContain('***');
          // what is left of the encoding decodes to no more than a few characters of the key
          expect(
            Buffer.from(
              r
                .text(text)
                .split(' ')[1]!
                .replace(/\*\*\*/g, ''),
              enc,
            ).toString('latin1'),
          ).not.toContain(KEY.slice(0, 8));
        }
      }
    },
  );

  test('raw, URL-encoded and JSON-escaped', () => {
    expect(r.text(`k=${KEY}&e=${encodeURIComponent(KEY)} ${JSON.stringify({ k: KEY })}`)).not.toContain(KEY);
  });

  test('short values are not treated as secrets (they would shred ordinary text)', () => {
    expect(new Redactor(['abc']).text('abcdef')).toBe('abcdef');
  });
});

describe('a key with + / = % & < > " and a space, echoed in every encoding a target may use', () => {
  const SPECIAL = 'k+y/Q=%&<>"x-5b0e7c41d9f2 z';
  const red = new Redactor([SPECIAL], ['user-a']);
  const html = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const others = (s: string, f: (c: string) => string) => s.replace(/[^A-Za-z0-9]/g, f);
  const hex = (c: string, w = 2) => c.charCodeAt(0).toString(16).padStart(w, '0');
  const FORMS: [string, string][] = [
    ['raw', SPECIAL],
    ['upper case', SPECIAL.toUpperCase()],
    ['lower case', SPECIAL.toLowerCase()],
    ['URL-encoded', encodeURIComponent(SPECIAL)],
    ['URL-encoded, lower-case hex', encodeURIComponent(SPECIAL).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['form-encoded', new URLSearchParams({ k: SPECIAL }).toString().slice(2)],
    ['every byte %-encoded', [...Buffer.from(SPECIAL)].map((b) => `%${b.toString(16)}`).join('')],
    ['HTML named entities', html(SPECIAL)],
    ['HTML decimal entities (&#43;)', others(SPECIAL, (c) => `&#${c.charCodeAt(0)};`)],
    ['HTML hex entities', others(SPECIAL, (c) => `&#x${hex(c).toUpperCase()};`)],
    ['HTML, one entity among raw characters', SPECIAL.replace('+', '&#43;')],
    ['JSON.stringify', JSON.stringify(SPECIAL).slice(1, -1)],
    ['JSON \\u escapes', others(SPECIAL, (c) => `\\u${hex(c, 4)}`)],
    ['JSON \\u escapes, upper case', others(SPECIAL, (c) => `\\u${hex(c, 4).toUpperCase()}`)],
    ['JSON with \\/', JSON.stringify(SPECIAL).slice(1, -1).replace(/\//g, '\\/')],
    ['JS \\x escapes', others(SPECIAL, (c) => `\\x${hex(c)}`)],
    ['hex', Buffer.from(SPECIAL).toString('hex')],
    ['HEX', Buffer.from(SPECIAL).toString('hex').toUpperCase()],
    ['base64', Buffer.from(SPECIAL).toString('base64')],
    ['base64url, shifted', Buffer.from(`xx${SPECIAL}`).toString('base64url')],
    ['base64 of user:key', Buffer.from(`user-a:${SPECIAL}`).toString('base64')],
  ];

  test.each(FORMS)('%s', (_label, form) => {
    const out = red.text(`before ${form} after`);
    expect(out).toContain('***');
    expect(out).not.toContain(form);
    // nothing of the key's distinctive tail survives
    expect(out.toLowerCase()).not.toContain('5b0e7c41');
  });

  test('ordinary text with the same special characters is left alone', () => {
    const text = 'a + b / c = d % e & f < g > h "quoted" k+y/Q';
    expect(red.text(text)).toBe(text);
  });
});
