// The suite as the runners see it (helpers/run/suite-port.ts): its checks and its in-process runner.
import type { SuitePort } from '../helpers/run/suite-port.ts';
import type { Check } from './model/check.ts';
import { runChecks } from './model/run-checks.ts';
import { allChecks } from './registry.ts';
import { withRepeats } from './repeat.ts';
import { workflowChecks } from './checks/workflow.ts';

export const SUITE: SuitePort = {
  checks: (cfg, repeat) => withRepeats(allChecks(cfg), repeat),
  workflows: (repeat) => withRepeats(workflowChecks, repeat),
  // the checks handed back are this suite's own
  run: (checks, env, opts) => runChecks(checks as readonly Check[], env, opts),
};
