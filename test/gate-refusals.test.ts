// The gate refuses to pass where it has not tested the deployment: in CI without a target (it would test the
// embedded reference target), and with an env file that does not exist.
import { describe, expect, test } from 'vitest';
import { runCli } from './support/cli.ts';

describe('refusals', () => {
  // as CI systems say so: ci-info knows them, not a hand list
  test.each([
    ['CI=true', { CI: 'true' }],
    ['CI=1', { CI: '1' }],
    ['CI=True', { CI: 'True' }],
    ['Jenkins', { CI: '', JENKINS_URL: 'https://jenkins.example/', BUILD_ID: '42' }],
    ['Azure Pipelines', { CI: '', TF_BUILD: 'True' }],
    ['GitHub Actions', { CI: '', GITHUB_ACTIONS: 'true' }],
  ])('%s without a target refuses with exit 2 instead of testing the embedded target', async (_name, env) => {
    const r = await runCli([], env);
    expect(r.code, r.stderr + r.stdout).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CUSTOMER_API_BASE_URL is not set and this is a CI system.*CUSTOMER_API_TARGET=embedded/);
  });

  test('a CONFORMANCE_ENV_FILE that does not exist is a typo: exit 2, never the embedded target', async () => {
    const r = await runCli([], { CONFORMANCE_ENV_FILE: 'stagin.env' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        '^conformance: CONFORMANCE_ENV_FILE="stagin\\.env" does not exist \\(looked for .*stagin\\.env\\); ' +
          'fix the path, or unset it to read \\.env\\n$',
      ),
    );
  });
});
