import fs from 'node:fs';
import path from 'node:path';

/**
 * Remembers what opening a database at `dbPath` is about to create (the file, its folders,
 * the data folder's .gitignore), so that a command that then fails entirely (an import of
 * nothing) can take exactly that away again. Nothing that existed before is ever removed.
 */
export function trackNewDatabase(dbPath: string): { created: boolean; remove: () => void } {
  if (fs.existsSync(dbPath)) return { created: false, remove: () => undefined };
  const newDirs: string[] = [];
  for (let dir = path.dirname(dbPath); !fs.existsSync(dir); dir = path.dirname(dir)) newDirs.push(dir);
  const gitignore = path.join(path.dirname(dbPath), '.gitignore');
  const newGitignore = !fs.existsSync(gitignore);
  return {
    created: true,
    remove: () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbPath + suffix, { force: true });
      if (newGitignore && path.basename(path.dirname(dbPath)) === '.devstream') fs.rmSync(gitignore, { force: true });
      for (const dir of newDirs) {
        try {
          fs.rmdirSync(dir); // only if empty: anything else put there meanwhile stays
        } catch {
          return;
        }
      }
    },
  };
}
