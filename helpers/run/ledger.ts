// Every customer the run creates is written down the moment the target answers, so a run that fails,
// times out or is interrupted can still delete it. Appends are line-sized writes to one file per run,
// safe across worker threads.
import { appendFileSync, mkdirSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

interface Line {
  op: 'created' | 'deleted';
  id: string;
  at: string;
}

/** The first line of a run's ledger: which target and entity the ids belong to, and which process owns them. */
export interface RunMeta {
  op: 'run';
  runId: string;
  /** service root and resource path */
  target: string;
  kind: 'embedded' | 'remote';
  entityId: string;
  markerField: string;
  marker: string;
  pid: number;
  host: string;
  startedAt: string;
}

/** Opens a run's ledger with its meta line, before anything is created. */
export function startLedger(file: string, meta: Omit<RunMeta, 'op' | 'pid' | 'host' | 'startedAt'>): void {
  mkdirSync(dirname(file), { recursive: true });
  const line: RunMeta = { op: 'run', ...meta, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  appendFileSync(file, JSON.stringify(line) + '\n');
}

export function readLedgerMeta(file: string): RunMeta | undefined {
  if (!existsSync(file)) return undefined;
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  try {
    const l = JSON.parse(first) as RunMeta;
    return l.op === 'run' ? l : undefined;
  } catch {
    return undefined;
  }
}

/** Is the run that owns this ledger still going (its process alive on this host)? */
export function ledgerInUse(meta: RunMeta | undefined): boolean {
  if (!meta || meta.host !== hostname() || meta.pid === process.pid) return false;
  try {
    process.kill(meta.pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

export class Ledger {
  private readonly live = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(readonly file?: string) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  created(id: string): void {
    this.live.add(id);
    this.seen.add(id);
    this.write({ op: 'created', id, at: new Date().toISOString() });
  }

  deleted(id: string): void {
    this.live.delete(id);
    this.seen.add(id);
    this.write({ op: 'deleted', id, at: new Date().toISOString() });
  }

  /** Has this process recorded the id (created, deleted or both)? */
  knows(id: string): boolean {
    return this.seen.has(id);
  }

  /** Created and not yet deleted, by this process. */
  pending(): string[] {
    return [...this.live];
  }

  private write(line: Line): void {
    if (this.file) appendFileSync(this.file, JSON.stringify(line) + '\n');
  }
}

/** Created and not yet deleted, as the file records it (all processes of the run). */
export function pendingInFile(file: string): string[] {
  if (!existsSync(file)) return [];
  const live = new Set<string>();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (!raw.trim()) continue;
    try {
      const l = JSON.parse(raw) as Line;
      if (l.op === 'created') live.add(l.id);
      else if (l.op === 'deleted') live.delete(l.id);
    } catch {
      // a line cut short by a kill: the id it names was never confirmed
    }
  }
  return [...live];
}

/** the ledger folder inside the reports folder */
export const LEDGER_SUBDIR = '.ledger';
export const LEDGER_DIR = join('reports', LEDGER_SUBDIR);

export function ledgerFiles(dir = LEDGER_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
}

export function removeLedger(file: string): void {
  rmSync(file, { force: true });
}
