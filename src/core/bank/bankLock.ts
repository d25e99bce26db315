import fs from 'node:fs';

/** A sync of 10K files takes about 2 s: a lock older than this was left by a process that died. */
const STALE_MS = 30_000;
const WAIT_MS = 5_000;

/**
 * One process at a time reads and writes the bank and its state file (a VS Code window's watcher
 * and a CLI command can both be syncing after a pull). An exclusive-create lock file; a second
 * process waits for it, and takes over one left behind by a crash.
 */
export function withBankLock<T>(lockFile: string, fn: () => T): T {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStale(lockFile)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        const message = `another DevStream process is syncing the team bank (${lockFile}); try again in a moment`;
        throw new Error(message, { cause: e });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // a short synchronous pause
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function isStale(lockFile: string): boolean {
  try {
    return Date.now() - fs.statSync(lockFile).mtimeMs > STALE_MS;
  } catch {
    return false; // gone meanwhile: try again
  }
}
