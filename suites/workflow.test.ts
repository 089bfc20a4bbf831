import { registerChecks } from './harness.ts';

registerChecks('Workflow');
