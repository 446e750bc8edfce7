/**
 * What a secret and a public key set must be before a service runs with them
 * outside development mode. The one place secrets are judged: the validated
 * configuration (config.ts) asks these functions.
 */

/** Shortest secret accepted: 32 bytes (256 bits). */
export const MIN_SECRET_BYTES = 32;

/** Values that shipped as defaults or are typical placeholders: anyone could know them. */
export const KNOWN_DEFAULT_SECRETS: readonly string[] = [
  'dev-secret-change-me',
  'dev-softphone-secret-change-me',
  'test-secret',
  'change-me',
  'changeme',
  'secret',
  'password',
  'admin',
  'kafka',
  'admin-secret',
];

/** Why a secret cannot be used outside development, or null when it can. */
export function secretProblem(value: string | undefined): string | null {
  if (value === undefined || value === '') return 'is missing';
  const known = value.toLowerCase();
  if (KNOWN_DEFAULT_SECRETS.some((d) => known === d || known.startsWith(`${d}-`) || known.endsWith(`-${d}`))) return 'is a known default';
  if (new TextEncoder().encode(value).length < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  if (new Set(value).size < 8) return 'has too little variety (fewer than 8 distinct characters)';
  return null;
}

/** Members of a JWK that only a private or symmetric key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MIN_RSA_BITS = 2048;

/**
 * Why a JWKS cannot verify the services' tokens, one problem per entry: public
 * Ed25519 (OKP) or RSA keys of at least 2048 bits, each with a unique kid, no
 * private or symmetric key material (a service must not be able to mint tokens).
 */
export function publicKeySetProblems(set: unknown): string[] {
  const keys = (set as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return ['must be a JWKS: {"keys": [ ...public keys ]}'];
  const problems: string[] = [];
  const kids = new Set<string>();
  keys.forEach((raw, index) => {
    const key = (raw ?? {}) as Record<string, unknown>;
    const name = `keys[${index}]`;
    if (typeof key.kid !== 'string' || key.kid === '') problems.push(`${name} has no kid`);
    else if (kids.has(key.kid)) problems.push(`${name}: kid ${key.kid} appears twice`);
    else kids.add(key.kid);
    const secretParts = PRIVATE_MEMBERS.filter((member) => member in key);
    if (secretParts.length > 0) problems.push(`${name} holds private or symmetric key material (${secretParts.join(', ')})`);
    if (key.kty === 'OKP') {
      if (key.crv !== 'Ed25519' || typeof key.x !== 'string') problems.push(`${name}: an OKP key must be Ed25519 with x`);
    } else if (key.kty === 'RSA') {
      const bits = typeof key.n === 'string' ? Math.floor((key.n.length * 6) / 8) * 8 : 0;
      if (bits < MIN_RSA_BITS) problems.push(`${name}: an RSA key needs at least ${MIN_RSA_BITS} bits`);
    } else {
      problems.push(`${name}: kty must be OKP (Ed25519) or RSA, not ${String(key.kty)}`);
    }
  });
  return problems;
}
