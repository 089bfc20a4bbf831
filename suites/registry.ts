// The registry: every check of the suite, composed from the check modules.
import type { Check } from '../helpers/check.ts';
import type { Config } from '../helpers/config.ts';
import { accessChecks } from './checks/access.ts';
import { deleteChecks } from './checks/delete.ts';
import { errorChecks } from './checks/errors.ts';
import { getChecks } from './checks/get.ts';
import { timestampChecks } from './checks/timestamps.ts';
import { updateChecks } from './checks/update.ts';
import { requiredChecks, validationChecks } from './checks/validation.ts';
import { workflowChecks } from './checks/workflow.ts';

export function allChecks(cfg: Pick<Config, 'languages'>): Check[] {
  return [...workflowChecks, ...getChecks, ...updateChecks, ...validationChecks(cfg.languages), ...requiredChecks, ...timestampChecks, ...deleteChecks, ...accessChecks, ...errorChecks];
}
