// npm run readings [-- --readme]: prints the readings table (fixtures/contract/readings.ts) as Markdown; with
// --readme rewrites the "Readings" section of README.md from it.
import { readingsMarkdown } from '../fixtures/contract/readings.ts';
import { replaceReadmeSection } from '../helpers/report/readme-section.ts';
import { argsOrExit } from '../helpers/run/cli-args.ts';

const USAGE = `usage: npm run readings [-- --readme]
  prints the readings table as Markdown
  --readme   rewrite the "Readings" section of README.md from it instead`;

const { values } = argsOrExit(
  { name: 'readings', usage: USAGE, options: { readme: { type: 'boolean' } } },
  process.argv.slice(2),
);
const text = readingsMarkdown();
if (values.readme) {
  replaceReadmeSection('README.md', 'readings', text);
  process.stdout.write('README.md updated\n');
} else process.stdout.write(`${text}\n`);
