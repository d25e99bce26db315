import fs from 'node:fs';
import path from 'node:path';

/** Lines that re-include the bank under the data folder's `*`: the database and the state file stay ignored. */
const BANK_LINES = ['!.gitignore', '!bank/', '!bank/**'];

/**
 * `.devstream/.gitignore` ignores everything (`*`, see ensureDataDirIgnored). The bank must be
 * committable, so its lines are appended, once; the user's own lines are kept as they are.
 */
export function ensureBankCommittable(dataDir: string): boolean {
  const file = path.join(dataDir, '.gitignore');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# DevStream data: local to this machine\n*\n';
  const lines = text.split(/\r?\n/);
  const missing = BANK_LINES.filter((l) => !lines.includes(l));
  if (missing.length === 0 && fs.existsSync(file)) return false;
  const sep = text.endsWith('\n') || text === '' ? '' : '\n';
  const block = missing.length
    ? `# The team memory bank is committed (devstream bank init)\n${missing.join('\n')}\n`
    : '';
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, text + sep + block);
  return true;
}
