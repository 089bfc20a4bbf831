// How the suite starts its own Node processes (the run, the report's generator). V8 gives each process a
// pool of helper threads (garbage collection, optimising compilation), four by default. On two cores, beside
// the run's three JavaScript threads (the run and its two workers), the generator and the target, they only
// took turns with them: a run's helper threads used 1.4 s of its 6 s of CPU. With one helper thread each, a
// run was 0.2 s quicker (ten pairs, and eight for the generator).
// The interrupt budget is how much a function runs before V8 considers optimising it. A run lasts seconds:
// at V8's default (67,584) the optimising compiler took 0.9 s of its 5.9 s of CPU (0.24 s without it) for
// code that ran too little to repay it; at 4,000,000 a run took 6% less time (six pairs, CPU 11% less), and
// only code that really runs hot is optimised.
// A regular expression is compiled when first used, by default twice: to bytecode for V8's interpreter, then,
// once it has run, to machine code. The Redactor's (one alternative for each encoding of each character of
// each secret, helpers/client/redact.ts), compiled in each thread, took 23 ms the first time and 6 ms the
// second; without the bytecode step, 6 ms once. A run 0.965 of the wall time, CPU 0.96 to 0.97 (fourteen
// pairs, twice); without V8's regexp optimisations as well, 1.03.
// Measured on two cores only: a machine with more keeps Node's defaults.
import { availableParallelism } from 'node:os';

const twoCores = availableParallelism() <= 2;

/** the Node options the suite's own processes start with */
export const NODE_FLAGS = twoCores ? ['--v8-pool-size=1', '--interrupt-budget=4000000', '--no-regexp-tier-up'] : [];

// libuv's thread pool (four threads by default) does a process's file writes: each of a run's thousand
// result files is an open, a write and a close handed to it, and each wakes an idle pool thread that, on two
// cores, preempts a thread with real work (the main thread's `open` took 0.26 s, mostly waiting to run
// again). With one pool thread the writes queue behind each other: a run 0.95 of the wall time, CPU 0.94,
// twelve pairs (two threads: 1.03 times one's, eight pairs). The pool also resolves host names when a
// connection opens: they queue too, behind writes of a few microseconds each. A value the user set is kept.
/** `env` with the environment variables the suite's own processes start with */
export function nodeEnvironment(env) {
  return twoCores && env.UV_THREADPOOL_SIZE === undefined ? { ...env, UV_THREADPOOL_SIZE: '1' } : env;
}
