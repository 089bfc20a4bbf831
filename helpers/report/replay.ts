// A failed check's exchanges as its reproduction script replays them: credentials by reference, never by
// value; a body or credential the redactor would mask makes the step not replayable.
import type { Exchange } from '../client/http.ts';
import type { Config } from '../config/config.ts';
import type { Redactor } from '../client/redact.ts';
import type { ReplayStep } from './result.ts';

/** A failed check's exchanges as its reproduction replays them; credentials by reference, never by value. */
export function replayOf(
  exchanges: readonly Exchange[],
  cfg: Pick<Config, 'baseUrl' | 'resourcePath'>,
  redactor: Redactor,
): ReplayStep[] {
  const base = cfg.baseUrl + cfg.resourcePath;
  return exchanges.map((ex): ReplayStep => {
    const q = ex.request;
    const a = q.auth;
    const literal = a?.kind === 'literal' ? a.value : undefined;
    const auth: ReplayStep['auth'] =
      a?.kind === 'basic-env' || a?.kind === 'bearer-env'
        ? a.prefix === 'CUSTOMER_API'
          ? 'main'
          : 'other'
        : literal === undefined
          ? 'none'
          : redactor.text(literal) === literal
            ? { literal }
            : 'masked';
    const bytes = q.bodyBytes ? Buffer.from(q.bodyBytes) : q.body !== undefined ? Buffer.from(q.body) : undefined;
    const headers = Object.fromEntries(
      Object.entries(q.headers).filter(([k]) => !/^(authorization|content-length|connection|host)$/i.test(k)),
    );
    const created = q.method === 'POST' && q.url === base ? idIn(ex.response?.body) : undefined;
    const masked = bytes !== undefined && redactor.text(bytes.toString('latin1')) !== bytes.toString('latin1');
    return {
      method: q.method,
      path: q.url.startsWith(base) ? q.url.slice(base.length) : q.url,
      headers,
      auth: masked ? 'masked' : auth,
      ...(bytes ? { body: bytes.toString('base64') } : {}),
      ...(ex.response ? { status: ex.response.status } : {}),
      ...(typeof created === 'string' ? { created } : {}),
    };
  });
}

function idIn(body: string | undefined): unknown {
  try {
    return (JSON.parse(body ?? '') as { id?: unknown } | null)?.id;
  } catch {
    return undefined;
  }
}
