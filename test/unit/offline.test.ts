import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { externalReferences, makeOffline, stripAnalytics } from '../../helpers/report/offline.ts';

// what allure 3.18's awesome plugin writes into every report
const ANALYTICS = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', { "report": "awesome", "reportUuid": "11ebaf4d" });
    </script>`;
const PAGE = (middle: string) =>
  `<html><head><script src="data:text/javascript;base64,AAAA"></script>${middle}` +
  '<script async>window.allureReportData = {};</script></head>' +
  '<body><svg xmlns="http://www.w3.org/2000/svg"></svg></body></html>';

describe('the report stays offline', () => {
  test("Allure's analytics are removed, and nothing else", () => {
    expect(externalReferences(PAGE(ANALYTICS))).not.toEqual([]);
    expect(stripAnalytics(PAGE(ANALYTICS))).toBe(PAGE(''));
    expect(externalReferences(stripAnalytics(PAGE(ANALYTICS)))).toEqual([]);
  });

  test('any other request to a host is found: scripts, styles, images, CSS imports', () => {
    expect(
      externalReferences(
        '<link href="https://cdn.example/x.css"><img src=//img.example/a.png>' +
          '<style>@import "https://f.example/a.css"; b{background:url(https://i.example/b.png)}</style>',
      ),
    ).toEqual([
      'https://cdn.example/x.css',
      '//img.example/a.png',
      'https://i.example/b.png',
      'https://f.example/a.css',
    ]);
  });

  test("the run's last pass: a page the plugin missed is stripped, a clean one left as it is", () => {
    const report = mkdtempSync(join(tmpdir(), 'offline-'));
    mkdirSync(join(report, 'data'));
    writeFileSync(join(report, 'data', 'missed.html'), PAGE(ANALYTICS));
    writeFileSync(join(report, 'index.html'), PAGE(''));
    const clean = statSync(join(report, 'index.html')).mtimeMs;
    makeOffline(report);
    expect(readFileSync(join(report, 'data', 'missed.html'), 'utf8')).toBe(PAGE(''));
    expect(statSync(join(report, 'index.html')).mtimeMs).toBe(clean);
  });
});
