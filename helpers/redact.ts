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

export class Redactor {
  private readonly needles: string[];

  constructor(secrets: readonly string[], userIds: readonly string[] = []) {
    const set = new Set<string>();
    for (const s of secrets) {
      if (s.length < 4) continue; // too short to mask without shredding ordinary text
      set.add(s);
      set.add(Buffer.from(s).toString('base64').replace(/=+$/, ''));
      for (const u of userIds) set.add(Buffer.from(`${u}:${s}`).toString('base64').replace(/=+$/, ''));
      for (const f of base64Forms(s)) set.add(f);
      set.add(encodeURIComponent(s));
      set.add(JSON.stringify(s).slice(1, -1));
    }
    // longest first so a secret inside a longer one is not half-masked
    this.needles = [...set].filter((n) => n.length >= 4).sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s;
    for (const n of this.needles) if (out.includes(n)) out = out.split(n).join(MASK);
    return out;
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
