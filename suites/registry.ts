// The registry: every check of the suite, composed from the check modules.
import type { Check } from './model/check.ts';
import type { Config } from '../helpers/config/config.ts';
import { accessChecks } from './checks/access.ts';
import { deleteChecks } from './checks/delete.ts';
import { errorChecks } from './checks/errors.ts';
import { getChecks } from './checks/get.ts';
import { timestampChecks } from './checks/timestamps.ts';
import { updateChecks } from './checks/update.ts';
import { requiredChecks, validationChecks } from './checks/validation.ts';
import { workflowChecks } from './checks/workflow.ts';
import { readOnlyCustomerChecks } from './checks/readonly.ts';
import { securityChecks } from './checks/security.ts';
import { concurrencyChecks } from './checks/concurrency.ts';

/** Every check: a check that may create or change data is tagged destructive, one that cannot is read-only. */
export function allChecks(cfg: Pick<Config, 'languages' | 'readOnlyCustomerId' | 'readings'>): Check[] {
  const checks = [
    ...workflowChecks,
    ...getChecks,
    ...updateChecks,
    ...validationChecks(cfg),
    ...requiredChecks(cfg),
    ...timestampChecks,
    ...deleteChecks,
    ...accessChecks,
    ...errorChecks,
    ...securityChecks,
    ...concurrencyChecks,
    ...(cfg.readOnlyCustomerId ? readOnlyCustomerChecks : []),
  ];
  return checks.map((c) =>
    c.tags.includes('read-only') || c.tags.includes('destructive') ? c : { ...c, tags: [...c.tags, 'destructive'] },
  );
}
