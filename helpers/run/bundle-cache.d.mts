/** `entries` (paths from the project's root) bundled into one folder, as `<name>.mjs` each; or why not. */
export declare function bundle(entries: readonly string[]): Promise<{ dir: string } | { why: string }>;
/** How a process loads what `bundle` gave, in timing.json's words: 'bundled', or the TypeScript and why. */
export declare function loadOf(built: { dir: string } | { why: string }): string;
