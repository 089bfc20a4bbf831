// Allure 3 report settings for `npm run conformance`: one self-contained index.html an auditor can open
// by double-click, and a history kept in reports/ so repeated runs show a trend.
export default {
  name: 'Customer API conformance',
  output: './reports/allure-report',
  historyPath: './reports/allure-history.jsonl',
  historyLimit: 50,
  plugins: {
    awesome: {
      options: {
        reportName: 'Customer API conformance',
        singleFile: true,
        reportLanguage: 'en',
        groupBy: ['feature', 'story'],
      },
    },
  },
};
