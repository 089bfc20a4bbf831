import type { ChildProcess } from 'node:child_process';

export type Said = { kind: 'ready' } | { kind: 'done' } | { kind: 'failed'; why: string };
export interface Generator {
  child: ChildProcess;
  first: Promise<Said>;
}
export declare function nextSaid(child: ChildProcess): Promise<Said>;
export declare function startGenerator(): Generator;
export declare function startAhead(): void;
export declare function takeAhead(): Generator | undefined;
