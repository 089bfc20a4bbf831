// The certificate's optional Ed25519 signature: the signing key (CONFORMANCE_SIGNING_KEY), signing the
// certificate's canonical JSON, and checking a signature again (npm run verify).
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { canonical } from '../client/canonical.ts';
import { ConfigError } from '../config/config.ts';
import { sha256 } from './evidence.ts';

export interface Signature {
  algorithm: 'ed25519';
  /** the signer's public key (SPKI, PEM): which key signed, not proof that it may (verify --public-key is) */
  publicKey: string;
  /** sha256 of the public key's DER, to name it */
  keyFingerprint: string;
  /** base64 Ed25519 signature of the certificate's canonical JSON without this field */
  value: string;
}

const GENERATE = '(openssl genpkey -algorithm ed25519)';

/** CONFORMANCE_SIGNING_KEY: an Ed25519 private key, as PEM text or the path of a PEM file. */
export function signingKey(value: string | undefined): KeyObject | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  let pem = v;
  if (!v.includes('-----BEGIN')) {
    if (!existsSync(v))
      throw new ConfigError(
        'CONFORMANCE_SIGNING_KEY is neither a PEM private key nor the path of one; ' +
          `set it to an Ed25519 key ${GENERATE}`,
      );
    pem = readFileSync(v, 'utf8');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(
      `CONFORMANCE_SIGNING_KEY is not a readable private key; set it to an Ed25519 key in PEM ${GENERATE}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(
      `CONFORMANCE_SIGNING_KEY is an ${key.asymmetricKeyType} key; the certificate is signed with Ed25519 ${GENERATE}`,
    );
  return key;
}

export const fingerprint = (k: KeyObject) => sha256(k.export({ type: 'spki', format: 'der' }));

export function signCertificate<T extends object>(cert: T, key: KeyObject): Signature {
  const pub = createPublicKey(key);
  return {
    algorithm: 'ed25519',
    publicKey: pub.export({ type: 'spki', format: 'pem' }).toString(),
    keyFingerprint: fingerprint(pub),
    value: sign(null, Buffer.from(canonical(cert)), key).toString('base64'),
  };
}

/**
 * What the signature of a certificate says (against `publicKey`, a PEM file, when given): a problem or a line
 * of what was checked, or `unreadableKey` when the key cannot be read (nothing more can be told).
 */
export function checkSignature(
  cert: Record<string, unknown> & { signature?: Signature },
  publicKey: string | undefined,
): { problem?: string; line?: string; unreadableKey?: string } {
  if (!cert.signature) return publicKey ? { problem: 'certificate.json: not signed, but a public key was given' } : {};
  const { signature, ...unsigned } = cert;
  let pub: KeyObject;
  try {
    pub = createPublicKey(publicKey ? readFileSync(publicKey, 'utf8') : signature.publicKey);
  } catch {
    return { unreadableKey: `the public key ${publicKey ?? '(in the certificate)'} is not readable` };
  }
  const good = verify(null, Buffer.from(canonical(unsigned)), pub, Buffer.from(signature.value, 'base64'));
  if (!good) {
    const by = publicKey ? ` the key ${publicKey}` : '';
    return { problem: `certificate.json: the signature does not match${by} (changed, or signed by another key)` };
  }
  if (publicKey) return { line: `signature: valid for ${publicKey} (key ${fingerprint(pub).slice(0, 16)}…)` };
  const named = `${signature.keyFingerprint.slice(0, 16)}…`;
  return { line: `signature: valid for the key it names (${named}); pass --public-key to check it is the signer's` };
}
