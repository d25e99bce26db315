/**
 * secretlint's recommended rule preset (vendor rules with source ranges), loaded on first use:
 * extension activation and CLI commands that store nothing never pay for it. It is plain
 * JavaScript (no native parts), so it bundles with esbuild and runs in the extension host.
 */
import { KINDS, type Candidate, type SecretKind } from './kinds';
import { isPlaceholderValue, realBody } from './placeholders';

type Lint = (text: string) => Promise<readonly { ruleId: string; range: readonly [number, number] }[]>;

let loading: Promise<Lint> | undefined;

async function load(): Promise<Lint> {
  const [{ lintSource }, { creator }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/secretlint-rule-preset-recommend'),
  ]);
  const config = {
    rules: [
      {
        id: creator.meta.id,
        rule: creator,
        // AWS access key ids are matched by DevStream's own rules (more prefixes, placeholder checks).
        rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: false } }],
      },
    ],
  };
  return async (content) => {
    const source = { content, filePath: 'memory.txt', ext: '.txt', contentType: 'text' as const };
    const result = await lintSource({ source, options: { config, noPhysicFilePath: true, maskSecrets: true } });
    return result.messages;
  };
}

/** secretlint rule id (`@secretlint/secretlint-rule-github`) → DevStream kind, from the kinds table. */
const KIND_OF_RULE = new Map<string, SecretKind>(
  Object.entries(KINDS).flatMap(([kind, k]) =>
    ('secretlint' in k ? k.secretlint : []).map(
      (r) => [`@secretlint/secretlint-rule-${r}`, kind as SecretKind] as const,
    ),
  ),
);

/** Kinds whose reported range is structure (a PEM block, a URL), not a token with a prefix. */
const STRUCTURAL = new Set<SecretKind>(['private-key', 'connection-string-password', 'basic-auth', 'aws-secret-key']);

/** Findings of secretlint's recommended preset, as candidates (documentation placeholders dropped). */
export async function secretlintCandidates(text: string): Promise<Candidate[]> {
  loading ??= load();
  const messages = await (await loading)(text);
  const out: Candidate[] = [];
  for (const m of messages) {
    const [start, end] = m.range;
    if (!(end > start && start >= 0 && end <= text.length)) continue;
    const kind = KIND_OF_RULE.get(m.ruleId) ?? 'vendor-token';
    const value = text.slice(start, end);
    const prefix = /^[A-Za-z0-9]{1,12}[_.-]/.exec(value)?.[0].length ?? 0;
    if (!STRUCTURAL.has(kind) && !realBody(value, prefix)) continue;
    // `postgres://app:[REDACTED:…]@db`, `mysql://root:${DB_PASSWORD}@host`: no password in it.
    const password =
      kind === 'connection-string-password' ? /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:(.*)@/i.exec(value)?.[1] : undefined;
    if (password !== undefined && isPlaceholderValue(password)) continue;
    out.push({ kind, start, end });
  }
  return out;
}
