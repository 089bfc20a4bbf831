// npm run selftest [-- --readme]: the mutation self-test as a command: runs the suite against every
// correct target setup and every defect of the catalogue, prints the kill matrix and the score, and with
// --readme rewrites the matrix section of README.md.
import { replaceReadmeSection } from '../helpers/report/readme-section.ts';
import { killMatrix, mutationTest } from '../helpers/run/mutation.ts';
import { SUITE } from '../suites/suite.ts';
import { argsOrExit } from '../helpers/run/cli-args.ts';

const USAGE = `usage: npm run selftest [-- --readme]
  the suite against every correct target setup and every defect of the catalogue: the kill matrix and the score
  --readme   also rewrite the matrix section of README.md`;

const { values } = argsOrExit(
  { name: 'selftest', usage: USAGE, options: { readme: { type: 'boolean' } } },
  process.argv.slice(2),
);
const t0 = performance.now();
const report = await mutationTest(SUITE);
const md = killMatrix(report);
process.stdout.write(`${md}\n\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
if (values.readme) {
  replaceReadmeSection('README.md', 'matrix', `Produced by \`npm run selftest -- --readme\`.\n\n${md}`);
  process.stdout.write('README.md updated\n');
}
process.exitCode = report.caught === report.defects.length && report.falseAlarms === 0 ? 0 : 1;
