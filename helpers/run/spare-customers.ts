// Customers kept for the checks whose requests a conforming target refuses (an invalid update, bad
// credentials). Such a check used to create a customer and delete it again: two of its five requests, and
// on a target that spends real work on each request, most of a run's load. A check that saw its customer
// unchanged after the refusal, and found nothing wrong, gives it back; the next such check takes it, one
// check at a time, and reads it first as before. Each check still judges against its own reading, so a
// fault shows in the check that caused it; a customer that changed is the check's, and deleted with it.
import type { Exchange } from '../client/http.ts';
import type { CustomerRequest } from '../../fixtures/data/factories.ts';

export interface Spare {
  id: string;
  /** the body it was created with */
  body: CustomerRequest;
  /** the create that made it: every check that takes it shows it (its evidence, its reproduction) */
  created: Exchange;
}

/** The spares one run environment holds; each is taken by one check at a time. */
export class SpareCustomers {
  private readonly idle: Spare[] = [];

  take(): Spare | undefined {
    return this.idle.pop();
  }

  give(s: Spare): void {
    this.idle.push(s);
  }

  /** Deletes the idle ones (`remove` as the run deletes; one it could not is left to the run's final cleanup). */
  async drain(remove: (id: string) => Promise<unknown>): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map((s) => remove(s.id).catch(() => undefined)));
  }
}
