import type * as Undici from 'undici';

export declare const Agent: typeof Undici.Agent;
export declare const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
export type Agent = Undici.Agent;
export type Dispatcher = Undici.Dispatcher;
