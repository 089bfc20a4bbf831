// Every customer the run creates is written down the moment the target answers, so a run that fails,
// times out or is interrupted can still delete it. Appends are line-sized writes to one file per run,
// safe across worker threads.
import { appendFileSync, mkdirSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Line {
  op: 'created' | 'deleted';
  id: string;
  at: string;
}

export class Ledger {
  private readonly live = new Set<string>();

  constructor(readonly file?: string) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  created(id: string): void {
    this.live.add(id);
    this.write({ op: 'created', id, at: new Date().toISOString() });
  }

  deleted(id: string): void {
    this.live.delete(id);
    this.write({ op: 'deleted', id, at: new Date().toISOString() });
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
      else live.delete(l.id);
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
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f));
}

export function removeLedger(file: string): void {
  rmSync(file, { force: true });
}
