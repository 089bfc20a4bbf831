// What the conformance command hands to the vitest workers: the resolved configuration, the run id and
// ledger, and the selection of checks. Passed in one environment variable, read once per worker.
import { checkTitle, type Check } from '../check.ts';
import type { Config } from '../config.ts';

export interface Selection {
  /** features, tags or contract ids (prefixes such as CUS-UPD match); empty: everything */
  only?: string[];
  /** --only as given: a check's title or name (which may hold commas) selects that check */
  onlyText?: string;
  /** only checks that create nothing */
  readOnly?: boolean;
  /** soak mode: the workflow checks run this many times, each with fresh data */
  repeat?: number;
}

export interface HarnessState {
  config: Config;
  runId: string;
  ledgerFile: string;
  selection: Selection;
}

export const HARNESS_VAR = 'CONFORMANCE_HARNESS';

let cached: HarnessState | undefined;

export function readHarnessState(): HarnessState {
  if (cached) return cached;
  const raw = process.env[HARNESS_VAR];
  if (!raw) throw new Error('the conformance suites run through `npm run conformance`, which configures them');
  cached = JSON.parse(raw) as HarnessState;
  return cached;
}

export function selects(sel: Selection | HarnessState, c: Check): boolean {
  const s = 'selection' in sel ? sel.selection : sel;
  if (s.readOnly && !c.tags.includes('read-only')) return false;
  if (!s.only?.length) return true;
  const text = s.onlyText?.trim().toLowerCase();
  if (text && (checkTitle(c).toLowerCase() === text || c.name.toLowerCase() === text)) return true;
  return s.only.some((o) => {
    const w = o.trim().toLowerCase();
    return c.feature.toLowerCase() === w || c.tags.some((t) => t === w) || c.ids.some((id) => id.toLowerCase().startsWith(w));
  });
}
