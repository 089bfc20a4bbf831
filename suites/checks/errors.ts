// Error responses: the documented 500 body where a fault can be provoked, and the error shape on the
// common refusals (every other check also verifies CUS-ERR-BODY and CUS-ERR-500 on each response).
import { randomUUID } from 'node:crypto';
import { expectStatus } from '../model/assert.ts';
import type { Check } from '../model/check.ts';
import { errorBodyProblems } from '../../helpers/client/error-body.ts';
import { describeResponse } from '../../helpers/client/api-response.ts';

export const FAULT_HEADER = 'x-conformance-fault';

export const errorChecks: Check[] = [
  {
    name: 'a provoked internal error answers 500 with the documented error body',
    ids: ['CUS-ERR-500', 'CUS-ERR-BODY'],
    feature: 'Errors',
    tags: ['errors'],
    needs: (cfg) =>
      cfg.faultInjection
        ? undefined
        : 'a 500 cannot be provoked on this target (only the embedded reference target, ' +
          'or CUSTOMER_API_FAULT_INJECTION=true, honours X-Conformance-Fault)',
    async run(t) {
      const c = await t.createCustomer();
      const res = await t.step('get with a provoked fault', () => t.api.get(c.id, 'main', { [FAULT_HEADER]: '500' }));
      expectStatus(t, res, 'CUS-ERR-500', 500, 'a request with a provoked internal error');
      const problems = errorBodyProblems(res, t.env.redactor, t.cfg);
      if (problems.length)
        t.fail(
          'CUS-ERR-500',
          'the documented error body on 500',
          `${problems.join('; ')}; ${describeResponse(res)}`,
          res,
        );
      t.pass('CUS-ERR-BODY');
    },
  },
  ...(['404', '400', '401'] as const).map((kind): Check => ({
    name: `a ${kind} answer carries the documented error body`,
    ids: ['CUS-ERR-BODY'],
    feature: 'Errors',
    tags: ['errors', 'read-only'],
    params: { status: kind },
    async run(t) {
      const res = await t.step(`provoke ${kind}`, () =>
        kind === '404'
          ? t.api.get(randomUUID())
          : kind === '400'
            ? t.api.get('not-a-uuid')
            : t.api.get(randomUUID(), { authorization: undefined }),
      );
      if (res.status < 400) t.fail('CUS-ERR-BODY', `an error status (${kind})`, describeResponse(res), res);
      const problems = errorBodyProblems(res, t.env.redactor, t.cfg);
      if (problems.length)
        t.fail(
          'CUS-ERR-BODY',
          'a JSON error body {code, message, details?, timestamp}',
          `${problems.join('; ')}; ${describeResponse(res)}`,
          res,
        );
      t.pass('CUS-ERR-BODY');
    },
  })),
];
