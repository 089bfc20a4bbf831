// How the suite starts its own Node processes (the run, the report's generator). V8 gives each process a
// pool of helper threads (garbage collection, optimising compilation), four by default. On two cores, beside
// the run's three JavaScript threads (the run and its two workers), the generator and the target, they only
// took turns with them: a run's helper threads used 1.4 s of its 6 s of CPU. With one helper thread each, a
// run was 0.2 s quicker (ten pairs, and eight for the generator). Measured on two cores only: a machine with
// more keeps Node's default.
import { availableParallelism } from 'node:os';

/** the Node options the suite's own processes start with */
export const NODE_FLAGS = availableParallelism() <= 2 ? ['--v8-pool-size=1'] : [];
