import { registerChecks } from './harness.ts';

registerChecks('Delete');
