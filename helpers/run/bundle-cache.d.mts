/** `entries` (paths from the project's root) bundled into one folder, as `<name>.mjs` each; or why not. */
export declare function bundle(entries: readonly string[]): Promise<{ dir: string } | { why: string }>;
