// npm run conformance: see helpers/conformance.ts
import { main } from '../helpers/conformance.ts';

process.exitCode = await main(process.argv.slice(2), process.env);
