// `--shard I/N`: the I-th of N balanced parts of the selected checks. Parts are balanced by a check's
// expected cost (how many requests it makes, from its feature and tags), not by file: greedy longest-first
// into N bins, ties by title, so a selection and configuration always split the same way (the seed plays no
// part). Checks sharing a title (none today) go together.
import { createHash } from 'node:crypto';
import { checkTitle, type CheckInfo } from '../report/result.ts';

export interface ShardSpec {
  index: number;
  count: number;
}

/** What a shard's run carries to its workers and reports: which part, and the titles it runs. */
export interface Shard extends ShardSpec {
  /** the titles of the checks this shard runs */
  titles: string[];
  /** sha256 of the whole selection's titles, sorted: shards of one selection share it */
  selectionDigest: string;
  /** how many checks the whole selection holds (every shard) */
  selectedTotal: number;
}

/** Requests a check is expected to make: bursts and workflows many, a validation table's row few. */
export function checkCost(c: Pick<CheckInfo, 'feature' | 'tags'>): number {
  if (c.feature === 'Concurrency' || c.tags.includes('concurrency')) return 40;
  if (c.feature === 'Workflow' || c.tags.includes('workflow')) return 15;
  if (c.feature === 'Security' || c.tags.includes('security')) return 12;
  if (c.tags.includes('validation')) return 1;
  return 3;
}

/**
 * The N bins of the selected checks' titles, greedy longest-first (index 0 is shard 1). The unit placed is a
 * group (`groupOf`, by default the title): checks of one group share a bin.
 */
export function shardBins(
  selected: readonly CheckInfo[],
  count: number,
  groupOf: (c: CheckInfo) => string = checkTitle,
): string[][] {
  const groups = new Map<string, { cost: number; titles: Set<string> }>();
  for (const c of selected) {
    const key = groupOf(c);
    const g = groups.get(key) ?? { cost: 0, titles: new Set<string>() };
    g.cost += checkCost(c);
    g.titles.add(checkTitle(c));
    groups.set(key, g);
  }
  const order = [...groups].sort(([ka, a], [kb, b]) => b.cost - a.cost || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const bins = Array.from({ length: count }, () => ({ load: 0, titles: [] as string[] }));
  for (const [, g] of order) {
    let best = bins[0]!;
    for (const b of bins) if (b.load < best.load) best = b;
    best.load += g.cost;
    best.titles.push(...g.titles);
  }
  return bins.map((b) => b.titles);
}

export const selectionDigest = (selected: readonly CheckInfo[]): string =>
  createHash('sha256')
    .update([...new Set(selected.map(checkTitle))].sort().join('\n'))
    .digest('hex');

/** The shard `spec` of the selected checks. */
export function shardOf(selected: readonly CheckInfo[], spec: ShardSpec): Shard {
  const titles = shardBins(selected, spec.count)[spec.index - 1] ?? [];
  return {
    index: spec.index,
    count: spec.count,
    titles,
    selectionDigest: selectionDigest(selected),
    selectedTotal: selected.length,
  };
}

/** The shard in words, for a report's selection: `shard 1/3 (14 of 40 checks)`. */
export const shardText = (s: Shard, checks: number): string =>
  `shard ${s.index}/${s.count} (${checks} of ${s.selectedTotal} checks)`;
