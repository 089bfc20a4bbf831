// What the conformance command hands to the vitest workers: the resolved configuration, the run id and
// ledger, and the selection of checks. Provided to them through vitest (`provide` in the main process,
// `inject(HARNESS_KEY)` in the workers), so it is plain data that survives structured cloning.
import { checkTitle } from '../report/result.ts';
import type { CheckInfo as Check } from '../report/result.ts';
import type { Config } from '../config/config.ts';
import type { Shard } from './shard.ts';

export interface Selection {
  /** features, tags or contract ids (prefixes such as CUS-UPD match); empty: everything */
  only?: string[];
  /** --only as given: a check's title or name (which may hold commas) selects that check */
  onlyText?: string;
  /** set when onlyText is a check's title or name: that check alone, not the ids its title lists */
  title?: string;
  /** only checks that create nothing */
  readOnly?: boolean;
  /** soak mode: the workflow checks run this many times, each with fresh data */
  repeat?: number;
  /** --shard i/n: this run's part of the checks the rest selects (helpers/run/shard.ts) */
  shard?: Shard;
}

export interface HarnessState {
  config: Config;
  runId: string;
  ledgerFile: string;
  selection: Selection;
}

/** The key under which the workers find the state. */
export const HARNESS_KEY = 'conformance';

declare module 'vitest' {
  export interface ProvidedContext {
    conformance: HarnessState;
  }
}

const titled = (c: Check, text: string) => checkTitle(c).toLowerCase() === text || c.name.toLowerCase() === text;

/** --only naming one check by its title or name selects it alone (a title lists ids, and holds commas). */
export function resolveTitle(sel: Selection, checks: readonly Check[]): Selection {
  const text = sel.onlyText?.trim().toLowerCase();
  return text && checks.some((c) => titled(c, text)) ? { ...sel, title: text } : sel;
}

export function selects(sel: Selection | HarnessState, c: Check): boolean {
  const s = 'selection' in sel ? sel.selection : sel;
  if (s.readOnly && !c.tags.includes('read-only')) return false;
  if (s.shard && !s.shard.titles.includes(checkTitle(c))) return false;
  if (s.title !== undefined) return titled(c, s.title);
  if (!s.only?.length) return true;
  return s.only.some((o) => {
    const w = o.trim().toLowerCase();
    if (c.feature.toLowerCase() === w || c.tags.some((t) => t === w)) return true;
    return c.ids.some((id) => id.toLowerCase().startsWith(w));
  });
}
