// Part 1 of the selected checks (suites/harness.ts balances the parts; one file a worker).
import { registerPart } from './harness.ts';

registerPart(1, 2);
