// The two undici dispatchers the suite sends with, without the rest of undici. Its entry loads all of it
// (fetch, WebSocket, caches, mocks, interceptors): 55 to 70 ms of every process that imports it, at the start
// of the run and of each worker, against some 22 ms for these. The entry gives every dispatcher the request
// API (`request`, `stream`, …); so does this module, the same way. Plain JavaScript: the run's and the
// workers' preloads load it natively, before the suite's bundle, whose copy then finds undici loaded.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
Object.assign(load('undici/lib/dispatcher/dispatcher.js').prototype, load('undici/lib/api/index.js'));

export const Agent = load('undici/lib/dispatcher/agent.js');
export const EnvHttpProxyAgent = load('undici/lib/dispatcher/env-http-proxy-agent.js');
/** an answer's raw headers as `request()` gives them: names in lower case, a repeated one's values in a list */
export const { parseHeaders } = load('undici/lib/core/util.js');
