// Allure 3's awesome plugin writes Google Analytics into every report it generates (a gtag.js script and its
// configuration, with the report's id) and offers no option to leave it out (allure3 issue #476). Plain
// JavaScript: the report's plugin (awesome-plugin.mjs) strips them as it writes the page, and the run
// (offline.ts) checks the page it wrote.

/** the analytics loader, and the inline script that configures it */
export const ANALYTICS = [
  /<script\b[^>]*\bsrc=["']https?:\/\/[^"']*googletagmanager\.com[^"']*["'][^>]*>\s*<\/script>\s*/gi,
  /<script\b[^>]*>(?:(?!<\/script>)[\s\S])*?\bgtag\s*\((?:(?!<\/script>)[\s\S])*?<\/script>/gi,
];

/** the host the analytics load from: the first sign of them in a page */
export const ANALYTICS_HOST = 'googletagmanager';

/** Whether a page may hold analytics: a quick scan of its bytes, before it is decoded and stripped. */
export function mentionsAnalytics(bytes) {
  return bytes.includes(ANALYTICS_HOST) || bytes.includes('gtag');
}

/** The page without its analytics. */
export function stripAnalytics(html) {
  return ANALYTICS.reduce((h, re) => h.replace(re, ''), html);
}
