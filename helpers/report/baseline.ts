// A run against a baseline: the conformance.json of an accepted earlier run. One function compares two
// verdict lists (the run's --baseline and npm run compare share it): a statement failing in both is known,
// one failing now that did not fail in the baseline is a regression, one failing there and passing now is
// fixed; a statement whose not-verified state changed is named apart.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import { contractDigests } from './evidence.ts';

/** The contract the suite judges against: conformance.json and the certificate record it. */
export const CONTRACT = { name: 'Customer API', version: '1.17.0' } as const;

export interface ContractInfo {
  name: string;
  version: string;
  /** sha256 of each contract file, by its path in the suite */
  digests: Record<string, string>;
}

/** The contract of this suite, with its files' digests. */
export function contractInfo(): ContractInfo {
  return { ...CONTRACT, digests: contractDigests() };
}

/** One statement's verdict, as conformance.json holds it. */
export interface VerdictRow {
  id: string;
  verdict: string;
  text?: string;
}

/** A conformance.json read back: its verdicts and what it records of the contract and the run. */
export interface Baseline {
  file: string;
  overall: string;
  ids: VerdictRow[];
  contract?: ContractInfo;
  runId?: string;
}

export interface Change {
  id: string;
  from: string;
  to: string;
  text?: string;
}

export interface Comparison {
  /** failing now, passed or not verified (or absent) in the baseline: these gate */
  regressions: Change[];
  /** failing in both: reported, not gating */
  known: Change[];
  /** failed in the baseline, passed now */
  fixed: Change[];
  /** not verified in one of the two and not in the other (and not a regression) */
  notVerified: Change[];
}

/** What a run's reports record of its baseline (conformance.json, conformance.md, the certificate). */
export interface BaselineRecord {
  file: string;
  runId: string | null;
  regressions: string[];
  known: string[];
  fixed: string[];
}

const FAILED = 'failed';
const NOT_VERIFIED = 'not verified';

/** The two verdict lists compared, in the order of `now` (the contract's). */
export function compareVerdicts(before: readonly VerdictRow[], now: readonly VerdictRow[]): Comparison {
  const old = new Map(before.map((v) => [v.id, v.verdict]));
  const c: Comparison = { regressions: [], known: [], fixed: [], notVerified: [] };
  for (const v of now) {
    const from = old.get(v.id) ?? 'absent';
    const change: Change = { id: v.id, from, to: v.verdict, ...(v.text ? { text: v.text } : {}) };
    if (v.verdict === FAILED) (from === FAILED ? c.known : c.regressions).push(change);
    else if (from === FAILED && v.verdict === 'passed') c.fixed.push(change);
    else if (from !== v.verdict && (from === NOT_VERIFIED || v.verdict === NOT_VERIFIED)) c.notVerified.push(change);
  }
  return c;
}

/** The comparison as the reports record it: ids only. */
export function baselineRecord(b: Baseline, c: Comparison): BaselineRecord {
  const ids = (xs: Change[]) => xs.map((x) => x.id);
  return {
    file: b.file,
    runId: b.runId ?? null,
    regressions: ids(c.regressions),
    known: ids(c.known),
    fixed: ids(c.fixed),
  };
}

const isRow = (x: unknown): x is VerdictRow =>
  !!x && typeof (x as VerdictRow).id === 'string' && typeof (x as VerdictRow).verdict === 'string';

/**
 * A conformance.json read back; a ConfigError (one line naming the problem and the fix) when the file is
 * missing or is not one. `what` names the file as the user gave it (`--baseline FILE`, `OLD.json`).
 */
export function readBaseline(file: string, what = `--baseline ${file}`): Baseline {
  const fix = 'name the reports/conformance.json an accepted run wrote';
  if (!existsSync(file)) throw new ConfigError(`${what}: no such file; ${fix}`);
  if (!statSync(file).isFile()) throw new ConfigError(`${what} is not a file; ${fix}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError(`${what} is not JSON, so not a conformance.json; ${fix}`);
  }
  const s = data as { overall?: unknown; ids?: unknown; contract?: ContractInfo; run?: { runId?: unknown } };
  if (!s || typeof s !== 'object' || typeof s.overall !== 'string' || !Array.isArray(s.ids) || !s.ids.every(isRow))
    throw new ConfigError(`${what} is not a conformance.json (no statement verdicts in it); ${fix}`);
  const contract =
    s.contract && typeof s.contract.version === 'string' && s.contract.digests && typeof s.contract.digests === 'object'
      ? s.contract
      : undefined;
  return {
    file,
    overall: s.overall,
    ids: s.ids.map((v) => ({ id: v.id, verdict: v.verdict, ...(typeof v.text === 'string' ? { text: v.text } : {}) })),
    ...(contract ? { contract } : {}),
    ...(typeof s.run?.runId === 'string' ? { runId: s.run.runId } : {}),
  };
}

/** Why the baseline was judged against another contract than `current`, or undefined when it was not. */
export function contractMismatch(b: Baseline, current: ContractInfo | undefined): string | undefined {
  if (!current) return undefined;
  if (!b.contract)
    return (
      `the baseline ${b.file} records no contract version or digests (written by an older suite); ` +
      'its verdicts are compared all the same'
    );
  const changed = Object.keys({ ...b.contract.digests, ...current.digests }).filter(
    (f) => b.contract!.digests[f] !== current.digests[f],
  );
  if (b.contract.version === current.version && !changed.length) return undefined;
  const version =
    b.contract.version === current.version
      ? `${current.name} ${current.version}`
      : `${b.contract.name} ${b.contract.version}, this run ${current.name} ${current.version}`;
  return (
    `the baseline ${b.file} was judged against another contract (${version}` +
    `${changed.length ? `; changed: ${changed.join(', ')}` : ''}); its verdicts are compared all the same`
  );
}

/** One line per change: regressions, then fixes, then changed not-verified statements. */
export function changeLines(c: Comparison): string[] {
  const line = (kind: string, x: Change) => `${kind.padEnd(13)} ${x.id}: ${x.from} → ${x.to}`;
  return [
    ...c.regressions.map((x) => line('regression', x)),
    ...c.fixed.map((x) => line('fixed', x)),
    ...c.notVerified.map((x) => line('not verified', x)),
  ];
}

/** "1 regression (CUS-DEL-404)" / "no regression", as the verdict line says it. */
export function regressionPhrase(ids: readonly string[]): string {
  return ids.length
    ? `${ids.length} regression${ids.length === 1 ? '' : 's'} against the baseline (${ids.join(', ')})`
    : 'no regression against the baseline';
}
