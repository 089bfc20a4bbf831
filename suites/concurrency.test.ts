// Concurrency and consistency: bursts of overlapping requests (CUS-CONC-*).
import { registerChecks } from './harness.ts';

registerChecks('Concurrency');
