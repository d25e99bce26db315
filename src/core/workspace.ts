import fs from 'node:fs';
import path from 'node:path';

export const DATA_DIR = '.devstream';
export const DB_FILE = 'devstream.db';

/** `.devstream/devstream.db` under a folder: where the CLI, MCP server and extension meet. */
export function defaultDbPath(folder: string): string {
  return path.join(folder, DATA_DIR, DB_FILE);
}

/**
 * The database holds code and notes that are the user's own: keep it out of git by default.
 * Written once; a user's edits to it are kept.
 */
export function ensureDataDirIgnored(dbPath: string): void {
  const dir = path.dirname(dbPath);
  if (path.basename(dir) !== DATA_DIR) return;
  const file = path.join(dir, '.gitignore');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, '# DevStream data: local to this machine\n*\n');
  }
}
