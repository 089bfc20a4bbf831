// npm run readings [-- --readme]: prints the readings table (fixtures/contract/readings.ts) as Markdown; with
// --readme rewrites the "Readings" section of README.md from it.
import { readingsMarkdown } from '../fixtures/contract/readings.ts';
import { replaceReadmeSection } from '../helpers/report/readme-section.ts';

const text = readingsMarkdown();
if (process.argv.includes('--readme')) {
  replaceReadmeSection('README.md', 'readings', text);
  process.stdout.write('README.md updated\n');
} else process.stdout.write(`${text}\n`);
