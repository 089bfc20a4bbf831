// Secrets never leave the process: every text that reaches a report, log or console goes through here.
const MASK = '***';

/**
 * The base64 (and base64url) text that encodes `s` wherever it sits in a longer encoded value: for each of
 * the three byte alignments, the characters determined by `s` alone.
 */
export function base64Forms(s: string): string[] {
  const bytes = Buffer.from(s);
  const out: string[] = [];
  for (const shift of [0, 1, 2]) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const first = Math.ceil((8 * shift) / 6);
    const last = Math.floor((8 * (shift + bytes.length) - 6) / 6);
    const core = b64.slice(first, last + 1);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

const NAMED: Record<string, string> = {
  '&': 'amp',
  '<': 'lt',
  '>': 'gt',
  '"': 'quot',
  "'": 'apos',
  '/': 'sol',
  '=': 'equals',
  '+': 'plus',
  '%': 'percnt',
};
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One character of a secret in any text encoding a target may echo it in, mixed freely within one echo:
 * raw; URL or form encoding (%XX of its UTF-8 bytes, + for a space); an HTML entity (named, decimal or hex,
 * with leading zeros); a JSON or JS escape (\\uXXXX, \\xXX, \\/).
 */
function charPattern(c: string): string {
  const cp = c.codePointAt(0)!;
  const utf8 = [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const units = c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [cp];
  const alts = [
    escapeRe(c),
    utf8,
    `&#0*${cp};`,
    `&#x0*${cp.toString(16)};`,
    units.map((u) => `\\\\u${u.toString(16).padStart(4, '0')}`).join(''),
    ...(cp < 0x100 ? [`\\\\x${cp.toString(16).padStart(2, '0')}`] : []),
    ...(NAMED[c] ? [`&${NAMED[c]};`] : []),
    ...(c === ' ' ? ['\\+'] : []),
    // JSON's backslash escapes of ", \\ and /
    ...('"\\/'.includes(c) ? [`\\\\${escapeRe(c)}`] : []),
  ];
  return `(?:${alts.join('|')})`;
}

/** Byte-level encodings of a secret: base64 and base64url at any alignment (also of `user:key`), and hex. */
export function byteForms(s: string, userIds: readonly string[] = []): string[] {
  return [
    Buffer.from(s).toString('base64').replace(/=+$/, ''),
    ...userIds.map((u) => Buffer.from(`${u}:${s}`).toString('base64').replace(/=+$/, '')),
    ...base64Forms(s),
    Buffer.from(s).toString('hex'),
  ];
}

export class Redactor {
  private readonly pattern: RegExp | undefined;

  constructor(secrets: readonly string[], userIds: readonly string[] = []) {
    // too short to mask without shredding ordinary text
    const kept = secrets.filter((s) => s.length >= 4);
    // longest first, so a secret inside a longer one is not half-masked; case is ignored (hex digits, %xx,
    // entity names, a target that upper-cases what it echoes)
    const bytes = [...new Set(kept.flatMap((s) => byteForms(s, userIds)).filter((f) => f.length >= 4))]
      .sort((a, b) => b.length - a.length)
      .map(escapeRe);
    const texts = [...kept].sort((a, b) => b.length - a.length).map((s) => [...s].map(charPattern).join(''));
    const all = [...bytes, ...texts];
    this.pattern = all.length ? new RegExp(all.join('|'), 'giu') : undefined;
  }

  text(s: string): string {
    return this.pattern ? s.replace(this.pattern, MASK) : s;
  }

  /** Authorization values keep their scheme only. */
  header(name: string, value: string): string {
    if (/^(authorization|proxy-authorization|x-api-key|cookie)$/i.test(name)) {
      const scheme = /^\s*(\S+)\s+\S/.exec(value)?.[1];
      return scheme ? `${scheme} ${MASK}` : MASK;
    }
    return this.text(value);
  }

  headers(h: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, this.header(k, v)]));
  }
}
