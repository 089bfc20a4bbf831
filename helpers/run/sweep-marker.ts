// Finding customers by the run marker through the list endpoint and deleting them: what a create whose
// answer was lost left behind, for one run (its marker) or every run (`conformance-`).
import type { CustomerApi } from '../client/api.ts';
import { MARKER_RE } from '../client/run-marker.ts';
import { at } from '../client/json-path.ts';
import { markerFields, type Config } from '../config/config.ts';
import { deleteIds, emptyRemoval, type Removal } from './delete-ids.ts';

type Obj = Record<string, unknown>;

export interface Sweep extends Removal {
  /** matches left alone (`keep` said so) */
  skipped: number;
  /** why the target could not be searched, per credentials */
  unavailable: string[];
}

/**
 * Finds customers whose marker field starts with `prefix` (a run's marker, or `conformance-` for every run)
 * through the list endpoint, with the main and the other credentials, and deletes them. Only values that
 * start with the suite's own marker (`conformance-` and an 8-digit hex run id) are ever touched, whatever
 * the target's search returns. `keep` may spare a match (e.g. a run still in progress).
 */
export async function sweepMarker(
  api: CustomerApi,
  cfg: Config,
  prefix: string,
  keep: (c: Obj, marker: string) => boolean = () => false,
): Promise<Sweep> {
  const out: Sweep = { ...emptyRemoval(), skipped: 0, unavailable: [] };
  const credentials: ('main' | 'other')[] = cfg.other ? ['main', 'other'] : ['main'];
  // every field a marker goes into (the second one for rows that replaced the first)
  for (const [as, field] of credentials.flatMap((a) => markerFields(cfg).map((f) => [a, f] as const))) {
    const tried = new Set<string>();
    let spared = new Set<string>();
    // deleting shifts the pages, so search again until a round finds nothing new
    for (let round = 0; round < 20; round++) {
      let listing;
      try {
        listing = await api.listAll(api.markerSearch(prefix, field), as);
      } catch (e) {
        listing = { unavailable: (e as Error).message };
      }
      if (!('items' in listing)) {
        if (round === 0 && field === cfg.markerField)
          out.unavailable.push(`${as === 'main' ? '' : 'with the other credentials: '}${listing.unavailable}`);
        break;
      }
      spared = new Set();
      const todo: string[] = [];
      for (const c of listing.items) {
        const id = c.id;
        const value = markerOf(c, { markerField: field });
        const marker = value === undefined ? undefined : MARKER_RE.exec(value)?.[0];
        if (typeof id !== 'string' || !marker || !value!.startsWith(prefix) || tried.has(id)) continue;
        if (keep(c, marker)) spared.add(id);
        else todo.push(id);
      }
      if (!todo.length) break;
      for (const id of todo) tried.add(id);
      const r = await deleteIds(api, cfg, todo, as);
      out.deleted.push(...r.deleted);
      out.gone += r.gone;
      out.failed.push(...r.failed);
    }
    out.skipped += spared.size;
  }
  return out;
}

export function markerOf(c: Obj, cfg: Pick<Config, 'markerField'>): string | undefined {
  const value = at(c, cfg.markerField);
  return typeof value === 'string' ? value : undefined;
}
