export declare const ANALYTICS: RegExp[];
export declare function stripAnalytics(html: string): string;
export declare const ANALYTICS_HOST: string;
export declare function mentionsAnalytics(bytes: Uint8Array): boolean;
