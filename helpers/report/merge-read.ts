// The shards `npm run merge` joins, read from their reports folders and checked: each a shard's report
// (conformance.json with `shard` and `results`, written by a run with --shard I/N), all of one selection,
// configuration, suite and contract, every index from 1 to N exactly once. Anything else is refused.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import type { ShardRecord } from './merge-record.ts';
import type { CheckResult } from './result.ts';
import type { Summary } from './summary.ts';

export interface ShardReport {
  dir: string;
  summary: Summary;
  shard: ShardRecord;
  results: CheckResult[];
}

function readOne(dir: string): ShardReport {
  const file = join(dir, 'conformance.json');
  if (!existsSync(file)) throw new ConfigError(`${dir}: no conformance.json (not a reports folder of a shard)`);
  let json: Summary & { shard?: ShardRecord; results?: CheckResult[] };
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as typeof json;
  } catch {
    throw new ConfigError(`${file}: not readable JSON`);
  }
  if (!json.shard || !Array.isArray(json.results))
    throw new ConfigError(`${dir}: not a shard's reports (run npm run conformance -- --shard I/N)`);
  return { dir, summary: json, shard: json.shard, results: json.results };
}

/** The first field in which a shard differs from the first, in words; undefined when none does. */
function differs(a: ShardReport, b: ShardReport): string | undefined {
  if (a.shard.count !== b.shard.count) return `shard counts (${a.shard.count} and ${b.shard.count})`;
  if (JSON.stringify(a.shard.contract) !== JSON.stringify(b.shard.contract)) return 'contract versions';
  // the selection as the reports word it, without the shard's own part ("…, shard 2/3")
  const words = (r: ShardReport) => (r.summary.run.selection ?? '').replace(/(, )?shard \d+\/\d+$/, '');
  if (a.shard.selection !== b.shard.selection || words(a) !== words(b)) return 'selections';
  if (a.shard.configuration !== b.shard.configuration) return 'configurations (target, settings or suite version)';
  return undefined;
}

/** The shards in index order; a ConfigError (one line) when they cannot be merged. */
export function readShards(dirs: readonly string[]): ShardReport[] {
  if (!dirs.length) throw new ConfigError('name the shards’ reports folders, e.g. npm run merge -- shard-1 shard-2');
  const shards = dirs.map(readOne);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    const what = differs(first, s);
    if (what) throw new ConfigError(`${first.dir} and ${s.dir} are shards of different ${what}: not merged`);
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.shard.index);
    if (other) throw new ConfigError(`${other} and ${s.dir} are both shard ${s.shard.index}/${s.shard.count}`);
    seen.set(s.shard.index, s.dir);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    throw new ConfigError(`shard(s) ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')} missing`);
  return shards.sort((a, b) => a.shard.index - b.shard.index);
}
