// npm run cleanup: see helpers/cleanup.ts
import { cleanupMain } from '../helpers/run/cleanup.ts';

process.exitCode = await cleanupMain(process.argv.slice(2), process.env);
