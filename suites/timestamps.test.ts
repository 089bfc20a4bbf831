import { registerChecks } from './harness.ts';

registerChecks('Timestamps');
