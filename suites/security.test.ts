import { registerChecks } from './harness.ts';

registerChecks('Security');
