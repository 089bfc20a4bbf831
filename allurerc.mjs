// Allure 3 report settings for `npm run conformance`: one self-contained index.html an auditor can open
// by double-click, a history of the last 5 runs kept in reports/ for a trend (each run reads it back into its
// report: a longer one made every report slower to generate; the page holds the last six runs' data points,
// these 5 and its own), and categories that keep
// product defects apart from a target that did not answer and from suite or environment errors.
import { fileURLToPath } from 'node:url';

const reports = process.env.CONFORMANCE_REPORTS_DIR || './reports';
// the run's verdict, on the landing page (set by npm run conformance)
const name = process.env.CONFORMANCE_REPORT_NAME || 'Customer API conformance';
// Allure's awesome plugin, writing its page without the analytics it adds or the local git checkout's details
const awesome = fileURLToPath(new URL('./helpers/report/awesome-plugin.mjs', import.meta.url));

export default {
  name,
  output: `${reports}/allure-report`,
  historyPath: `${reports}/allure-history.jsonl`,
  historyLimit: 5,
  categories: [
    { name: 'Nonconformance (product defects)', matchers: { statuses: ['failed'] } },
    {
      name: 'Environment, not the product (no answer, gateway, redirect, refused keys)',
      matchers: { statuses: ['broken'], message: /^environment:/ },
    },
    {
      name: 'No customer to test with (the product refused a valid create)',
      matchers: { statuses: ['broken'], message: /^precondition:/ },
    },
    { name: 'Suite errors', matchers: { statuses: ['broken'] } },
    { name: 'Not verified', matchers: { statuses: ['skipped'] } },
  ],
  plugins: {
    awesome: {
      import: awesome,
      options: {
        reportName: name,
        singleFile: true,
        reportLanguage: 'en',
        groupBy: ['feature', 'story'],
      },
    },
  },
};
