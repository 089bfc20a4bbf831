import { registerChecks } from './harness.ts';

registerChecks('Get');
