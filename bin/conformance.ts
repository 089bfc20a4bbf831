// npm run conformance: see helpers/run/conformance.ts
// Ctrl-C while the modules load: nothing has started and nothing was created, so the answer is 130 at once.
// The listener stays (a no-op once main() has its own): removing it opened a moment in which an interrupt
// ended the process with exit 0.
let started = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => started || process.exit(130));
const [{ main }, { SUITE }] = await Promise.all([import('../helpers/run/conformance.ts'), import('../suites/suite.ts')]);
started = true;
process.exitCode = await main(SUITE, process.argv.slice(2), process.env);
