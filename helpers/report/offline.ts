// An auditor's report makes no request to any host. Allure 3's awesome plugin writes Google Analytics into
// every report it generates (a gtag.js script and its configuration, with the report's id) and offers no
// option to leave it out (allure3 issue #476): it is removed after `allure generate`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** the analytics loader, and the inline script that configures it */
const ANALYTICS = [
  /<script\b[^>]*\bsrc=["']https?:\/\/[^"']*googletagmanager\.com[^"']*["'][^>]*>\s*<\/script>\s*/gi,
  /<script\b[^>]*>(?:(?!<\/script>)[\s\S])*?\bgtag\s*\((?:(?!<\/script>)[\s\S])*?<\/script>/gi,
];

/** The page without its analytics. */
export function stripAnalytics(html: string): string {
  return ANALYTICS.reduce((h, re) => h.replace(re, ''), html);
}

/**
 * What the page would fetch from another host when opened: src/href/action attributes, CSS url() and
 * @import, and fetches spelt out in inline scripts (data: URIs and same-document references are not requests).
 */
export function externalReferences(html: string): string[] {
  const out = new Set<string>();
  const patterns = [
    /\b(?:src|href|action|poster|data)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi,
    /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
    /@import\s+["']((?:https?:)?\/\/[^"']+)/gi,
    /\bgoogletagmanager\.com[^"'\s<]*/gi,
    /\bgoogle-analytics\.com[^"'\s<]*/gi,
  ];
  for (const re of patterns) for (const m of html.matchAll(re)) out.add(m[1] ?? m[0]);
  return [...out];
}

/** Strips the analytics from every HTML file the report holds. */
export function makeOffline(reportDir: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
  for (const file of walk(reportDir).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(file, 'utf8');
    const clean = stripAnalytics(html);
    if (clean !== html) writeFileSync(file, clean);
  }
}
