// Every command reads its options the same way: --help and --version answer with exit 0, and a mistake is
// one line naming the option and the fix, exit 2, never a stack trace. The launcher runs a run bundled.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startTarget } from '../fixtures/target/server.ts';
import { nodeEnvironment } from '../helpers/config/node-flags.mjs';
import { quietEnv, remoteEnv, ROOT } from './support/cli.ts';

const COMMANDS = ['conformance', 'cleanup', 'verify', 'readings', 'selftest', 'bench', 'target', 'compare', 'merge'];

const run = (name: string, args: string[], cwd = ROOT, env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const c = spawn(process.execPath, [join(ROOT, 'bin/launch.mjs'), name, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => done({ code, out, err }));
  });

describe.concurrent.each(COMMANDS)('npm run %s', (name) => {
  test('--help: its usage, exit 0', async () => {
    const r = await run(name, ['--help']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toMatch(/^usage: /);
  });

  test('--version: the suite version, exit 0, from whatever folder it is started in', async () => {
    for (const cwd of [ROOT, tmpdir()]) {
      const r = await run(name, ['--version'], cwd);
      expect([r.code, r.out]).toEqual([0, `customer-api-conformance ${process.env.npm_package_version ?? '0.1.0'}\n`]);
    }
  });

  test('an unknown option: one line naming it and --help, exit 2', async () => {
    const r = await run(name, ['--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${name}: unknown option --bogus; see npm run ${name} -- --help\n`);
  });
});

test('a run as the launcher starts it, elsewhere: the run and its workers load the suite bundled', async () => {
  const t = await startTarget();
  try {
    const reports = mkdtempSync(join(tmpdir(), 'conformance-launch-'));
    const r = await run('conformance', ['--only', 'workflow'], tmpdir(), { ...remoteEnv(t.url), ...quietEnv(reports) });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Verdict: INCOMPLETE/);
    const timing = JSON.parse(readFileSync(join(reports, 'timing.json'), 'utf8')) as Record<string, unknown>;
    expect([timing.runLoad, timing.suiteLoad]).toEqual(['bundled', 'bundled']);
    // libuv's pool as node-flags.mjs sizes it for this machine, and a size the user set kept
    expect(timing.threadPool).toBe(nodeEnvironment({}).UV_THREADPOOL_SIZE);
    expect(nodeEnvironment({ UV_THREADPOOL_SIZE: '3' }).UV_THREADPOOL_SIZE).toBe('3');
    expect(t.count()).toBe(0);
  } finally {
    await t.close();
  }
}, 60_000);
