// One benchmark measurement in a fresh process (started by npm run bench): the job is its one JSON
// argument, the result one line on stdout (helpers/bench/child.ts).
import { runJob, type ChildJob } from '../helpers/bench/child.ts';
import { SUITE } from '../suites/suite.ts';

process.stdout.write(await runJob(SUITE, JSON.parse(process.argv[2] ?? '{}') as ChildJob));
