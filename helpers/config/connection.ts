// Where and as whom: the target's address and the credentials, from the parsed variables; for the embedded
// target, its own accounts (the key or the token, as CUSTOMER_API_AUTH says).
import { ConfigError } from './config-error.ts';
import { DOC, type ParsedEnv } from './variables.ts';

export interface Credentials {
  userId: string;
  key: string;
  entityId: string;
  /** which environment variables hold them, for curl reproductions that never print the key */
  envPrefix: 'CUSTOMER_API' | 'CUSTOMER_API_OTHER';
}

/** An account of the embedded target: its API key, or its token when CUSTOMER_API_AUTH=bearer. */
export interface EmbeddedAccount {
  userId: string;
  entityId: string;
  apiKey: string;
  bearer: string;
}

/** The embedded target's address and its two entities' accounts, which stand in for the credentials. */
export interface Embedded {
  baseUrl: string;
  main: EmbeddedAccount;
  other: EmbeddedAccount;
}

const EXAMPLE_ROOT = 'e.g. https://cst.test-gsc.vfims.com/oidc/customer-service';

function parseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(
      `CUSTOMER_API_BASE_URL=${JSON.stringify(raw)} is not a URL; set it to the service root, ${EXAMPLE_ROOT}`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(
      `CUSTOMER_API_BASE_URL must start with https:// or http:// (got ${u.protocol}); ` +
        `set it to the service root, ${EXAMPLE_ROOT}`,
    );
  }
  if (u.username || u.password) {
    throw new ConfigError(
      'CUSTOMER_API_BASE_URL must not contain credentials; put them in CUSTOMER_API_USER_ID and CUSTOMER_API_KEY',
    );
  }
  return u.toString().replace(/\/+$/, '');
}

/** Where and as whom the suite talks to the target. */
export interface Connection {
  baseUrl: string;
  main: Credentials;
  other?: Credentials;
}

/** The embedded target's address and accounts, each with the key the authentication in force uses. */
export function embeddedConnection(e: ParsedEnv, embedded: Embedded): Connection {
  const key = (a: EmbeddedAccount) => (e.CUSTOMER_API_AUTH === 'bearer' ? a.bearer : a.apiKey);
  const cred = (a: EmbeddedAccount, envPrefix: Credentials['envPrefix']): Credentials => ({
    userId: a.userId,
    key: key(a),
    entityId: a.entityId,
    envPrefix,
  });
  return {
    baseUrl: embedded.baseUrl,
    main: cred(embedded.main, 'CUSTOMER_API'),
    other: cred(embedded.other, 'CUSTOMER_API_OTHER'),
  };
}

const need = (name: string, v: string | undefined, hint: string): string => {
  if (!v) throw new ConfigError(`${name} is not set; ${hint} (${DOC})`);
  return v;
};

/** The other entity's credentials, when any CUSTOMER_API_OTHER_* variable is set. */
function otherCredentials(e: ParsedEnv, main: Credentials): Credentials | undefined {
  const given = [e.CUSTOMER_API_OTHER_KEY, e.CUSTOMER_API_OTHER_ENTITY_ID, e.CUSTOMER_API_OTHER_USER_ID];
  if (!given.some(Boolean)) return undefined;
  const skip = 'or unset the CUSTOMER_API_OTHER_* variables to skip the other-entity checks';
  const other: Credentials = {
    userId:
      e.CUSTOMER_API_AUTH === 'bearer'
        ? (e.CUSTOMER_API_OTHER_USER_ID ?? '')
        : need(
            'CUSTOMER_API_OTHER_USER_ID',
            e.CUSTOMER_API_OTHER_USER_ID,
            'set it with CUSTOMER_API_OTHER_KEY, or unset both to skip the other-entity checks',
          ),
    key: need('CUSTOMER_API_OTHER_KEY', e.CUSTOMER_API_OTHER_KEY, `set it to a key of a second entity, ${skip}`),
    entityId: need(
      'CUSTOMER_API_OTHER_ENTITY_ID',
      e.CUSTOMER_API_OTHER_ENTITY_ID,
      "set it to the second entity's Organisation ID",
    ),
    envPrefix: 'CUSTOMER_API_OTHER',
  };
  if (other.entityId === main.entityId)
    throw new ConfigError(
      'CUSTOMER_API_OTHER_ENTITY_ID equals CUSTOMER_API_ENTITY_ID; ' +
        'the other credentials must act for a different entity',
    );
  return other;
}

/** A deployment's address and the credentials given for it. */
export function remoteConnection(e: ParsedEnv): Connection {
  if (!e.CUSTOMER_API_BASE_URL) {
    throw new ConfigError(
      `CUSTOMER_API_BASE_URL is not set; set it to the service root (${EXAMPLE_ROOT}), ` +
        'or CUSTOMER_API_TARGET=embedded for the built-in reference server',
    );
  }
  const baseUrl = parseUrl(e.CUSTOMER_API_BASE_URL);
  const bearer = e.CUSTOMER_API_AUTH === 'bearer';
  const main: Credentials = {
    userId: bearer
      ? (e.CUSTOMER_API_USER_ID ?? '')
      : need('CUSTOMER_API_USER_ID', e.CUSTOMER_API_USER_ID, 'set it to the user uid the API key belongs to'),
    key: need(
      'CUSTOMER_API_KEY',
      e.CUSTOMER_API_KEY,
      bearer ? 'set it to the bearer token (JWT)' : 'set it to the API key from Verifone Central',
    ),
    entityId: need(
      'CUSTOMER_API_ENTITY_ID',
      e.CUSTOMER_API_ENTITY_ID,
      'set it to the Organisation ID the customers are created on',
    ),
    envPrefix: 'CUSTOMER_API',
  };
  return { baseUrl, main, other: otherCredentials(e, main) };
}
