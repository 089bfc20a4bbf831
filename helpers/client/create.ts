// A create is never repeated blindly: the retry loop of CustomerApi.create, which looks the run's customers up
// by marker before it sends a create again whose outcome is unknown or that the target turned away (429/503).
import type { ApiResponse } from './api-response.ts';
import type { Caller } from './caller.ts';
import { backoffMs, isReset, TransportError } from './http.ts';
import { sleep } from './time.ts';

/** No create may be sent any more: an earlier one was answered without a usable customer. */
export class CreatesStopped extends Error {
  override name = 'CreatesStopped';
}

/** What the retry loop needs of the client. */
export interface CreateSteps {
  /** one create, its response not yet observed */
  post(body: unknown, as: Caller): Promise<ApiResponse>;
  /** customers carrying the body's marker that were not recorded (undefined: cannot be told) */
  findUnrecorded(body: unknown, as: Caller): Promise<string[] | undefined>;
  /** a customer the run created: into the ledger */
  recordCreated(id: string): void;
  /** the response handed to the client's observer */
  observe(res: ApiResponse): void;
  /** a create answered 2xx without a usable customer */
  unusable(res: ApiResponse): void;
  /** how long a 429/503 asks to wait (undefined: not such an answer, or too long) */
  comeBackAfter(res: ApiResponse, attempt: number): number | undefined;
  /** CUSTOMER_API_RETRIES */
  retries: number;
}

/**
 * Sends a create. When its outcome is unknown (the connection closed or timed out before a complete answer)
 * or the target answered 429/503, the run's customers are looked up by marker first. One found carrying
 * this body's marker value is recorded and the create is not repeated; when none is found, a reset or a
 * 429/503 is retried (up to `retries` times, honouring Retry-After). A timeout is not retried, and without a
 * usable list endpoint nothing is.
 */
export async function createWithRetries(steps: CreateSteps, body: unknown, as: Caller): Promise<ApiResponse> {
  for (let attempt = 1; ; attempt++) {
    let res: ApiResponse | undefined;
    let failure: TransportError | undefined;
    try {
      res = await steps.post(body, as);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      failure = e;
    }
    if (res && res.status !== 429 && res.status !== 503) {
      const id = (res.json as { id?: unknown } | undefined)?.id;
      if (res.status >= 200 && res.status < 300 && typeof id === 'string') steps.recordCreated(id);
      else if (res.status >= 200 && res.status < 300) steps.unusable(res);
      steps.observe(res);
      return res;
    }
    const found = await steps.findUnrecorded(body, as);
    for (const id of found ?? []) steps.recordCreated(id);
    const afterReset = failure && isReset(failure) ? backoffMs(attempt) : undefined;
    const wait = failure ? afterReset : steps.comeBackAfter(res!, attempt);
    if (found === undefined || found.length > 0 || wait === undefined || attempt > steps.retries) {
      if (failure) throw failure;
      steps.observe(res!);
      return res!;
    }
    await sleep(wait);
  }
}
