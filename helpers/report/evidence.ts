// The certificate's evidence: sha256 digests of the contract and of every evidence file a run wrote, an
// optional Ed25519 signature over the certificate, and their verification (npm run verify).
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { canonical } from '../client/canonical.ts';
import { ConfigError } from '../run/config.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const sha256File = (path: string): string => sha256(readFileSync(path));

/** The contract the run was judged against, by digest. */
export function contractDigests(): Record<string, string> {
  return Object.fromEntries(
    ['fixtures/customer-api.md', 'fixtures/customer-api.openapi.json'].map((f) => [f, sha256File(join(ROOT, f))]),
  );
}

/** The evidence files of a reports folder, relative to it: the summary, the JUnit XML and the Allure results. */
export function evidenceFiles(dir: string): string[] {
  const walk = (d: string): string[] =>
    existsSync(d)
      ? readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]))
      : [];
  const files = [join(dir, 'conformance.json'), join(dir, 'junit.xml'), ...walk(join(dir, 'allure-results'))].filter(
    (f) => existsSync(f),
  );
  return files.map((f) => relative(dir, f)).sort();
}

export function evidenceDigests(dir: string): Record<string, string> {
  return Object.fromEntries(evidenceFiles(dir).map((f) => [f, sha256File(join(dir, f))]));
}

export interface Signature {
  algorithm: 'ed25519';
  /** the signer's public key (SPKI, PEM): which key signed, not proof that it may (verify --public-key is) */
  publicKey: string;
  /** sha256 of the public key's DER, to name it */
  keyFingerprint: string;
  /** base64 Ed25519 signature of the certificate's canonical JSON without this field */
  value: string;
}

/** CONFORMANCE_SIGNING_KEY: an Ed25519 private key, as PEM text or the path of a PEM file. */
export function signingKey(value: string | undefined): KeyObject | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  let pem = v;
  if (!v.includes('-----BEGIN')) {
    if (!existsSync(v))
      throw new ConfigError(
        'CONFORMANCE_SIGNING_KEY is neither a PEM private key nor the path of one; set it to an Ed25519 key (openssl genpkey -algorithm ed25519)',
      );
    pem = readFileSync(v, 'utf8');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(
      'CONFORMANCE_SIGNING_KEY is not a readable private key; set it to an Ed25519 key in PEM (openssl genpkey -algorithm ed25519)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(
      `CONFORMANCE_SIGNING_KEY is an ${key.asymmetricKeyType} key; the certificate is signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  return key;
}

const fingerprint = (k: KeyObject) => sha256(k.export({ type: 'spki', format: 'der' }));

export function signCertificate<T extends object>(cert: T, key: KeyObject): Signature {
  const pub = createPublicKey(key);
  return {
    algorithm: 'ed25519',
    publicKey: pub.export({ type: 'spki', format: 'pem' }).toString(),
    keyFingerprint: fingerprint(pub),
    value: sign(null, Buffer.from(canonical(cert)), key).toString('base64'),
  };
}

export interface Verification {
  ok: boolean;
  /** one line each: what changed or is missing */
  problems: string[];
  /** what was checked */
  lines: string[];
}

/** Recomputes every digest a certificate names, and checks its signature (against `publicKey` when given). */
export function verifyReports(
  dir: string,
  opts: { publicKey?: string; markdown?: (cert: Record<string, unknown>) => string } = {},
): Verification {
  const problems: string[] = [];
  const lines: string[] = [];
  const certFile = join(dir, 'certificate.json');
  if (!existsSync(certFile)) return { ok: false, problems: [`${certFile} is missing`], lines };
  let cert: Record<string, unknown> & {
    evidence?: Record<string, string>;
    contract?: { digests?: Record<string, string> };
    signature?: Signature;
  };
  try {
    cert = JSON.parse(readFileSync(certFile, 'utf8')) as typeof cert;
  } catch {
    return { ok: false, problems: ['certificate.json is not JSON (changed)'], lines };
  }
  const evidence = cert.evidence ?? {};
  for (const [file, digest] of Object.entries(evidence)) {
    const path = join(dir, file);
    if (!existsSync(path)) problems.push(`${file}: missing`);
    else if (sha256File(path) !== digest)
      problems.push(`${file}: changed (sha256 ${sha256File(path)}, the certificate says ${digest})`);
  }
  for (const file of evidenceFiles(dir))
    if (!(file in evidence)) problems.push(`${file}: not in the certificate (added)`);
  lines.push(`${Object.keys(evidence).length} evidence files`);
  // the Markdown certificate is the JSON one, rendered: an edit of either shows
  if (opts.markdown) {
    const md = join(dir, 'certificate.md');
    if (!existsSync(md)) problems.push('certificate.md: missing');
    else if (readFileSync(md, 'utf8') !== opts.markdown(cert))
      problems.push('certificate.md: changed (it is not what certificate.json renders to)');
  }
  for (const [file, digest] of Object.entries(cert.contract?.digests ?? {})) {
    const path = join(ROOT, file);
    if (existsSync(path) && sha256File(path) !== digest)
      lines.push(`note: this checkout's ${file} differs from the contract the run was judged against`);
  }
  if (cert.signature) {
    const { signature, ...unsigned } = cert;
    let pub: KeyObject;
    try {
      pub = createPublicKey(opts.publicKey ? readFileSync(opts.publicKey, 'utf8') : signature.publicKey);
    } catch {
      return {
        ok: false,
        problems: [...problems, `the public key ${opts.publicKey ?? '(in the certificate)'} is not readable`],
        lines,
      };
    }
    const good = verify(null, Buffer.from(canonical(unsigned)), pub, Buffer.from(signature.value, 'base64'));
    if (!good)
      problems.push(
        `certificate.json: the signature does not match${opts.publicKey ? ` the key ${opts.publicKey}` : ''} (changed, or signed by another key)`,
      );
    else
      lines.push(
        opts.publicKey
          ? `signature: valid for ${opts.publicKey} (key ${fingerprint(pub).slice(0, 16)}…)`
          : `signature: valid for the key it names (${signature.keyFingerprint.slice(0, 16)}…); pass --public-key to check it is the signer's`,
      );
  } else if (opts.publicKey) problems.push('certificate.json: not signed, but a public key was given');
  return { ok: problems.length === 0, problems, lines };
}
