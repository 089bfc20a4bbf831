import { registerChecks } from './harness.ts';

registerChecks('Errors');
