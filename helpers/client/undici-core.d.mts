import type * as Undici from 'undici';

export declare const Agent: typeof Undici.Agent;
export declare const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
export declare function parseHeaders(raw: Buffer[]): Record<string, string | string[] | undefined>;
export type Agent = Undici.Agent;
export type Dispatcher = Undici.Dispatcher;
