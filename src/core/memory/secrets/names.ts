/** Names that say their value is a secret (`DB_PASSWORD`, `apiKey`), and names that say it is not. */

export type SecretNameClass = 'password' | 'secret' | 'token' | 'key' | 'credential';

/** Splits an identifier into lowercase words: `DB_PASSWORD`, `dbPassword`, `x-api-key`, `APIKey`. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const KEY_QUALIFIERS = new Set(
  'api access secret private signing encryption encrypt master client app auth consumer subscription admin account hmac jwt session storage shared sas webhook service'.split(
    ' ',
  ),
);
/** `publicToken`, `csrf-token`: tokens that are public by design or ids of a page, not credentials. */
const NOT_SECRET_TOKEN_QUALIFIERS = new Set(
  'page next continuation cancellation cancel sync resume cursor public csrf xsrf anticsrf antiforgery'.split(' '),
);
/** Trailing words that keep a name secret: `secretValue`, `SecretString`, `api_key_b64`. */
const VALUE_SUFFIXES = new Set('value string str plain plaintext raw b64 base64 hex bytes text'.split(' '));

function classifyWord(w: string, prev: string | undefined, name: string): SecretNameClass | null {
  if (/^(?:[a-z]*password|[a-z]*passwd|passphrase|passcode|pwd|pass|pw)$/.test(w)) return 'password';
  if (/^(?:[a-z]*secret)$/.test(w)) return 'secret';
  if (w === 'pat') return /[a-z]/.test(name) ? null : 'token'; // GH_PAT, not longopt_pat
  if (/^[a-z]*token$/.test(w)) {
    if (w !== 'token' && NOT_SECRET_TOKEN_QUALIFIERS.has(w.slice(0, -5))) return null;
    if (w === 'token' && prev !== undefined && NOT_SECRET_TOKEN_QUALIFIERS.has(prev)) return null;
    return 'token';
  }
  if (w === 'key') return prev !== undefined && KEY_QUALIFIERS.has(prev) ? 'key' : null;
  if (w.endsWith('key') && KEY_QUALIFIERS.has(w.slice(0, -3))) return 'key';
  if (w === 'credential' || w === 'credentials' || w === 'creds' || w === 'auth') return 'credential';
  return null;
}

/** Whether a key/variable name says its value is a secret (judged on its last word). */
export function secretNameClass(name: string): SecretNameClass | null {
  const ws = words(name);
  let i = ws.length - 1;
  while (i > 0 && /^[0-9]+$/.test(ws[i])) i--; // password_2
  if (i > 0 && VALUE_SUFFIXES.has(ws[i])) i--;
  if (i < 0) return null;
  return classifyWord(ws[i].replace(/[0-9]+$/, ''), ws[i - 1], name); // password2
}

/** Names whose long random-looking values are identifiers, digests or data, not secrets. */
export const NON_SECRET_NAME_WORDS = new Set(
  (
    'id ids uuid guid hash hashes sha sha1 sha256 sha512 md5 digest checksum integrity etag commit rev revision ' +
    'version cid nonce fingerprint thumbprint public publishable pub class classname style d path src href url uri ' +
    'file filename name label title text message description pattern regex format locale mime type image img icon ' +
    'logo font data blob svg placeholder example sample salt iv challenge signature sig pubkey publickey md ' +
    // JWT / OIDC claims that carry ids
    'sub oid tid kid jti uti aud iss ' +
    // database keys
    'primary foreign partition sort csrf xsrf anticsrf antiforgery'
  ).split(' '),
);

export function nameLabel(cls: SecretNameClass | null, name: string): string {
  switch (cls) {
    case 'password':
      return 'password';
    case 'token':
      return 'token';
    case 'key':
      return /api/i.test(name) ? 'API key' : 'secret key';
    case 'credential':
      return 'credentials';
    default:
      return 'secret';
  }
}
