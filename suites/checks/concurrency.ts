// Concurrency and consistency (the suite-defined CUS-CONC-* statements of the contract): what each request's
// statement means when requests overlap. Each check sends bursts of at most CUSTOMER_API_CONCURRENCY_BURST
// requests at one customer, over several rounds so interleavings differ, and reports each request's timing.
import type { ApiResponse } from '../../helpers/client/api-response.ts';
import { describeResponse } from '../../helpers/client/api-response.ts';
import { parseInstant, sleep } from '../../helpers/client/time.ts';
import type { Config } from '../../helpers/config/config.ts';
import { at, expectStatus, fieldDiffs, showDiffs, type Json } from '../model/assert.ts';
import type { ContractId } from '../../fixtures/contract/statements.ts';
import type { Check, CheckContext } from '../model/check.ts';
import { burstBodies, expectNotThrottled, fieldSources, sendBurst, timings, type Timed } from './concurrency-burst.ts';
import { read } from './steps.ts';

const ROUNDS = 3;

/** Off below two requests at once: CUSTOMER_API_CONCURRENCY_BURST turns the checks down, or off with 0. */
const needsBurst = (cfg: Config) =>
  cfg.burst < 2 ? `CUSTOMER_API_CONCURRENCY_BURST=${cfg.burst} turns the concurrency checks off` : undefined;

const base = { feature: 'Concurrency', tags: ['concurrency'], needs: needsBurst } as const;

/** A burst of complete updates of one customer; the stored customer must be one of them, whole. */
async function updateRound(t: CheckContext, round: number, id: string): Promise<void> {
  const bodies = burstBodies(t, t.cfg.burst);
  const before = (await read(t, id, `round ${round}: get the customer`)).body;
  const answers = await sendBurst(
    t,
    `round ${round}: ${bodies.length} updates at once`,
    bodies.map((b) => () => t.api.update(id, b)),
  );
  expectNotThrottled(t, answers);
  const refused = answers.filter((a) => a.res.status !== 200);
  if (refused.length)
    t.fail(
      'CUS-CONC-UPDATE',
      `status 200 for each of ${bodies.length} concurrent valid updates`,
      timings(answers),
      refused[0]!.res,
    );
  const stored = await read(t, id, `round ${round}: get the customer after`);
  const whole = bodies.findIndex((b) => fieldDiffs(stored.body, b, t.cfg.updateSemantics, before).length === 0);
  if (whole < 0)
    t.fail(
      'CUS-CONC-UPDATE',
      `the stored customer equal to one of the ${bodies.length} updates in every field`,
      `a mix: ${fieldSources(stored.body, bodies)}; ${timings(answers)}`,
      stored.res,
    );
  expectNotEarlier(t, stored, answers);
  t.pass('CUS-CONC-UPDATE');
}

/** The stored updated_at is not earlier than any answered update's. */
function expectNotEarlier(t: CheckContext, stored: { res: ApiResponse; body: Json }, answers: readonly Timed[]): void {
  const storedAt = parseInstant(stored.body.updated_at);
  for (const [i, a] of answers.entries()) {
    const answered = parseInstant(at(a.res.json, 'updated_at'));
    if (!storedAt || !answered || storedAt.ns >= answered.ns) continue;
    t.fail(
      'CUS-CONC-UPDATE',
      `updated_at not earlier than update ${i + 1} answered (${String(at(a.res.json, 'updated_at'))})`,
      `updated_at ${String(stored.body.updated_at)}; ${timings(answers)}`,
      stored.res,
    );
  }
}

/** A delete sent while updates are in flight; once it has answered 204, the customer stays gone. */
async function deleteRound(t: CheckContext, round: number): Promise<void> {
  const c = await t.createCustomer();
  const bodies = burstBodies(t, t.cfg.burst - 1);
  // the updates go out first, the delete while they are in flight
  const sends = [...bodies.map((b) => () => t.api.update(c.id, b)), () => t.api.delete(c.id)];
  const burst = await sendBurst(t, `round ${round}: a delete among ${bodies.length} updates`, sends);
  const del = burst.pop();
  const updates = burst;
  const all = [del!, ...updates];
  expectNotThrottled(t, all);
  if (del!.res.status !== 204) {
    t.adopt(c.id);
    return expectStatus(t, del!.res, 'CUS-DEL-204', 204, 'a delete of an existing customer, updates in flight');
  }
  t.released(c.id);
  const odd = updates.find((u) => u.res.status !== 200 && u.res.status !== 404);
  if (odd)
    t.fail(
      'CUS-CONC-DELETE',
      'each update in flight answered 200 (before the delete) or 404 (after it)',
      timings(all),
      odd.res,
    );
  await expectGone(t, c.id, all, round);
}

/** After a 204: get, update and delete get 404, and the marker search does not list it. */
async function expectGone(t: CheckContext, id: string, burst: readonly Timed[], round: number): Promise<void> {
  const after = await t.step(`round ${round}: get, update and delete it after`, async () => [
    await t.api.get(id),
    await t.api.update(id, t.data.valid()),
    await t.api.delete(id),
  ]);
  const back = after.find((r) => r.status !== 404);
  if (back) {
    if (back.status >= 200 && back.status < 300) t.adopt(id);
    t.fail(
      'CUS-CONC-DELETE',
      `404 for ${back.exchange.request.method} of the deleted customer`,
      `${describeResponse(back)}; the burst: ${timings(burst)}`,
      back,
    );
  }
  const search = () => t.api.list(t.api.markerSearch(t.env.marker));
  let listed = await t.step(`round ${round}: list this run's customers`, search);
  // a search index may trail a delete for a moment: only a customer still listed two seconds on counts
  for (let i = 0; i < 4 && listed.status === 200 && listed.text.includes(id); i++) {
    await sleep(500);
    listed = await t.step(`round ${round}: list them again`, search);
  }
  if (listed.status === 200 && listed.text.includes(id))
    t.fail(
      'CUS-CONC-DELETE',
      'the deleted customer in no list',
      `the list shows ${id}; the burst: ${timings(burst)}`,
      listed,
    );
  t.pass('CUS-CONC-DELETE');
}

/** After an update's 200, gets on new connections all return the update's values. */
async function readRound(t: CheckContext, round: number, id: string): Promise<void> {
  const [body] = burstBodies(t, 1);
  const before = (await read(t, id, `round ${round}: get the customer`)).body;
  const res = await t.step(`round ${round}: update it`, () => t.api.update(id, body));
  expectStatus(t, res, 'CUS-UPD-200', 200, 'a valid update');
  const gets = await sendBurst(
    t,
    `round ${round}: ${t.cfg.burst} gets, each on a new connection`,
    Array.from({ length: t.cfg.burst }, () => () => t.onNewConnection((api, h) => api.get(id, 'main', h))),
  );
  expectNotThrottled(t, gets);
  for (const [i, g] of gets.entries()) {
    const diffs = g.res.status === 200 ? fieldDiffs(g.res.json as Json, body!, t.cfg.updateSemantics, before) : [];
    if (g.res.status !== 200 || diffs.length)
      t.fail(
        'CUS-CONC-READ',
        "each get after the update's 200 answered 200 with the update's values",
        `get ${i + 1} (a new connection): ${g.res.status === 200 ? showDiffs(diffs) : describeResponse(g.res)}; ` +
          timings(gets),
        g.res,
      );
  }
  t.pass('CUS-CONC-READ');
}

/** A burst of creates: distinct ids, each holding its own values. */
async function createRound(t: CheckContext, round: number): Promise<void> {
  const bodies = burstBodies(t, t.cfg.burst);
  const made = await sendBurst(
    t,
    `round ${round}: ${bodies.length} creates at once`,
    bodies.map((b) => () => t.api.create(b)),
  );
  expectNotThrottled(t, made);
  // every customer made is owned (and deleted at the end) before a create that made none stops the check
  const owned = made.map((m) => {
    try {
      return t.ownCreated(m.res);
    } catch (e) {
      return e as Error;
    }
  });
  const failed = owned.find((o): o is Error => o instanceof Error);
  if (failed) throw failed;
  const ids = owned as string[];
  if (new Set(ids).size !== ids.length)
    t.fail(
      'CUS-CONC-CREATE',
      `${ids.length} distinct ids for ${ids.length} concurrent creates`,
      `ids ${ids.join(', ')}; ${timings(made)}`,
      made[0]!.res,
    );
  for (const [i, id] of ids.entries()) {
    const got = await read(t, id, `round ${round}: get customer ${i + 1}`);
    const diffs = fieldDiffs(got.body, bodies[i]!, 'replace');
    if (diffs.length)
      t.fail('CUS-CONC-CREATE', `customer ${i + 1} holding the values of its own create`, showDiffs(diffs), got.res);
  }
  t.pass('CUS-CONC-CREATE');
}

/** One row a statement: its check's name, and one round of it (on a customer made once, where it needs one). */
const ROWS: {
  id: ContractId;
  name: string;
  round: (t: CheckContext, round: number, id: string) => Promise<void>;
  own?: true;
}[] = [
  {
    id: 'CUS-CONC-UPDATE',
    name: 'bursts of complete updates of one customer: it ends as one of them, whole, updated_at not behind',
    round: updateRound,
    own: true,
  },
  {
    id: 'CUS-CONC-DELETE',
    name: 'a delete among updates in flight: once it answered 204 the customer stays gone',
    round: deleteRound,
  },
  {
    id: 'CUS-CONC-READ',
    name: "gets on new connections right after an update's 200 return the update",
    round: readRound,
    own: true,
  },
  {
    id: 'CUS-CONC-CREATE',
    name: 'a burst of creates: distinct ids, each customer holding its own values',
    round: createRound,
  },
];

export const concurrencyChecks: Check[] = ROWS.map((row) => ({
  ...base,
  name: row.name,
  ids: [row.id],
  async run(t) {
    const id = row.own ? (await t.createCustomer()).id : '';
    for (let r = 1; r <= ROUNDS; r++) await row.round(t, r, id);
  },
}));
