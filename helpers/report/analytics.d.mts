export declare const ANALYTICS: RegExp[];
export declare function stripAnalytics(html: string): string;
