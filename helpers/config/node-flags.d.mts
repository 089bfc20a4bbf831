/** the Node options the suite's own processes start with */
export declare const NODE_FLAGS: readonly string[];
