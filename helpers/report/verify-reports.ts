// npm run verify's check of a reports folder against its certificate: every evidence digest recomputed, the
// Markdown certificate compared with the JSON one, the contract noted when it changed, the signature checked.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evidenceFiles, sha256File } from './evidence.ts';
import { checkSignature, type Signature } from './signature.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Verification {
  ok: boolean;
  /** one line each: what changed or is missing */
  problems: string[];
  /** what was checked */
  lines: string[];
}

type CertificateJson = Record<string, unknown> & {
  evidence?: Record<string, string>;
  contract?: { digests?: Record<string, string> };
  signature?: Signature;
};

/** Each evidence file the certificate names that is missing or changed, and each one it does not name. */
function evidenceProblems(dir: string, evidence: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, digest] of Object.entries(evidence)) {
    const path = join(dir, file);
    if (!existsSync(path)) problems.push(`${file}: missing`);
    else if (sha256File(path) !== digest)
      problems.push(`${file}: changed (sha256 ${sha256File(path)}, the certificate says ${digest})`);
  }
  for (const file of evidenceFiles(dir))
    if (!(file in evidence)) problems.push(`${file}: not in the certificate (added)`);
  return problems;
}

/** The Markdown certificate is the JSON one, rendered: an edit of either shows. */
function markdownProblem(dir: string, cert: CertificateJson, markdown: (cert: CertificateJson) => string) {
  const md = join(dir, 'certificate.md');
  if (!existsSync(md)) return 'certificate.md: missing';
  if (readFileSync(md, 'utf8') !== markdown(cert))
    return 'certificate.md: changed (it is not what certificate.json renders to)';
  return undefined;
}

/** A note for each contract file of this checkout that differs from the one the run was judged against. */
const contractNotes = (cert: CertificateJson): string[] =>
  Object.entries(cert.contract?.digests ?? {})
    .filter(([file, digest]) => existsSync(join(ROOT, file)) && sha256File(join(ROOT, file)) !== digest)
    .map(([file]) => `note: this checkout's ${file} differs from the contract the run was judged against`);

/** Recomputes every digest a certificate names, and checks its signature (against `publicKey` when given). */
export function verifyReports(
  dir: string,
  opts: { publicKey?: string; markdown?: (cert: Record<string, unknown>) => string } = {},
): Verification {
  const lines: string[] = [];
  const certFile = join(dir, 'certificate.json');
  if (!existsSync(certFile)) return { ok: false, problems: [`${certFile} is missing`], lines };
  let cert: CertificateJson;
  try {
    cert = JSON.parse(readFileSync(certFile, 'utf8')) as CertificateJson;
  } catch {
    return { ok: false, problems: ['certificate.json is not JSON (changed)'], lines };
  }
  const evidence = cert.evidence ?? {};
  const problems = evidenceProblems(dir, evidence);
  lines.push(`${Object.keys(evidence).length} evidence files`);
  const md = opts.markdown ? markdownProblem(dir, cert, opts.markdown) : undefined;
  if (md) problems.push(md);
  lines.push(...contractNotes(cert));
  const sig = checkSignature(cert, opts.publicKey);
  if (sig.unreadableKey) return { ok: false, problems: [...problems, sig.unreadableKey], lines };
  if (sig.problem) problems.push(sig.problem);
  if (sig.line) lines.push(sig.line);
  return { ok: problems.length === 0, problems, lines };
}
