// Where the configuration and the reports are besides the environment: `.env`, or the file
// CONFORMANCE_ENV_FILE names (e.g. staging.env), which must then exist; the reports folder, reports/ or
// CONFORMANCE_REPORTS_DIR; and whether this is a CI system, as the ci-info library tells.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { config as dotenv } from 'dotenv';
import { ConfigError, type Env } from './config.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The environment with `.env` (or CONFORMANCE_ENV_FILE) filling in what it does not set. */
export function withEnvFile(baseEnv: Env): Env {
  const named = baseEnv.CONFORMANCE_ENV_FILE?.trim();
  const path = resolve(ROOT, named || '.env');
  // a named file that is not there is a typo that would silently test something else
  if (named && !existsSync(path))
    throw new ConfigError(
      `CONFORMANCE_ENV_FILE=${JSON.stringify(named)} does not exist (looked for ${path}); ` +
        'fix the path, or unset it to read .env',
    );
  const env: Env = { ...baseEnv };
  dotenv({ path, processEnv: env as NodeJS.ProcessEnv, quiet: true });
  return env;
}

/** Where reports go: reports/ of the project, or CONFORMANCE_REPORTS_DIR (e.g. one folder per CI job). */
export const reportsDir = (env: Env): string => resolve(ROOT, env.CONFORMANCE_REPORTS_DIR?.trim() || 'reports');

const require = createRequire(import.meta.url);

/**
 * Is `env` the environment of a CI system? ci-info knows the systems (CI=1 or True, Jenkins, Azure
 * Pipelines, GitHub, GitLab, …); it reads process.env when it loads, so it is loaded against `env`.
 */
export function isCi(env: Env): boolean {
  const path = require.resolve('ci-info');
  const saved = process.env;
  try {
    process.env = env as NodeJS.ProcessEnv;
    delete require.cache[path];
    return (require(path) as { isCI: boolean }).isCI;
  } finally {
    process.env = saved;
    delete require.cache[path];
  }
}
