/**
 * Bugs in src/ that these tests found and that are not fixed yet. A check tied to one of
 * them is printed ("known bug Bn") but does not fail the soak or `npm test` (node:test reports
 * it as TODO). When src/ is fixed, its checks pass and the runner says so: delete the entry
 * and the `bug` argument of those checks, so they guard against a regression.
 *
 * docs/reliability.md has the same list with the evidence.
 */
export const KNOWN_BUGS = {
  B5: {
    title: 'a database in a read-only folder or on read-only media cannot even be searched',
    where: 'src/core/db/open.ts openStore',
    fix: 'A WAL database needs its -shm file; in a folder the process cannot write SQLite fails with SQLITE_CANTOPEN (or SQLITE_READONLY on the first read), even for { readonly: true }. ' +
      "When a read-only open fails that way and the file is readable, fall back to `new Database(fs.readFileSync(file), { readonly: true })` (a snapshot) or a temp copy, with a notice ('read-only folder: showing a snapshot'); " +
      'the CLI should open read-only for commands that only read (search, list, show, export, doctor without --repair).',
  },
} as const;

export type KnownBugId = keyof typeof KNOWN_BUGS;
