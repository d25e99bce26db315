/**
 * Secret detection and redaction for memory content (see docs/secrets.md).
 *
 * Two layers: secretlint's recommended preset (vendor rules, lazy-loaded) and DevStream's own
 * (vendor shapes secretlint lacks, PEM blocks, values assigned to secret-looking names, long
 * random values in assignments, placeholders). Offsets cover the secret value only, so a
 * redaction leaves the surrounding code readable. Every scan is linear in the input.
 */
export { describeFindings, detectSecrets, findingLabel, redactAllSecrets, redactSecrets, scanSecrets } from './detect';
export { KINDS, SECRET_KINDS, type RedactionResult, type SecretFinding, type SecretKind } from './kinds';
export { secretNameClass } from './names';
export { isPlaceholderValue } from './placeholders';
