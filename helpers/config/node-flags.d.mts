/** the Node options the suite's own processes start with */
export declare const NODE_FLAGS: readonly string[];
/** `env` with the environment variables the suite's own processes start with */
export declare function nodeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
