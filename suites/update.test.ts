import { registerChecks } from './harness.ts';

registerChecks('Update', {
  title: 'semantics, entity, access',
  filter: (c) => !c.tags.includes('validation') || !c.ids.some((id) => id.startsWith('CUS-UPD-400-')),
});
