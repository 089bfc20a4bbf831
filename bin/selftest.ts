// npm run selftest [-- --readme]: the mutation self-test as a command: runs the suite against every
// correct target setup and every defect of the catalogue, prints the kill matrix and the score, and with
// --readme rewrites the matrix section of README.md.
import { replaceReadmeSection } from '../helpers/report/readme-section.ts';
import { killMatrix, mutationTest } from '../helpers/run/mutation.ts';
import { SUITE } from '../suites/suite.ts';

const t0 = performance.now();
const report = await mutationTest(SUITE);
const md = killMatrix(report);
process.stdout.write(`${md}\n\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
if (process.argv.includes('--readme')) {
  replaceReadmeSection('README.md', 'matrix', `Produced by \`npm run selftest -- --readme\`.\n\n${md}`);
  process.stdout.write('README.md updated\n');
}
process.exitCode = report.caught === report.defects.length && report.falseAlarms === 0 ? 0 : 1;
