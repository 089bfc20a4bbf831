// ISO 8601 date-times as the contract allows them: extended or basic format, any fraction length,
// `Z`/`z` or a numeric offset. Instants compare in nanoseconds so microsecond servers are judged fairly.
const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?:\d{2})?)$/;
/** RFC 3339's profile: extended format, seconds, "." before the fraction, Z or ±hh:mm */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

export interface Instant {
  /** nanoseconds since the epoch */
  ns: bigint;
  text: string;
}

/**
 * Parses an ISO 8601 date-time with a zone designator (any form, or only RFC 3339's when `forms` says
 * so: the timestamp-form reading point); undefined when it is not one.
 */
export function parseInstant(text: unknown, forms: readonly string[] = ['iso8601']): Instant | undefined {
  if (typeof text !== 'string') return undefined;
  const m = forms.includes('iso8601') ? (EXTENDED.exec(text) ?? BASIC.exec(text)) : RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls over out-of-range parts; a real date-time must round-trip
  const back = new Date(ms);
  if (
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  )
    return undefined;
  let offsetMin = 0;
  if (zone && !/^[Zz]$/.test(zone)) {
    const z = zone.replace(':', '');
    const sign = z.startsWith('-') ? -1 : 1;
    offsetMin = sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5) || '0'));
  }
  const fracNs = BigInt((frac + '000000000').slice(0, 9));
  const ns = BigInt(ms - offsetMin * 60_000) * 1_000_000n + fracNs;
  return { ns, text };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const toMs = (i: Instant) => Number(i.ns / 1_000_000n);

/**
 * One tick of the clock a timestamp may have been written with, as its text shows: 10^-n s for n fraction
 * digits, trailing zeros not counted (a clock of whole seconds may still print ".000"), 1 s without.
 */
export function tickMs(i: Instant): number {
  const digits = /[.,](\d+)/.exec(i.text.slice(i.text.search(/[Tt ]/)))?.[1]?.replace(/0+$/, '') ?? '';
  return digits ? Math.max(1e-6, 10 ** (3 - digits.length)) : 1000;
}

/**
 * How long to wait before a request whose answer must carry a later timestamp than `instants`, which a
 * response received at `seenAt` (performance.now()) carried: the server wrote them no later than that, so
 * once one tick (the finest the instants show) has passed since, the server's clock has moved past them
 * whatever its offset from ours. Usually nothing at all.
 */
export function msUntilClockTicks(instants: readonly Instant[], seenAt: number, now = performance.now()): number {
  if (!instants.length) return 0;
  const tick = Math.min(...instants.map(tickMs));
  return Math.max(0, tick - (now - seenAt));
}

/**
 * Waits, only as long as the clock needs, until the server's clock has moved past `instants` (see
 * msUntilClockTicks).
 */
export async function untilClockTicks(instants: readonly (Instant | undefined)[], seenAt: number): Promise<void> {
  const wait = msUntilClockTicks(
    instants.filter((i): i is Instant => i !== undefined),
    seenAt,
  );
  if (wait > 0) await sleep(Math.ceil(wait));
}
