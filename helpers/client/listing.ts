// A list search through every page: the customers it finds, or why the target could not list them.
import type { ApiResponse } from './api-response.ts';

type Obj = Record<string, unknown>;

/** The result of a list search through every page: the customers, or why the target could not list them. */
export type Listing = { items: Obj[] } | { unavailable: string; res?: ApiResponse };

/** Every customer `list` finds, page by page (pages of 100, at most `maxPages`). */
export async function listPages(
  list: (page: { page: number; size: number }) => Promise<ApiResponse>,
  maxPages: number,
): Promise<Listing> {
  const items: Obj[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const res = await list({ page, size: 100 });
    if (res.status !== 200 || !Array.isArray(res.json)) {
      const without = res.status === 200 ? ' without a JSON array' : '';
      return { unavailable: `the list endpoint answered status ${res.status}${without}`, res };
    }
    const rows = (res.json as unknown[]).filter(
      (x): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x),
    );
    items.push(...rows);
    if (res.json.length < 100) break;
  }
  return { items };
}
