import { registerChecks } from './harness.ts';

registerChecks('Update', {
  title: 'field validation',
  filter: (c) => c.tags.includes('validation') && c.ids.some((id) => id.startsWith('CUS-UPD-400-')),
});
