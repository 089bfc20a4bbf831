// npm run verify -- <reports folder> [--public-key FILE]: recomputes the digests a certificate names (every
// evidence file, and the Markdown certificate against the JSON one) and checks its signature. Exit 0 when
// everything is intact, 1 naming each changed, added or missing file, 2 for bad arguments.
import { existsSync } from 'node:fs';
import { argsOrExit } from '../helpers/run/cli-args.ts';
import { certificateMarkdown, type Certificate } from '../helpers/report/certificate.ts';
import { verifyReports } from '../helpers/report/verify-reports.ts';

const USAGE = `usage: npm run verify -- <reports folder> [--public-key FILE]
  checks that the evidence files, the certificate and its signature are as the run wrote them
  --public-key FILE   the signer's Ed25519 public key (PEM): the signature must be by that key`;

function main(argv: string[]): number {
  const parsed = argsOrExit(
    { name: 'verify', usage: USAGE, options: { 'public-key': { type: 'string' } }, positionals: true },
    argv,
  );
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length) {
    process.stderr.write(`verify: name one reports folder, e.g. npm run verify -- reports\n`);
    return 2;
  }
  const key = parsed.values['public-key'];
  const bad = !existsSync(dir)
    ? `${dir} does not exist; name the reports folder of a run`
    : key && !existsSync(key)
      ? `--public-key ${key} does not exist`
      : undefined;
  if (bad) {
    process.stderr.write(`verify: ${bad}\n`);
    return 2;
  }
  const v = verifyReports(dir, { publicKey: key, markdown: (c) => certificateMarkdown(c as unknown as Certificate) });
  for (const l of v.lines) process.stdout.write(`${l}\n`);
  for (const p of v.problems) process.stderr.write(`verify: ${p}\n`);
  process.stdout.write(v.ok ? `intact: ${dir}\n` : `NOT intact: ${v.problems.length} problem(s)\n`);
  return v.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
