import { registerChecks } from './harness.ts';

registerChecks('Update');
