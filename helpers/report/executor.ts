// Allure executor info (executor.json in the results) when the run happens in CI: the CI's name and the
// build's URL, from the variables the common CI systems set.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../config/config.ts';

export interface Executor {
  name: string;
  type: string;
  buildName?: string;
  buildUrl?: string;
}

export function detectExecutor(env: Env): Executor | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const url =
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return {
      name: 'GitHub Actions',
      type: 'github',
      buildName: `${env.GITHUB_WORKFLOW ?? 'workflow'} #${env.GITHUB_RUN_NUMBER ?? ''}`.trim(),
      buildUrl: url,
    };
  }
  if (env.GITLAB_CI === 'true')
    return {
      name: 'GitLab CI',
      type: 'gitlab',
      buildName: `pipeline ${env.CI_PIPELINE_ID ?? ''}`.trim(),
      buildUrl: env.CI_JOB_URL ?? env.CI_PIPELINE_URL,
    };
  if (env.JENKINS_URL) return { name: 'Jenkins', type: 'jenkins', buildName: env.BUILD_TAG, buildUrl: env.BUILD_URL };
  if (env.TF_BUILD === 'True')
    return {
      name: 'Azure Pipelines',
      type: 'azure',
      buildName: env.BUILD_BUILDNUMBER,
      buildUrl:
        env.SYSTEM_COLLECTIONURI && env.SYSTEM_TEAMPROJECT && env.BUILD_BUILDID
          ? `${env.SYSTEM_COLLECTIONURI}${env.SYSTEM_TEAMPROJECT}/_build/results?buildId=${env.BUILD_BUILDID}`
          : undefined,
    };
  if (env.CIRCLECI === 'true')
    return { name: 'CircleCI', type: 'circleci', buildName: env.CIRCLE_BUILD_NUM, buildUrl: env.CIRCLE_BUILD_URL };
  if (env.CI === 'true') return { name: 'CI', type: 'ci', buildUrl: env.BUILD_URL };
  return undefined;
}

export function writeExecutor(resultsDir: string, env: Env): void {
  const e = detectExecutor(env);
  if (!e) return;
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'executor.json'), JSON.stringify(e, null, 2));
}
