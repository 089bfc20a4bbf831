// npm run bench: see helpers/bench/bench.ts
import { benchMain } from '../helpers/bench/bench.ts';

process.exitCode = await benchMain(process.argv.slice(2), process.env);
