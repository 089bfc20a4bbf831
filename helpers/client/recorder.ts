// Routes every HTTP exchange to the check that caused it (concurrent checks stay apart through
// AsyncLocalStorage), so reports attach exchanges per check and nothing accumulates per run.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Exchange } from './http.ts';

export type ExchangeSink = (ex: Exchange) => void | Promise<void>;

const storage = new AsyncLocalStorage<ExchangeSink>();

export function withExchangeSink<T>(sink: ExchangeSink, fn: () => Promise<T>): Promise<T> {
  return storage.run(sink, fn);
}

export async function record(ex: Exchange): Promise<void> {
  await storage.getStore()?.(ex);
}
