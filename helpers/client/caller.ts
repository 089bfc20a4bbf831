// Who sends a request, and the Authorization header that says so: the main or the other configured
// credentials (Basic or Bearer, as configured), or an explicit value (or none) for the checks of access.
import type { Config, Credentials } from '../config/config.ts';
import type { AuthTag } from './http.ts';

/** Who sends the request: the main or other configured credentials, or an explicit Authorization value (or none). */
export type Caller = 'main' | 'other' | { authorization?: string };

/** The credential of HTTP Basic authentication: base64 of `user:key`. */
export const basicCredential = (userId: string, key: string) => Buffer.from(`${userId}:${key}`).toString('base64');

export function basicHeader(userId: string, key: string): string {
  return `Basic ${basicCredential(userId, key)}`;
}

function credentials(cfg: Config, as: 'main' | 'other'): Credentials {
  const c = as === 'main' ? cfg.main : cfg.other;
  if (!c) throw new Error('the other-entity credentials are not configured (CUSTOMER_API_OTHER_*)');
  return c;
}

/** The Authorization header for `as` (none for an explicit undefined), and how reports name it. */
export function authorize(cfg: Config, as: Caller): { header?: string; tag: AuthTag } {
  if (typeof as === 'object')
    return as.authorization === undefined
      ? { tag: { kind: 'none' } }
      : { header: as.authorization, tag: { kind: 'literal', value: as.authorization } };
  const c = credentials(cfg, as);
  if (cfg.auth === 'bearer') return { header: `Bearer ${c.key}`, tag: { kind: 'bearer-env', prefix: c.envPrefix } };
  return { header: basicHeader(c.userId, c.key), tag: { kind: 'basic-env', prefix: c.envPrefix } };
}
