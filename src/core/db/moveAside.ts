import fs from 'node:fs';

/**
 * Moves a damaged database (with its -wal and -shm) to `<file>.corrupt-<time>` so a new one can
 * start: never deleted, never overwritten. Returns where it went.
 */
export function moveAside(dbPath: string): string {
  const aside = `${dbPath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm'])
    if (fs.existsSync(dbPath + suffix)) fs.renameSync(dbPath + suffix, aside + suffix);
  return aside;
}
