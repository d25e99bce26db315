import { describeFindings, redactSecrets, scanSecrets } from './secrets';

export interface PolicyResult {
  content: string;
  /** Secrets replaced by [REDACTED:kind] (0 when kept or none found). */
  redacted: number;
  /** Secrets found, whether redacted or kept. */
  found: number;
  /** For the user, when anything was found. */
  message?: string;
}

/**
 * What non-interactive writers (CLI, MCP, language-model tools, import) do with likely secrets:
 * redact them, unless told to keep them. Kept secrets are still stored only locally: the Ollama
 * provider redacts whatever it sends.
 */
export async function applySecretPolicy(content: string, keep = false): Promise<PolicyResult> {
  const findings = await scanSecrets(content);
  if (findings.length === 0) return { content, redacted: 0, found: 0 };
  const what = describeFindings(findings);
  if (keep) {
    const it = findings.length === 1 ? 'it is' : 'they are';
    return {
      content,
      redacted: 0,
      found: findings.length,
      message: `Kept ${what} as asked; ${it} never sent to an embedding server.`,
    };
  }
  const r = redactSecrets(content, findings);
  return { content: r.text, redacted: r.redacted, found: findings.length, message: `Redacted ${what}.` };
}
