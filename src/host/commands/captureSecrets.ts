import * as vscode from 'vscode';
import { describeFindings, redactSecrets, scanSecrets } from '../../core/memory/secrets';

export type SecretsChoice = 'redact' | 'keep';

/**
 * Looks for likely secrets before a memory is stored (it lands in a workspace file and may be
 * sent to an embedding server). Asks in a modal; automation passes `secrets` and defaults to
 * redacting. Returns the text to store and what was done, or undefined when cancelled.
 * `firstLine` maps finding lines to file lines for the message.
 */
export async function screenSecrets(
  text: string,
  choice: SecretsChoice | undefined,
  firstLine = 1,
): Promise<{ text: string; redacted?: { count: number; kinds: string[] } } | undefined> {
  const findings = await scanSecrets(text);
  if (findings.length === 0) return { text };
  const described = describeFindings(findings.map((f) => ({ ...f, line: f.line + firstLine - 1 })));
  let decision = choice;
  if (!decision) {
    const redact = 'Redact and Save';
    const keep = 'Save As Is';
    const picked = await vscode.window.showWarningMessage(
      `This looks like it contains ${described}.`,
      {
        modal: true,
        detail:
          'Memories are stored in the workspace database, shown in search and may be sent to your embedding server. Redacting replaces each value with [REDACTED:<kind>].',
      },
      redact,
      keep,
    );
    if (!picked) return undefined;
    decision = picked === redact ? 'redact' : 'keep';
  }
  if (decision === 'keep') return { text };
  const r = redactSecrets(text, findings);
  return { text: r.text, redacted: { count: r.redacted, kinds: r.kinds } };
}
